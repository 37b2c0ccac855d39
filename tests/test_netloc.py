"""One loopback predicate for the client, backend selection and the engine."""

from __future__ import annotations

import pytest

from nemo_nb import backend
from nemo_nb.netloc import is_loopback_host, is_loopback_url

LOOPBACK = ["127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2", "[::ffff:127.0.0.1]", "localhost.",
            "2130706433", "0x7f000001", "0", "0.0.0.0", "127.1", "0177.0.0.1", "app.localhost", "LOCALHOST"]
REMOTE = ["api.nemovideo.ai", "example.com", "10.0.0.1", "192.168.1.2", "2002::1", "localhost.example.com",
          "127.0.0.1.example.com", "", "[fe80::1]"]


@pytest.mark.parametrize("host", LOOPBACK)
def test_loopback_spellings(host: str) -> None:
    assert is_loopback_host(host)
    netloc = f"[{host}]" if ":" in host and not host.startswith("[") else host
    assert is_loopback_url(f"http://{netloc}:8765/api")


@pytest.mark.parametrize("host", REMOTE)
def test_other_hosts(host: str) -> None:
    assert not is_loopback_host(host)


@pytest.mark.parametrize("host", ["127.0.0.2", "[::ffff:127.0.0.1]", "localhost.", "2130706433", "0x7f000001"])
def test_backend_treats_every_loopback_spelling_as_local(host: str) -> None:
    chosen = backend.resolve(base_url=f"http://{host}:9/")
    assert chosen.name == "local"
    assert chosen.token is None
