"""Every knob of the embedded engine in one dataclass, so tests and the CLI configure the same thing."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from .. import config, protocol
from ..netloc import is_loopback_host, parse_ip


def _env_hosts() -> frozenset[str]:
    """Extra Host names to answer when bound elsewhere (``NEMO_NB_ALLOWED_HOSTS=a.example,b.example``)."""
    raw = os.environ.get("NEMO_NB_ALLOWED_HOSTS", "")
    return frozenset(h.strip().lower().rstrip(".") for h in raw.split(",") if h.strip())

#: What the local engine says about credits: it counts what the cloud would charge, never refuses.
CREDITS_LABEL = "local · no limit"


#: Finished renders the engine keeps: 7 days, 2 GB in all (the oldest go first).
RENDERS_MAX_AGE_S = 7 * 86400.0
RENDERS_MAX_BYTES = 2 * 1024**3


def data_dir_id(data_dir: str | Path) -> str:
    """A tag of a data directory that does not reveal its path: how a launcher recognises the engine
    serving its directory from ``/api/health`` without the engine telling strangers where it keeps data."""
    return hashlib.sha256(str(Path(data_dir).expanduser().resolve()).encode("utf-8")).hexdigest()[:24]


def _default_workers() -> int:
    """Renders are CPU-bound: leave a core for the API and the kernel."""
    return max(1, (os.cpu_count() or 2) // 2)


@dataclass
class EngineSettings:
    """Configuration of one engine process.

    Credit costs (the cloud's documented rate, counted here but never enforced: the local engine
    has no limit): an agent turn that changed the draft costs ``cost_edit`` credits; a turn that
    changed nothing is free; export costs ``cost_render`` (0: free, as in the seeds). While a render
    runs its cost is frozen, then charged when it completes or released.
    """

    host: str = "127.0.0.1"
    port: int = 0
    data_dir: Path = field(default_factory=config.data_dir)
    #: Stop by itself after this many seconds with no request and no running job (None: never).
    idle_timeout: float | None = None
    #: Let URL uploads reach loopback/private/link-local hosts (tests serving files on 127.0.0.1).
    allow_private_urls: bool = False
    #: Host names URL uploads may fetch even when they resolve to private addresses (tests).
    url_allow_hosts: frozenset[str] = frozenset()
    max_upload_bytes: int = protocol.MAX_UPLOAD_BYTES
    #: After a refused upload, keep reading (and discarding) at most this much more so the client
    #: can read the 4002 answer instead of a reset connection.
    max_drain_bytes: int = 2 * protocol.MAX_UPLOAD_BYTES
    url_fetch_timeout: float = 60.0
    url_max_redirects: int = 5
    anon_credits: int = protocol.ANON_TOKEN_CREDITS
    token_ttl_s: float = protocol.ANON_TOKEN_TTL_SECONDS
    #: One anonymous token per client id per this window (HTTP 429 past ``tokens_per_window``).
    token_window_s: float = protocol.ANON_TOKEN_TTL_SECONDS
    tokens_per_window: int = 1
    cost_edit: int = 1
    cost_render: int = 0
    render_workers: int = field(default_factory=_default_workers)
    #: The engine keeps finished MP4s (data dir ``renders/``) at most this long and this large in
    #: total, oldest removed first, checked at start and before each render (None: no limit).
    renders_max_age_s: float | None = RENDERS_MAX_AGE_S
    renders_max_bytes: int | None = RENDERS_MAX_BYTES
    poll_interval_s: float = 0.5
    #: A Dask scheduler (``tcp://host:8786``) to run render jobs on instead of local worker processes.
    dask_address: str | None = None
    #: Host header names answered besides loopback when the engine is bound to another address
    #: (a reverse proxy's name, the machine's name); see engine/hosts.py.
    allowed_hosts: frozenset[str] = field(default_factory=_env_hosts)
    #: Put the brand kit of the user running the engine (config dir, ``studio.brand``) on every render
    #: (engine/branding.py). None: only when bound to loopback — an engine serving others must not
    #: put its operator's logo on their videos.
    brand_kit: bool | None = None

    def __post_init__(self) -> None:
        self.data_dir = Path(self.data_dir).expanduser()
        self.url_allow_hosts = frozenset(h.lower() for h in self.url_allow_hosts)
        self.allowed_hosts = frozenset(h.lower().rstrip(".") for h in self.allowed_hosts)
        if self.max_upload_bytes <= 0:
            raise ValueError("max_upload_bytes must be positive")

    @property
    def applies_brand_kit(self) -> bool:
        return self.is_loopback if self.brand_kit is None else self.brand_kit

    @property
    def is_loopback(self) -> bool:
        """True when only this machine can reach the bound address. Binding the unspecified address
        (``0.0.0.0``, ``::``, ``""``) listens on every interface, so it is not loopback-only, even
        though *connecting* to it reaches this machine (which is what netloc's predicate answers)."""
        host = (self.host or "").strip()
        ip = parse_ip(host)
        if not host or (ip is not None and ip.is_unspecified):
            return False
        return is_loopback_host(host)
