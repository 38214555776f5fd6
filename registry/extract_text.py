"""Read a decree's text from .docx, .txt or .html into normalised lines, one paragraph a line.

The extractor works on lines: a Word paragraph, a line of a text file, or an HTML block (p, div, td,
li, br …). Normalisation is only what makes the same text compare equal across the three formats:
Unicode NFC, no-break and zero-width spaces as plain spaces, runs of spaces collapsed; in text and
HTML exports, sentences broken around links are rejoined.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from html.parser import HTMLParser
from pathlib import Path

from .errors import InputError

SUFFIXES = (".docx", ".txt", ".html", ".htm")

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\ufeff]")


def normalise_line(text: str) -> str:
    """One line as the extractor compares it.

    >>> normalise_line("  Căn cứ\\u00a0Luật  Tổ chức ")
    'Căn cứ Luật Tổ chức'
    """
    text = unicodedata.normalize("NFC", _INVISIBLE.sub("", text))
    return _SPACES.sub(" ", text).strip()


_TERMINATED = re.compile(r"[.;:!?]$")
_CONTINUES = re.compile(r"^(?:[,;.)]|\d+/\d{4}/[\wĐ\-]+\b)")
_POINT = re.compile(r"^[a-zđ]\)")


def _continues(line: str) -> bool:
    return bool(_CONTINUES.match(line)) or (line[0].islower() and not _POINT.match(line))


def join_broken_lines(lines: list[str]) -> list[str]:
    """Rejoin sentences that a web export broke around links ("Nghị định số" / "131/2021/NĐ-CP" /
    "ngày …"): a line continues the previous one when that one is not terminated and this one
    starts with a lower-case word (not a point "a)"), a bare instrument number or punctuation.

    >>> join_broken_lines(["theo Nghị định số", "131/2021/NĐ-CP", "ngày 30 tháng 12", "a) Điểm"])
    ['theo Nghị định số 131/2021/NĐ-CP ngày 30 tháng 12', 'a) Điểm']
    """
    joined: list[str] = []
    for line in lines:
        if joined and not _TERMINATED.search(joined[-1]) and _continues(line):
            glue = "" if line[0] in ",;.)" else " "
            joined[-1] = joined[-1] + glue + line
        else:
            joined.append(line)
    return joined


def read_lines(path: str | Path) -> list[str]:
    """The non-empty, normalised lines of a decree file.

    Args:
        path: a .docx (Word), .txt (UTF-8) or .html/.htm (a saved web page) file.

    Returns:
        The document's lines in reading order, tables included (the decree header is a table).

    Raises:
        InputError: unknown extension, a file that cannot be read or decoded, or no text at all.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(f"unknown file type {path.suffix or '(none)'!r}; expected one of "
                         + ", ".join(SUFFIXES), file=str(path))
    try:
        if suffix == ".docx":
            raw = _docx_lines(path)
        elif suffix == ".txt":
            raw = path.read_text(encoding="utf-8-sig").splitlines()
        else:
            raw = _html_lines(path.read_text(encoding="utf-8-sig"))
    except InputError:
        raise
    except OSError as error:
        raise InputError(f"cannot read the file: {error.strerror or error}", file=str(path)) from None
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 text: {error.reason} at byte {error.start}", file=str(path)) from None
    lines = [line for line in (normalise_line(text) for text in raw) if line]
    if suffix != ".docx":
        lines = join_broken_lines(lines)
    if not lines:
        raise InputError("the document has no text", file=str(path))
    return lines


def _docx_lines(path: Path) -> list[str]:
    """Paragraphs and table cells of a Word file, in document order; a line break splits a paragraph."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from lxml.etree import XMLSyntaxError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, XMLSyntaxError, zipfile.BadZipFile, KeyError, ValueError):
        raise InputError("not a readable Word (.docx) document", file=str(path)) from None
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(_table_lines(block))
        else:
            lines.extend(block.text.split("\n"))
    return lines


def _table_lines(table) -> list[str]:
    lines: list[str] = []
    for row in table.rows:
        seen = set()
        for cell in row.cells:
            if id(cell._tc) in seen:      # a merged cell is returned once per grid column
                continue
            seen.add(id(cell._tc))
            for paragraph in cell.paragraphs:
                lines.extend(paragraph.text.split("\n"))
    return lines


class _BlockText(HTMLParser):
    """Collects text, starting a new line at every block element; script and style are dropped."""

    BLOCKS = {"p", "div", "br", "tr", "td", "th", "li", "ul", "ol", "table", "h1", "h2", "h3",
              "h4", "h5", "h6", "section", "article", "header", "footer", "blockquote", "pre", "dd",
              "dt", "hr", "title"}
    SKIP = {"script", "style", "noscript", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._current: list[str] = []
        self._skipping = 0

    def _flush(self) -> None:
        if self._current:
            self.lines.append(" ".join("".join(self._current).split()))
            self._current = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skipping += 1
        elif tag in self.BLOCKS:
            self._flush()

    def handle_startendtag(self, tag, attrs):
        if tag in self.BLOCKS:
            self._flush()

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self.BLOCKS:
            self._flush()

    def handle_data(self, data):
        if not self._skipping:
            self._current.append(data)

    def close(self):
        super().close()
        self._flush()


def _html_lines(html: str) -> list[str]:
    parser = _BlockText()
    parser.feed(html)
    parser.close()
    return parser.lines
