"""Dependencies shared by the API's routers: the settings and the open store of the app."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.settings import Settings
from registry.draft import DraftBase
from registry.lookup import IndexCache, LookupIndex
from registry.store import Backend


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_store(request: Request) -> Backend:
    return request.app.state.store


async def get_lookup_index(request: Request) -> LookupIndex:
    """The app's in-memory lookup index: built on first use, rebuilt in the background when the
    store changes (answers come from the previous index until the new one is ready).

    async so that FastAPI calls it on the event loop, not through the thread pool (it is a dict look-up
    and a counter comparison except when the index is rebuilt).
    """
    state = request.app.state
    cache = getattr(state, "lookup_cache", None)
    if cache is None or cache.backend is not state.store:
        cache = state.lookup_cache = IndexCache(state.store, background=True)
    return cache.get()


def get_draft_base(request: Request) -> DraftBase:
    """The app's shapes and registry index for draft checks: read on first use (GET /drafts starts
    it in the background), read again when the store changes."""
    state = request.app.state
    base = getattr(state, "draft_base", None)
    if base is None or base.backend is not state.store:
        base = state.draft_base = DraftBase(state.store, findings=True)
    return base


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Backend, Depends(get_store)]
LookupDep = Annotated[LookupIndex, Depends(get_lookup_index)]
DraftBaseDep = Annotated[DraftBase, Depends(get_draft_base)]
