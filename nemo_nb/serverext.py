"""A Jupyter server extension for the widget's live player: kernel websockets without Nagle's delay
(TCP_NODELAY), and no kernel busy/idle flicker in the page for widget messages.

* jupyter_server leaves Nagle's algorithm on for the kernel websocket. The widget's replies follow
  the kernel's small ``status`` messages, so a frame of the live player often waited for the
  browser's delayed ACK (40 ms on Linux) before it left the server. With the extension each message
  goes out at once.
* The kernel wraps every message it handles in ``busy``/``idle`` status messages, widget (comm)
  messages included. JupyterLab and Notebook 7 show each: the kernel indicator, the toolbar and the
  tab's favicon change twice per message — while the playhead is dragged, 15–20 times a second,
  about half of the browser's CPU per frame (benchmarks/README.md, "Live player"). Jupyter has a
  setting for status messages the page should not show, ``MappingKernelManager.untracked_message_types``
  (the server hands it to the page); the extension adds ``comm_msg`` to it unless it was configured.
  That list also says which messages count as activity for the idle culler, so a widget message
  from the browser is recorded as activity here instead.

It is enabled by ``etc/jupyter/jupyter_server_config.d/nemo_nb.json``, which installing nemo_nb puts
where Jupyter finds it; without it everything works, only slower.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

SETTING = "kernel_websocket_connection_class"
#: The parent message type whose busy/idle the page does not show (widget messages).
QUIET_PARENT = "comm_msg"


def without_nagle(base: type) -> type:
    """A subclass of the server's kernel websocket connection that sets TCP_NODELAY on connect and
    records a widget message from the browser as the kernel's activity."""
    if getattr(base, "nemo_nodelay", False):
        return base

    def connect(self: Any) -> Any:
        handler = getattr(self, "websocket_handler", None)
        if handler is not None and getattr(handler, "ws_connection", None) is not None:
            handler.set_nodelay(True)
        return base.connect(self)

    def handle_incoming_message(self: Any, incoming_msg: Any) -> None:
        base.handle_incoming_message(self, incoming_msg)
        if msg_type_of(incoming_msg) == QUIET_PARENT:
            note_activity(self)

    return type(f"NoDelay{base.__name__}", (base,), {"connect": connect, "nemo_nodelay": True,
                                                      "handle_incoming_message": handle_incoming_message,
                                                      "__doc__": without_nagle.__doc__})


def msg_type_of(ws_msg: Any) -> str | None:
    """The type of a message from the browser (v1 binary protocol or legacy JSON), None if unreadable."""
    with contextlib.suppress(Exception):
        if isinstance(ws_msg, (bytes, bytearray, memoryview)):
            data = bytes(ws_msg)
            # v1: the number of offsets, the offsets (8 bytes each), the channel, the header, ...
            count = int.from_bytes(data[:8], "little")
            if not 3 <= count <= len(data) // 8:
                return None
            start, end = (int.from_bytes(data[8 * i: 8 * (i + 1)], "little") for i in (2, 3))
            return json.loads(data[start:end])["msg_type"]
        return json.loads(ws_msg)["header"]["msg_type"]
    return None


def note_activity(connection: Any) -> None:
    """Record activity on the connection's kernel, as jupyter_server does for tracked messages."""
    from jupyter_server._tz import utcnow

    with contextlib.suppress(Exception):  # a kernel going away: nothing to record
        manager = connection.multi_kernel_manager
        kernel = manager.get_kernel(connection.kernel_id)
        manager.last_kernel_activity = kernel.last_activity = utcnow()


def quiet_widget_status(serverapp: Any) -> bool:
    """Add ``comm_msg`` to the kernel manager's ``untracked_message_types`` and to the page's copy of
    it, unless that list was configured (then it is left as configured). True when added."""
    manager = serverapp.kernel_manager
    config = getattr(manager, "config", {}) or {}
    if any("untracked_message_types" in config.get(cls.__name__, {}) for cls in type(manager).__mro__):
        return False
    if not hasattr(manager, "untracked_message_types"):
        return False
    types = list(manager.untracked_message_types)
    if QUIET_PARENT not in types:
        manager.untracked_message_types = [*types, QUIET_PARENT]
    page = serverapp.web_app.settings.setdefault("page_config_data", {})
    page["untracked_message_types"] = list(manager.untracked_message_types)
    return True


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "nemo_nb.serverext"}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    settings = serverapp.web_app.settings
    base = settings.get(SETTING)
    if base is None:
        from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

        base = ZMQChannelsWebsocketConnection
    settings[SETTING] = without_nagle(base)
    serverapp.log.debug("nemo_nb: kernel websockets without Nagle's delay (TCP_NODELAY)")
    if quiet_widget_status(serverapp):
        serverapp.log.debug("nemo_nb: widget messages' busy/idle not shown in the page (untracked_message_types)")
