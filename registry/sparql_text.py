"""Small facts about SPARQL text that several layers need: its query form and missing prefixes."""

from __future__ import annotations

import re

_COMMENT = re.compile(r"#[^\n]*")
_IRI = re.compile(r"<[^<>\s]*>")
_STRING = re.compile(r"'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"", re.S)
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)
_DECLARED = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:", re.I)


def _code_only(query: str) -> str:
    """The query with strings, IRIs and comments blanked out, so keywords inside them are not seen."""
    text = _STRING.sub('""', query)
    text = _IRI.sub("<>", text)
    return _COMMENT.sub("", text)


def query_form(query: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE; None when the text is not a query (e.g. an update).

    >>> query_form('PREFIX ex: <http://ex/select#> # ASK?\\nselect * { ?s ?p "CONSTRUCT" }')
    'SELECT'
    """
    match = _FORM.search(_code_only(query))
    return match.group(1).upper() if match else None


def with_prefixes(query: str, prefixes: str) -> str:
    """Prepend the registry's PREFIX lines for those prefixes the query uses without declaring.

    >>> with_prefixes("SELECT * { ?s a tq:Power }", "PREFIX tq: <https://w3id.org/thamquyen/ontology#>\\nPREFIX x: <http://x/>\\n")
    'PREFIX tq: <https://w3id.org/thamquyen/ontology#>\\nSELECT * { ?s a tq:Power }'
    """
    code = _code_only(query)
    declared = {m.group(1) or "" for m in _DECLARED.finditer(code)}
    lines = []
    for line in prefixes.splitlines():
        name = line.split()[1].rstrip(":")
        if name not in declared and re.search(rf"(?<![\w?$]){re.escape(name)}:", code):
            lines.append(line + "\n")
    return "".join(lines) + query
