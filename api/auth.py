"""Who may write: SPARQL Update and the Graph Store Protocol need the configured bearer token.

No token configured → writes are disabled (403). A token configured → the request must carry
`Authorization: Bearer <token>`; without it, or with another token, the answer is 401 with a
`WWW-Authenticate: Bearer` challenge (RFC 6750).
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request

from api.deps import SettingsDep
from api.errors import ProtocolError
from api.settings import Settings

REALM = "thamquyen"


def check_writer(request: Request, settings: Settings) -> None:
    """Raise ProtocolError unless the request may write.

    Raises:
        ProtocolError: 403 when writes are disabled, 401 when the bearer token is missing or wrong.
    """
    if not settings.write_token:
        raise ProtocolError(403, "this endpoint is read-only: updates and the Graph Store Protocol are "
                                 "disabled (no write token is configured; set THAMQUYEN_WRITE_TOKEN)")
    scheme, _, token = (request.headers.get("authorization") or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ProtocolError(401, "writing needs the bearer token: send 'Authorization: Bearer <token>'",
                            {"WWW-Authenticate": f'Bearer realm="{REALM}"'})
    if not hmac.compare_digest(token.strip().encode(), settings.write_token.encode()):
        raise ProtocolError(401, "the bearer token is not the write token",
                            {"WWW-Authenticate": f'Bearer realm="{REALM}", error="invalid_token"'})


def require_writer(request: Request, settings: SettingsDep) -> None:
    check_writer(request, settings)


WriterDep = Annotated[None, Depends(require_writer)]
