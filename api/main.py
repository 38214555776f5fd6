"""The FastAPI application: `create_app(settings)` builds it; nothing is built at import."""

from __future__ import annotations

from fastapi import FastAPI

from api import sparql
from api.deps import StoreDep
from api.drafts import router as drafts_router
from api.lookup import router as lookup_router
from api.settings import Settings
from registry import __version__
from registry.store import open_store


def create_app(settings: Settings | None = None, backend=None) -> FastAPI:
    """The API over the store named by `settings` (or over `backend`, as the tests do)."""
    settings = settings or Settings.from_environment()
    app = FastAPI(
        title="thamquyen",
        version=__version__,
        description="Ai có thẩm quyền gì — registry of competences in Vietnam's two-level government: "
                    "a SPARQL 1.1 endpoint, competent-authority lookup, and validation of draft decrees.",
    )
    app.state.settings = settings
    app.state.store = backend if backend is not None else open_store(settings.store)
    sparql.install(app)  # /sparql, the Graph Store Protocol, the query page, /static

    app.include_router(lookup_router)
    app.include_router(drafts_router)  # /drafts (upload page), /drafts/validate

    @app.get("/health", tags=["service"], summary="Liveness and store size")
    def health(store: StoreDep) -> dict:
        return {"status": "ok", "version": __version__, "quads": store.quad_count()}

    return app
