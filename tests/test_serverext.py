"""nemo_nb.serverext: a kernel websocket of the Jupyter server sends without Nagle's delay, and the
config file that installing nemo_nb adds turns the extension on."""

from __future__ import annotations

import asyncio
import json
import socket
from pathlib import Path
from typing import Any

import tornado.httpserver
import tornado.netutil
import tornado.web
import tornado.websocket
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

from nemo_nb.serverext import msg_type_of, quiet_widget_status, without_nagle

ROOT = Path(__file__).resolve().parents[1]


class Connection:
    """Stands for the server's kernel connection: what jupyter_server calls on a websocket's open."""

    def __init__(self, websocket_handler: Any) -> None:
        self.websocket_handler = websocket_handler

    def connect(self) -> str:
        return "connected"


def test_a_kernel_websocket_is_opened_with_tcp_nodelay() -> None:
    seen: dict[str, Any] = {}

    class Handler(tornado.websocket.WebSocketHandler):
        def open(self) -> None:
            seen["before"] = self.ws_connection.stream.socket.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
            seen["connect"] = without_nagle(Connection)(self).connect()
            seen["after"] = self.ws_connection.stream.socket.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
            self.write_message("ok")

    async def main() -> None:
        server = tornado.httpserver.HTTPServer(tornado.web.Application([(r"/ws", Handler)]))
        sock, = tornado.netutil.bind_sockets(0, "127.0.0.1")
        server.add_sockets([sock])
        client = await tornado.websocket.websocket_connect(f"ws://127.0.0.1:{sock.getsockname()[1]}/ws")
        assert await client.read_message() == "ok"
        client.close()
        server.stop()

    asyncio.run(main())
    assert seen == {"before": 0, "connect": "connected", "after": 1}


def test_the_subclass_keeps_the_servers_class_and_is_made_once() -> None:
    cls = without_nagle(ZMQChannelsWebsocketConnection)
    assert issubclass(cls, ZMQChannelsWebsocketConnection) and without_nagle(cls) is cls


def test_installing_nemo_nb_turns_the_extension_on() -> None:
    config = json.loads((ROOT / "jupyter-config" / "jupyter_server_config.d" / "nemo_nb.json").read_text())
    assert config["ServerApp"]["jpserver_extensions"] == {"nemo_nb.serverext": True}
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert '= "etc/jupyter/jupyter_server_config.d/nemo_nb.json"' in pyproject


class Server:
    """Stands for the Jupyter server app: its kernel manager (a real one), web settings and log."""

    def __init__(self, manager: Any) -> None:
        self.kernel_manager = manager
        self.web_app = type("WebApp", (), {"settings": {}})()


def test_widget_messages_busy_idle_are_not_shown_in_the_page() -> None:
    from jupyter_server.services.kernels.kernelmanager import MappingKernelManager

    server = Server(MappingKernelManager())
    default = list(server.kernel_manager.untracked_message_types)
    assert "comm_msg" not in default
    assert quiet_widget_status(server)
    assert server.kernel_manager.untracked_message_types == [*default, "comm_msg"]
    # the page (JupyterLab, Notebook 7) gets the same list: it skips those status messages
    assert server.web_app.settings["page_config_data"]["untracked_message_types"] == [*default, "comm_msg"]
    assert quiet_widget_status(server) and server.kernel_manager.untracked_message_types.count("comm_msg") == 1


def test_a_configured_untracked_list_is_left_as_configured() -> None:
    from jupyter_server.services.kernels.kernelmanager import MappingKernelManager
    from traitlets.config import Config

    config = Config({"MappingKernelManager": {"untracked_message_types": ["status"]}})
    server = Server(MappingKernelManager(config=config))
    assert not quiet_widget_status(server)
    assert server.kernel_manager.untracked_message_types == ["status"]
    assert "page_config_data" not in server.web_app.settings


def v1_message(channel: str, header: dict[str, Any]) -> bytes:
    """A browser message in the kernel websocket's v1 protocol (offsets, channel, then the parts)."""
    from jupyter_server.services.kernels.connection.base import serialize_msg_to_ws_v1

    parts = [json.dumps(header).encode(), b"{}", b"{}", b"{}"]
    return serialize_msg_to_ws_v1(parts, channel)


def test_a_widget_message_from_the_browser_is_the_kernels_activity() -> None:
    kernel = type("Kernel", (), {"last_activity": None})()
    seen: list[Any] = []

    class Manager:
        last_kernel_activity = None

        def get_kernel(self, kernel_id: str) -> Any:
            assert kernel_id == "k1"
            return kernel

    class Incoming(Connection):
        multi_kernel_manager, kernel_id = Manager(), "k1"

        def handle_incoming_message(self, msg: Any) -> None:
            seen.append(msg)

    conn = without_nagle(Incoming)(None)
    conn.handle_incoming_message(v1_message("shell", {"msg_type": "kernel_info_request"}))
    assert kernel.last_activity is None  # not a widget message: as jupyter_server decides
    conn.handle_incoming_message(v1_message("shell", {"msg_type": "comm_msg"}))
    assert kernel.last_activity is not None and conn.multi_kernel_manager.last_kernel_activity == kernel.last_activity
    legacy = json.dumps({"channel": "shell", "header": {"msg_type": "comm_msg"}})
    assert msg_type_of(legacy) == "comm_msg" and msg_type_of(b"garbage") is None
    assert len(seen) == 2  # every message still goes to the kernel
