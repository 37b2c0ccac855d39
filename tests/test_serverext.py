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

from nemo_nb.serverext import without_nagle

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
