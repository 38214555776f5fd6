"""Dependencies shared by the API's routers: the settings and the open store of the app."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.settings import Settings
from registry.store import Backend


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_store(request: Request) -> Backend:
    return request.app.state.store


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Backend, Depends(get_store)]
