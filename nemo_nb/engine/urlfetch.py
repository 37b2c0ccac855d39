"""URL uploads that cannot turn the engine into an SSRF hop.

Only http(s). The host is resolved here, every address it resolves to must be public (not
loopback, private, link-local, multicast, reserved or unspecified), and the connection goes to the
address that was checked (the Host header and TLS SNI keep the name), so a DNS answer cannot change
between the check and the connect. Redirects are followed by hand, each hop checked the same way.
Size and time are capped; the body streams to a temp file through the same receiver as uploads.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import unquote, urljoin, urlsplit

import httpx

from . import errors
from .settings import EngineSettings
from .store import Store
from .uploads import Receiver, Staged, clean_name


def resolve_host(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (tests monkeypatch this to simulate DNS)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


#: IPv6 prefixes whose low 32 bits are an IPv4 address (NAT64, RFC 6052 / RFC 8215).
_NAT64 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("64:ff9b:1::/48"))


def embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries (mapped, 6to4, Teredo, NAT64, IPv4-compatible)."""
    found = [a for a in (ip.ipv4_mapped, ip.sixtofour) if a is not None]
    if ip.teredo is not None:
        found.extend(ip.teredo)
    if any(ip in net for net in _NAT64) or int(ip) >> 32 == 0:
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return found


def _public_ip(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local:  # fec0::/10, deprecated but routable here
        return False
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_loopback or ip.is_link_local
                                 or ip.is_private or ip.is_unspecified)


def is_public(address: str) -> bool:
    """Whether the engine may fetch from ``address``: it and every IPv4 address inside it are public."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        inner = embedded_ipv4(ip)
        if inner:
            return all(_public_ip(a) for a in inner) and (ip.ipv4_mapped is not None or _public_ip(ip))
    return _public_ip(ip)


def _refuse(url: str, why: str) -> errors.EngineError:
    return errors.EngineError(4001, f"Cannot fetch {url}: {why}. Upload the file itself instead.", status=400,
                              data={"url": url})


async def check_url(url: str, settings: EngineSettings) -> tuple[str, int, str]:
    """(host, port, address to connect to) for a URL the engine may fetch, else 4001 saying why."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise _refuse(url, "only http and https URLs can be uploaded")
    host = parts.hostname
    if not host:
        raise _refuse(url, "the URL has no host")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise _refuse(url, "the port is not valid") from None
    try:
        addresses = await asyncio.to_thread(resolve_host, host, port)
    except (OSError, UnicodeError):
        raise _refuse(url, f"the host {host} could not be resolved") from None
    if not addresses:
        raise _refuse(url, f"the host {host} could not be resolved")
    trusted = settings.allow_private_urls or host.lower() in settings.url_allow_hosts
    if not trusted:
        for address in addresses:
            if not is_public(address):
                raise _refuse(url, f"{host} resolves to a loopback, private or link-local address ({address}), "
                                   "which the engine does not fetch")
    return host, port, addresses[0]


async def fetch(url: str, store: Store, settings: EngineSettings) -> Staged:
    """Download ``url`` into a temp file (size and time capped); the caller validates and commits."""
    try:
        return await asyncio.wait_for(_fetch(url, store, settings), timeout=settings.url_fetch_timeout)
    except asyncio.TimeoutError:
        raise _refuse(url, f"the download took longer than {settings.url_fetch_timeout:g} s") from None


async def _fetch(url: str, store: Store, settings: EngineSettings) -> Staged:
    current = url
    timeout = httpx.Timeout(min(30.0, settings.url_fetch_timeout))
    async with httpx.AsyncClient(follow_redirects=False, timeout=timeout, trust_env=False) as client:
        for _hop in range(settings.url_max_redirects + 1):
            host, port, address = await check_url(current, settings)
            parts = urlsplit(current)
            literal = f"[{address}]" if ":" in address else address
            netloc = f"{literal}:{port}"
            target = parts._replace(netloc=netloc).geturl()
            host_header = host if parts.port is None else f"{host}:{parts.port}"
            ext = {"sni_hostname": host} if parts.scheme == "https" else {}
            request = client.build_request("GET", target, headers={"Host": host_header, "Accept-Encoding": "identity"}, extensions=ext)
            try:
                response = await client.send(request, stream=True)
            except httpx.HTTPError as exc:
                raise _refuse(current, f"the download failed ({type(exc).__name__})") from None
            try:
                if response.is_redirect:
                    location = response.headers.get("location")
                    if not location:
                        raise _refuse(current, "a redirect without a Location")
                    current = urljoin(current, location)
                    continue
                if response.status_code != 200:
                    raise _refuse(current, f"the server answered HTTP {response.status_code}")
                length = response.headers.get("content-length")
                name = clean_name(unquote(urlsplit(current).path), default="download")
                if length and length.isdigit() and int(length) > settings.max_upload_bytes:
                    raise errors.too_large(name, settings.max_upload_bytes)
                receiver = Receiver(store, name, settings.max_upload_bytes, source="url")
                try:
                    async for chunk in response.aiter_bytes():
                        receiver.write(chunk)
                    staged = receiver.finish()
                except BaseException:
                    receiver.discard()
                    raise
                staged.extra["url"] = url
                return staged
            finally:
                await response.aclose()
    raise _refuse(url, f"more than {settings.url_max_redirects} redirects")
