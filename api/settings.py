"""API settings, read from the environment once per app (never at import)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


@dataclass(frozen=True)
class Settings:
    """Everything the API needs to know; tests build one directly.

    write_token: bearer token that enables SPARQL Update and the Graph Store Protocol (None: read-only).
    service_allow_list: endpoints that SERVICE / LOAD may reach (empty: both refused).
    query_workers: SPARQL queries evaluated at once; more wait for a free worker within their time limit.
    """

    store: str | None = None
    write_token: str | None = None
    service_allow_list: tuple[str, ...] = ()
    query_timeout_s: float = 10.0
    max_results: int = 100_000
    max_body_bytes: int = 5 * 1024 * 1024
    max_upload_bytes: int = 5 * 1024 * 1024
    query_workers: int = 4
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_environment(cls, store: str | None = None) -> "Settings":
        allow = os.environ.get("THAMQUYEN_SERVICE_ALLOW", "")
        return cls(
            store=store or os.environ.get("THAMQUYEN_STORE"),
            write_token=os.environ.get("THAMQUYEN_WRITE_TOKEN") or None,
            service_allow_list=tuple(u for u in allow.split() if u),
            query_timeout_s=float(os.environ.get("THAMQUYEN_QUERY_TIMEOUT", 10.0)),
            max_results=_int("THAMQUYEN_MAX_RESULTS", 100_000),
            max_body_bytes=_int("THAMQUYEN_MAX_BODY", 5 * 1024 * 1024),
            max_upload_bytes=_int("THAMQUYEN_MAX_UPLOAD", 5 * 1024 * 1024),
            query_workers=_int("THAMQUYEN_QUERY_WORKERS", 4),
        )
