"""Is this address this machine? One predicate, parsed with :mod:`ipaddress`, for everyone.

The client uses it to decide whether a server is the local engine (which must never receive the
cloud's ``NEMO_TOKEN``), ``backend.py`` to pick the backend for a base URL, and the engine to know
whether it is bound to loopback. Hosts are parsed, not compared as strings, so every spelling of
loopback counts: ``127.0.0.2``, ``[::ffff:127.0.0.1]``, ``localhost.``, ``2130706433``,
``0x7f000001``, ``0177.0.0.1``, ``127.1``; the unspecified addresses (``0.0.0.0``, ``0``, ``::``)
count too, since connecting to them reaches this machine.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

__all__ = ["host_of", "is_loopback_host", "is_loopback_url", "parse_ip"]


def parse_ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """``host`` as an IP address (any spelling the C resolver accepts for IPv4), or None for a name."""
    text = host.strip().strip("[]").split("%", 1)[0]
    if not text:
        return None
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        pass
    if ":" in text:
        return None
    try:  # legacy IPv4 forms: 2130706433, 0x7f000001, 0177.0.0.1, 127.1, 0
        return ipaddress.IPv4Address(socket.inet_aton(text))
    except (OSError, ValueError):
        return None


def is_loopback_host(host: str | None) -> bool:
    """True when ``host`` (a name or an address, brackets allowed) always means this machine."""
    name = (host or "").strip().lower().rstrip(".")
    if not name:
        return False
    if name == "localhost" or name.endswith(".localhost"):
        return True
    ip = parse_ip(name)
    if ip is None:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback or ip.is_unspecified


def host_of(url: str) -> str:
    """The host part of ``url`` (lower case, no brackets), or '' when it has none."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def is_loopback_url(url: str) -> bool:
    """True when ``url`` points at this machine (see :func:`is_loopback_host`)."""
    return is_loopback_host(host_of(url))
