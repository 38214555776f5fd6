"""The query page (YASGUI, served from api/static — no CDN) and its ready examples.

The examples are the registry's own SPARQL files, `queries/**/*.rq`, read at each request so that
a new competency question shows up without a restart. A file's leading `#` comment lines (up to an
`expected …:` answer key) are its description, the first of them its title; the registry's PREFIX lines it uses without declaring are
prepended, as `thamquyen query` does.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from api.deps import SettingsDep
from registry.build import PROJECT_ROOT
from registry.namespaces import SPARQL_PREFIXES
from registry.sparql_text import with_prefixes

PAGE = Path(__file__).resolve().parent / "static" / "query.html"
QUERIES_DIR = PROJECT_ROOT / "queries"

router = APIRouter(tags=["SPARQL"])


def page_response() -> FileResponse:
    return FileResponse(PAGE, media_type="text/html; charset=utf-8")


@router.get("/query", summary="The SPARQL query page (YASGUI)", response_class=FileResponse,
            responses={200: {"content": {"text/html": {}}}})
def query_page() -> FileResponse:
    """A SPARQL editor on this endpoint, with the registry's competency questions as examples."""
    return page_response()


@router.get("/query/examples", summary="The example queries shown on the query page")
def query_examples(settings: SettingsDep) -> list[dict]:
    """Every `queries/**/*.rq`: its path, title, description and text."""
    return read_examples(Path(settings.extra.get("queries_dir", QUERIES_DIR)))


def read_examples(directory: Path) -> list[dict]:
    """The .rq files under `directory`, sorted by path.

    Returns:
        dicts with `name` (path relative to the directory), `title`, `description`, `query`.
    """
    if not directory.is_dir():
        return []
    examples = []
    for path in sorted(directory.rglob("*.rq")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        lines = text.splitlines(keepends=True)
        header = 0
        while header < len(lines) and (not lines[header].strip() or lines[header].lstrip().startswith("#")):
            header += 1
        comments = [c for c in (line.strip().lstrip("#").strip() for line in lines[:header]) if c]
        # what follows an "expected …:" line is the tests' answer key, not a description
        ends = [i for i, c in enumerate(comments) if c.lower().startswith("expected")]
        comments = comments[:ends[0]] if ends else comments
        body = "".join(lines[header:])
        name = path.relative_to(directory).as_posix()
        examples.append({"name": name, "title": comments[0] if comments else path.stem,
                         "description": "\n".join(comments[1:]),
                         # the question stays on top; missing PREFIX lines go just above the query
                         "query": "".join(lines[:header]) + with_prefixes(body, SPARQL_PREFIXES)})
    return examples
