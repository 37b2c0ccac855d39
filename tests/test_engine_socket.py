"""The engine's listening socket: connections it accepts must send small responses at once (TCP_NODELAY)."""
from __future__ import annotations

import asyncio
import socket

from nemo_nb.engine.server import bind_socket


def test_accepted_connections_have_nagle_off() -> None:
    """asyncio turns Nagle off only for sockets that say IPPROTO_TCP; a body written after its headers
    otherwise waits for the client's delayed ACK (~40 ms on every keep-alive request)."""
    seen: dict[str, int] = {}

    async def main() -> None:
        def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            sock = writer.get_extra_info("socket")
            seen["nodelay"] = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
            writer.close()

        listener = bind_socket("127.0.0.1", 0)
        server = await asyncio.start_server(on_connect, sock=listener)
        _, writer = await asyncio.open_connection(*listener.getsockname())
        for _ in range(100):
            if seen:
                break
            await asyncio.sleep(0.01)
        writer.close()
        server.close()
        await server.wait_closed()

    asyncio.run(main())
    assert seen == {"nodelay": 1}
