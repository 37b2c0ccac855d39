"""Where the client keeps its client id and anonymous tokens: one JSON file, mode 0600.

The client id is generated once and reused by every client on this machine (the service gives one
anonymous token per client id per 7 days). Tokens are stored per base URL, so a token of the local
engine is never sent to the cloud or the other way round.
"""

from __future__ import annotations

import json
import logging
import os
import stat
import uuid
from pathlib import Path
from typing import Any

from .. import config

log = logging.getLogger("nemo_nb.client")

AUTH_FILE = "auth.json"


class TokenStore:
    """The per-user auth file (``<config_dir>/auth.json``)."""

    def __init__(self, directory: Path | None = None) -> None:
        self.path = Path(directory or config.config_dir()) / AUTH_FILE

    def __repr__(self) -> str:
        return f"TokenStore(path={str(self.path)!r})"

    def _load(self) -> dict[str, Any]:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return {}
        if stat.S_IMODE(st.st_mode) & 0o077:
            # Someone loosened the permissions: tighten them before reading a secret.
            os.chmod(self.path, 0o600)
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            log.warning("nemo_nb: the auth file %s is unreadable; starting a new one", self.path)
            return {}
        return data if isinstance(data, dict) else {}

    def _save(self, data: dict[str, Any]) -> None:
        config.write_private(self.path, json.dumps(data, indent=2, sort_keys=True))

    # --- client id -----------------------------------------------------------------------------
    def client_id(self) -> str:
        """The stored client id, created (and stored) on first use."""
        data = self._load()
        cid = data.get("client_id")
        if isinstance(cid, str) and cid:
            return cid
        return self.new_client_id()

    def new_client_id(self) -> str:
        """Replace the client id (after an HTTP 400 for a missing/invalid one)."""
        data = self._load()
        cid = str(uuid.uuid4())
        data["client_id"] = cid
        self._save(data)
        return cid

    # --- tokens ---------------------------------------------------------------------------------
    # ``tokens``: key (a base URL) → token; ``token_clients``: key → the client id it was issued to.
    def token(self, base_url: str, client_id: str | None = None) -> str | None:
        """The stored token for ``base_url`` — only if it was issued to ``client_id`` (when given)."""
        data = self._load()
        tokens = data.get("tokens")
        value = tokens.get(base_url) if isinstance(tokens, dict) else None
        if not (isinstance(value, str) and value):
            return None
        owners = data.get("token_clients")
        owner = owners.get(base_url) if isinstance(owners, dict) else None
        if client_id is not None and owner is not None and owner != client_id:
            return None
        return value

    def set_token(self, base_url: str, token: str, client_id: str | None = None) -> None:
        data = self._load()
        for table, value in (("tokens", token), ("token_clients", client_id)):
            entries = data.get(table) if isinstance(data.get(table), dict) else {}
            if value is not None:
                entries[base_url] = value
            data[table] = entries
        self._save(data)

    def forget_token(self, base_url: str) -> None:
        data = self._load()
        changed = False
        for table in ("tokens", "token_clients"):
            entries = data.get(table)
            if isinstance(entries, dict) and base_url in entries:
                del entries[base_url]
                changed = True
        if changed:
            self._save(data)
