"""A decree's structure — header, dates, Chương / Mục / Điều / clause "1." / point "a)" — and what
its headings say (mode, field), for the extractor (registry/extract.py)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .errors import InputError
from .extract_holders import PORTFOLIOS
from .namespaces import fold

_NUMBER = re.compile(r"^Số:\s*(\d+/\d{4}/[A-ZĐa-zđ0-9\-]+)")
_DATE = r"ngày (\d{1,2}) tháng (\d{1,2}) năm (\d{4})"
_CHAPTER = re.compile(r"^Chương ([IVXLC]+|\d+)\b[.:]?\s*(.*)$")
_SECTION = re.compile(r"^Mục (\d+|[IVXLC]+)\b[.:]?\s*(.*)$")
_ARTICLE = re.compile(r"^Điều (\d+[a-z]?)\.\s*(.*)$")
_CLAUSE = re.compile(r"^(\d+[a-z]?)\.\s+(.+)$")
_POINT = re.compile(r"^([a-zđ])\)\s*(.+)$")
_BODY_END = re.compile(r"^(?:Nơi nhận\b|PHỤ LỤC\b|Phụ lục(?: [IVXLC\d]+)?$)")

# Chapters and articles that frame the decree rather than move powers.
_FRAME_CHAPTERS = ("quy dinh chung", "dieu khoan thi hanh", "to chuc thuc hien", "trach nhiem")
_FRAME_ARTICLES = ("pham vi dieu chinh", "doi tuong ap dung", "giai thich tu ngu", "nguyen tac",
                   "ve phi, le phi", "hieu luc", "trach nhiem thi hanh", "to chuc thuc hien",
                   "trach nhiem cua cac bo", "trach nhiem cua bo")
_MODES = (("phan dinh tham quyen", "phân định"), ("phan quyen", "phân quyền"),
          ("phan cap", "phân cấp"), ("uy quyen", "ủy quyền"))


@dataclass
class Provision:
    """An article body, a numbered clause or a point, with the headings it sits under."""

    article: str
    clause: str = ""
    point: str = ""
    text: str = ""
    more: list[str] = field(default_factory=list)
    lead: str = ""
    article_title: str = ""
    section_title: str = ""
    chapter_title: str = ""
    framing: bool = False
    transitional: bool = False


@dataclass
class Decree:
    """What the extractor reads from a decree: its number, title, dates and provisions."""

    number: str
    title: str = ""
    issued: dt.date | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    provisions: list[Provision] = field(default_factory=list)


def _date(day: str, month: str, year: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _split_glued_title(title: str) -> tuple[str, str]:
    """An article title glued to its body ("…bất động sảnTrách nhiệm…" in some text exports)."""
    for i in range(1, len(title) - 1):
        if title[i - 1].islower() and title[i].isupper() and title[i + 1].islower():
            return title[:i], title[i:]
    return title, ""


def parse_decree(lines: list[str], file: str | None = None) -> Decree:
    """The structure of a decree: header, dates, and every provision under its headings.

    Args:
        lines: the document's normalised lines (see `extract_text.read_lines`).
        file: the file name, for errors.

    Returns:
        A Decree; its provisions in text order, framing ones (scope, principles, entry into force)
        flagged so that they yield no rows.

    Raises:
        InputError: no "Số: N/YYYY/…" header, or no article.
    """
    start = next((i for i, line in enumerate(lines) if _NUMBER.match(line)), None)
    if start is None:
        raise InputError('no decree number ("Số: …/…/NĐ-CP") in the header', file=file)
    decree = Decree(number=_NUMBER.match(lines[start]).group(1))
    for line in lines[start:start + 6]:
        found = re.search(_DATE, line)
        if found:
            decree.issued = _date(*found.groups())
            break
    body = lines[start + 1:]
    end = next((i for i, line in enumerate(body) if _BODY_END.match(line) and i > 0), len(body))
    body = body[:end]
    decree.title = _title(body)
    decree.valid_from, decree.valid_until = _validity(body, decree.issued)
    decree.provisions = _provisions(body)
    if not decree.provisions:
        raise InputError(f"no article (\"Điều 1. …\") in decree {decree.number}", file=file)
    return decree


def _title(body: list[str]) -> str:
    for i, line in enumerate(body):
        if line.upper() == line and fold(line) in ("nghi dinh", "nghi quyet", "quyet dinh", "thong tu"):
            title = []
            for following in body[i + 1:]:
                if following.startswith("Căn cứ") or _CHAPTER.match(following) or _ARTICLE.match(following):
                    break
                title.append(following)
            return " ".join(title)
    return ""


def _validity(body: list[str], issued: dt.date | None) -> tuple[dt.date | None, dt.date | None]:
    """First day in force and first day no longer in force, as the decree states them about itself."""
    this = r"(?:Nghị định|Nghị quyết|Quyết định|Thông tư) này"
    valid_from = valid_until = None
    for line in body:
        if not re.search(this, line):
            continue
        if valid_from is None:
            found = re.search(rf"có hiệu lực(?: thi hành)?(?: kể)? từ {_DATE}", line)
            if found:
                valid_from = _date(*found.groups())
            elif re.search(r"có hiệu lực(?: thi hành)? kể từ ngày ký", line):
                valid_from = issued
        if valid_until is None:
            found = (re.search(rf"hết hiệu lực(?: thi hành)? (?:kể )?từ {_DATE}", line)
                     or re.search(rf"được thực hiện đến trước {_DATE}", line))
            if found:
                valid_until = _date(*found.groups())
            else:
                found = re.search(rf"(?:được thực hiện|có hiệu lực) đến hết {_DATE}", line)
                if found and _date(*found.groups()):
                    valid_until = _date(*found.groups()) + dt.timedelta(days=1)
    return valid_from, valid_until


def _provisions(body: list[str]) -> list[Provision]:
    provisions: list[Provision] = []
    chapter = section = ""
    article: Provision | None = None
    clause: Provision | None = None
    current: Provision | None = None
    pending_title: str | None = None     # "Chương II" / "Mục 1" whose title is on the next line
    for line in body:
        if pending_title is not None:
            if pending_title == "chapter":
                chapter = line
            else:
                section = line
            pending_title = None
            continue
        if m := _CHAPTER.match(line):
            chapter, section, article, clause, current = m.group(2), "", None, None, None
            pending_title = None if m.group(2) else "chapter"
            continue
        if m := _SECTION.match(line):
            section, article, clause, current = m.group(2), None, None, None
            pending_title = None if m.group(2) else "section"
            continue
        if m := _ARTICLE.match(line):
            title, glued = _split_glued_title(m.group(2))
            article = Provision(article=m.group(1), text=glued, article_title=title,
                                section_title=section, chapter_title=chapter)
            article.framing = _is_framing(article)
            article.transitional = "chuyen tiep" in fold(title)
            provisions.append(article)
            clause = None
            current = article
            continue
        if article is None:
            continue
        if m := _CLAUSE.match(line):
            clause = _child(article, clause=m.group(1), text=m.group(2))
            provisions.append(clause)
            current = clause
        elif m := _POINT.match(line):
            parent = clause or article
            current = _child(article, clause=parent.clause, point=m.group(1), text=m.group(2),
                             lead=parent.text)
            provisions.append(current)
        elif current is article and not article.text:
            article.text = line
        else:
            current.more.append(line)
    return provisions


def _child(article: Provision, **fields) -> Provision:
    return Provision(article=article.article, article_title=article.article_title,
                     section_title=article.section_title, chapter_title=article.chapter_title,
                     framing=article.framing, transitional=article.transitional, **fields)


def _is_framing(article: Provision) -> bool:
    chapter = fold(article.chapter_title)
    title = fold(article.article_title)
    return (any(chapter.startswith(c) for c in _FRAME_CHAPTERS)
            or any(title.startswith(a) for a in _FRAME_ARTICLES))


def mode_of(heading: str) -> str | None:
    """The one mode a heading names, or None if it names none or several.

    >>> mode_of("Mục 2. PHÂN CẤP TRONG LĨNH VỰC DẦU KHÍ"), mode_of("PHÂN QUYỀN, PHÂN CẤP")
    ('phân cấp', None)
    """
    folded = fold(heading)
    found = []
    for key, mode in _MODES:
        if key in folded:
            found.append(mode)
            folded = folded.replace(key, " ")
    return found[0] if len(found) == 1 else None


def heading_mode(provision: Provision, decree: Decree) -> str:
    """The mode of the nearest heading that names one: Mục, article title, chapter, decree title."""
    for heading in (provision.section_title, provision.article_title, provision.chapter_title,
                    decree.title):
        mode = mode_of(heading)
        if mode:
            return mode
    return ""


def heading_sector(provision: Provision, decree: Decree) -> str:
    """The field a provision's nearest heading names: "… trong lĩnh vực X" or "quản lý nhà nước về X"."""
    for heading in (provision.article_title, provision.section_title, provision.chapter_title, decree.title):
        # "Bộ quản lý ngành, lĩnh vực" names a ministry, not a field
        found = list(re.finditer(r"(?<!ngành, )lĩnh vực\s+|quản lý nhà nước về\s+", heading, re.IGNORECASE))
        if found:
            sector = heading[found[-1].end():]
            sector = re.split(r"\s+(?:tại|theo|của chính quyền)\s+|\s*\("
                              r"|\s+(?:và )?(?:Nghị định|Luật|Quyết định|Thông tư|NGHỊ ĐỊNH|LUẬT)\b", sector)[0]
            return _sentence_case(sector) if sector.isupper() else sector
    return ""


def _sentence_case(heading: str) -> str:
    """An upper-case heading's words in lower case, ministries keeping their names ("Bộ Công Thương")."""
    text = heading.lower()
    for portfolio in PORTFOLIOS:
        text = re.sub(rf"\bbộ {re.escape(portfolio.lower())}\b", f"Bộ {portfolio}", text)
    return text.replace("việt nam", "Việt Nam")
