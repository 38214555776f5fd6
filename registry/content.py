"""The registry's own legal content: instruments, roles, powers and assignments (filled by issue 3)."""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox


def content_quads() -> Iterator[ox.Quad]:
    """Quads of the registry's legal content, each instrument's assignments in its own named graph."""
    return iter(())
