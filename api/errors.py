"""Protocol errors of the SPARQL endpoint and Graph Store: a status, a plain-text message, headers.

SPARQL clients show an error body to their user as it comes, so the body is the message itself
(text/plain, UTF-8), e.g. the parser's "error at 1:20: expected …" for a syntax error.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import PlainTextResponse


class ProtocolError(Exception):
    """An HTTP error answer: `status`, a message for the client, optional extra headers."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        self.status = status
        self.message = message
        self.headers = headers or {}
        super().__init__(f"{status}: {message}")


def error_response(error: ProtocolError) -> PlainTextResponse:
    return PlainTextResponse(error.message + "\n", status_code=error.status, headers=error.headers,
                             media_type="text/plain; charset=utf-8")


async def protocol_error_handler(request: Request, error: ProtocolError) -> PlainTextResponse:
    """The app's handler for ProtocolError (registered by api.sparql.install)."""
    return error_response(error)
