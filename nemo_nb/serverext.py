"""A Jupyter server extension: kernel websockets send without Nagle's delay (TCP_NODELAY).

jupyter_server leaves Nagle's algorithm on for the kernel websocket. The widget's replies follow
the kernel's small ``status`` messages, so a frame of the live player often waited for the browser's
delayed ACK (40 ms on Linux) before it left the server: half of a playhead drag's time on an idle
machine (benchmarks/README.md, "Live player"). With the extension each message goes out at once.
It is enabled by ``etc/jupyter/jupyter_server_config.d/nemo_nb.json``, which installing nemo_nb puts
where Jupyter finds it; without it everything works, only slower.
"""

from __future__ import annotations

from typing import Any

SETTING = "kernel_websocket_connection_class"


def without_nagle(base: type) -> type:
    """A subclass of the server's kernel websocket connection that sets TCP_NODELAY on connect."""
    if getattr(base, "nemo_nodelay", False):
        return base

    def connect(self: Any) -> Any:
        handler = getattr(self, "websocket_handler", None)
        if handler is not None and getattr(handler, "ws_connection", None) is not None:
            handler.set_nodelay(True)
        return base.connect(self)

    return type(f"NoDelay{base.__name__}", (base,), {"connect": connect, "nemo_nodelay": True,
                                                      "__doc__": without_nagle.__doc__})


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
