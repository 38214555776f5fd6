"""Find the authorities a provision names, and give each the full name the law uses.

Decrees name a holder in a few fixed shapes: a body with its level ("Ủy ban nhân dân cấp xã"), a post
of a body ("Chủ tịch Ủy ban nhân dân cấp tỉnh"), a ministry or department by its portfolio ("Bộ trưởng
Bộ Xây dựng", "Sở Công Thương"), or an agency described by what it belongs to ("cơ quan chuyên môn
về xây dựng thuộc Ủy ban nhân dân cấp tỉnh"). This module is that grammar, and nothing else: it holds
no fact about who holds what.

Two entry points: `parse_holders` for a phrase already cut out of the text (the X of "do X thực hiện",
or a curated holder column), `holders_at` for holders that open a sentence ("Ủy ban nhân dân cấp xã
thực hiện nhiệm vụ …") where the end of the name must be found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Portfolios of ministries (Bộ …) and provincial departments (Sở …), as the 2025 decrees and the
# older texts they cite spell them. Needed because a portfolio's end cannot be read from the
# letters: "Bộ Xây dựng", "Bộ Nông nghiệp và Môi trường", "Bộ Văn hóa, Thể thao và Du lịch".
PORTFOLIOS = (
    "Công Thương", "Xây dựng", "Nông nghiệp và Môi trường", "Tài chính", "Nội vụ", "Tư pháp",
    "Công an", "Quốc phòng", "Ngoại giao", "Y tế", "Giáo dục và Đào tạo", "Khoa học và Công nghệ",
    "Văn hóa, Thể thao và Du lịch", "Dân tộc và Tôn giáo", "Văn hóa và Thể thao", "Du lịch",
    "Ngoại vụ", "Tài nguyên và Môi trường", "Kế hoạch và Đầu tư", "Giao thông vận tải",
    "Lao động - Thương binh và Xã hội", "Thông tin và Truyền thông",
    "Nông nghiệp và Phát triển nông thôn", "Thương mại",
)
_PORTFOLIO = "(?:" + "|".join(re.escape(p) for p in sorted(PORTFOLIOS, key=len, reverse=True)) + ")"

# Levels as written, longest first, and the level the law calls them by.
_LEVELS = (
    ("huyện, quận, thị xã, thành phố thuộc tỉnh, thành phố thuộc thành phố trực thuộc trung ương",
     "cấp huyện"),
    ("huyện, quận, thị xã, thành phố thuộc tỉnh", "cấp huyện"),
    ("tỉnh, thành phố trực thuộc trung ương", "cấp tỉnh"),
    ("tỉnh, thành phố trực thuộc Trung ương", "cấp tỉnh"),
    ("xã, phường, đặc khu", "cấp xã"),
    ("xã, phường, thị trấn", "cấp xã"),
    ("cấp tỉnh", "cấp tỉnh"), ("cấp huyện", "cấp huyện"), ("cấp xã", "cấp xã"),
    ("các cấp", "các cấp"), ("cùng cấp", "cùng cấp"), ("cấp trên", "cấp trên"),
    ("cấp dưới", "cấp dưới"),
    ("tỉnh", "cấp tỉnh"), ("huyện", "cấp huyện"), ("xã", "cấp xã"),
)
_LEVEL_NAMES = dict(_LEVELS)
_LEVEL = "(?:" + "|".join(re.escape(written) for written, _ in _LEVELS) + r")(?![\w])"

_UBND = r"(?:Ủy ban nhân dân|UBND)"
_HDND = r"(?:Hội đồng nhân dân|HĐND)"

# Heads with a name whose end the grammar knows. Order matters: longer shapes first.
_NAMED_HEADS = [
    ("chairman", rf"(?P<vice>Phó )?Chủ tịch {_UBND}(?: (?P<level>{_LEVEL}))?"),
    ("standing", rf"Thường trực {_HDND}(?: (?P<level>{_LEVEL}))?"),
    ("council", rf"{_HDND}(?: (?P<level>{_LEVEL}))?"),
    ("front", rf"Ủy ban Mặt trận [Tt]ổ quốc Việt Nam(?: (?P<level>{_LEVEL}))?"),
    ("committee", rf"{_UBND}(?: (?P<level>{_LEVEL}))?"),
    ("fixed", r"Phó Thủ tướng Chính phủ|Thủ tướng Chính phủ|Chính phủ"),
    ("fixed", r"Bộ trưởng, Thủ trưởng cơ quan ngang bộ|Thủ trưởng cơ quan ngang bộ"
              r"|Thủ trưởng cơ quan thuộc Chính phủ|Người đứng đầu cơ quan trung ương"),
    ("minister", rf"Bộ trưởng Bộ (?P<portfolio>{_PORTFOLIO})"),
    ("fixed", r"Bộ trưởng (?:các )?bộ quản lý ngành, lĩnh vực|Bộ trưởng các bộ"),
    ("fixed", r"[Bb]ộ, cơ quan ngang [Bb]ộ|[Bb]ộ quản lý ngành, lĩnh vực"
              r"|(?:các )?bộ quản lý công trình xây dựng chuyên ngành"),
    ("ministry", rf"Bộ (?P<portfolio>{_PORTFOLIO})"),
    ("director", rf"Giám đốc Sở (?P<portfolio>{_PORTFOLIO})"),
    ("department", rf"Sở (?P<portfolio>{_PORTFOLIO})"),
    ("agency", rf"[Cc]ơ quan (?:chuyên môn|được giao|quản lý)[^,;()]*? thuộc {_UBND} (?P<level>{_LEVEL})"),
    ("agency", r"[Cc]ơ quan công an cấp xã|[Cc]ơ quan quản lý nhà nước có thẩm quyền"),
    ("fixed", r"Cục [A-ZĐ][^,;()]*? Việt Nam"),
    ("fixed", r"công chức (?:làm công tác )?[Tt]ư pháp - [Hh]ộ tịch(?: cấp xã)?"),
]
_NAMED = [(kind, re.compile(pattern)) for kind, pattern in _NAMED_HEADS]

# Heads that open a descriptive name ("đại diện chủ sở hữu nhà ở thuộc tài sản công"); accepted only
# inside a phrase whose end the text marks (the X of "do X thực hiện").
_GENERIC_HEAD = re.compile(
    r"(?:[Cc]ơ quan|[Đđ]ại diện chủ sở hữu|[Cc]hính quyền|[Nn]gười đứng đầu|[Tt]ổ chức|[Đđ]ơn vị"
    r"|[Cc]ông chức|Văn phòng|Chi nhánh|Ban|Phòng|Trung tâm|Cảng vụ|Chi cục|Cục|Tổng cục"
    r"|Thanh tra|Kho bạc|Ngân hàng|Giám đốc|Trưởng phòng|[Ll]ãnh đạo)\b")

# "Chủ tịch Ủy ban nhân dân cấp tỉnh hoặc cấp xã": the second level shares the first one's head.
_ELLIPSIS = re.compile(rf"(?:,| và| hoặc) (?P<level>{_LEVEL})")
_SEPARATOR = re.compile(r"(?:,| và| hoặc|;)\s+")
# Words after a holder that end the list: the rest says how, with whom, or where, not who.
_ENDS_LIST = re.compile(r"\s*(?:chủ trì|phối hợp|trong phạm vi|theo|khi|nếu|trong trường hợp|đối với"
                        r"|kiểm tra|xem xét|quyết định|tổ chức|thì)\b")
_ALIAS = re.compile(r"\s*\(sau đây gọi(?: chung| tắt)? là ([^()]+)\)")


@dataclass(frozen=True)
class Holder:
    """An authority named by a provision.

    Attributes:
        name: the full name the law uses ("Ủy ban nhân dân cấp tỉnh").
        written: the words of the text ("Ủy ban nhân dân tỉnh").
        qualifier: what the text adds to the name ("nơi có dự án"), or "".
    """

    name: str
    written: str
    qualifier: str = ""


def respell(text: str) -> str:
    """The spelling the grammar reads: modern tone placement, abbreviations written out.

    >>> respell("Chủ tịch UBND tỉnh và HĐND xã; Uỷ ban")
    'Chủ tịch Ủy ban nhân dân tỉnh và Hội đồng nhân dân xã; Ủy ban'
    """
    text = text.replace("Uỷ", "Ủy").replace("uỷ", "ủy")
    text = re.sub(r"\bUBND\b", "Ủy ban nhân dân", text)
    return re.sub(r"\bHĐND\b", "Hội đồng nhân dân", text)


def _canonical(kind: str, match: re.Match) -> str:
    groups = match.groupdict()
    level = _LEVEL_NAMES.get(groups.get("level") or "", "")
    suffix = f" {level}" if level else ""
    if kind == "chairman":
        return f"{'Phó ' if groups.get('vice') else ''}Chủ tịch Ủy ban nhân dân{suffix}"
    if kind == "standing":
        return f"Thường trực Hội đồng nhân dân{suffix}"
    if kind == "council":
        return f"Hội đồng nhân dân{suffix}"
    if kind == "committee":
        return f"Ủy ban nhân dân{suffix}"
    if kind == "front":
        return f"Ủy ban Mặt trận Tổ quốc Việt Nam{suffix}"
    if kind == "minister":
        return f"Bộ trưởng Bộ {groups['portfolio']}"
    if kind == "ministry":
        return f"Bộ {groups['portfolio']}"
    if kind == "director":
        return f"Giám đốc Sở {groups['portfolio']}"
    if kind == "department":
        return f"Sở {groups['portfolio']}"
    text = match.group(0)
    if kind == "agency" and groups.get("level"):
        text = text[: match.start("level") - match.start()] + _LEVEL_NAMES[groups["level"]]
    return text[0].lower() + text[1:] if text.startswith("Cơ quan") else text


def _named_at(text: str, pos: int) -> tuple[str, int] | None:
    """The named holder starting exactly at `pos`: (full name, end), or None."""
    for kind, pattern in _NAMED:
        match = pattern.match(text, pos)
        if match:
            end = match.end()
            if end < len(text) and (text[end].isalnum()):
                continue                   # "Bộ Công Thương" must not match inside a longer word
            alias = _ALIAS.match(text, end)
            if alias:
                aliased = parse_holders(alias.group(1))
                if aliased:
                    return aliased[0].name, alias.end()
            return _canonical(kind, match), end
    return None


def _next_holder_start(text: str, pos: int, generic: bool) -> int | None:
    """Where the next holder of a list starts, if a separator at `pos` introduces one."""
    separator = _SEPARATOR.match(text, pos)
    if not separator:
        return None
    start = separator.end()
    if _named_at(text, start) or (generic and _GENERIC_HEAD.match(text, start)):
        return start
    return None


def parse_holders(phrase: str) -> list[Holder]:
    """The holders of a phrase whose ends the text marks.

    Args:
        phrase: e.g. the X of "do X thực hiện", or a holder column of a curated table.

    Returns:
        One Holder per authority the phrase lists, in order; empty when it names none.

    >>> [h.name for h in parse_holders("Bộ trưởng Bộ Công Thương, Bộ trưởng Bộ Công an")]
    ['Bộ trưởng Bộ Công Thương', 'Bộ trưởng Bộ Công an']
    >>> parse_holders("Ủy ban nhân dân cấp xã nơi có dự án")
    [Holder(name='Ủy ban nhân dân cấp xã', written='Ủy ban nhân dân cấp xã', qualifier='nơi có dự án')]
    >>> [h.name for h in parse_holders("Sở Xây dựng các tỉnh, thành phố (sau đây gọi chung là Sở Xây dựng)")]
    ['Sở Xây dựng']
    >>> parse_holders("cá nhân, tổ chức tự")
    []
    """
    text = respell(" ".join(phrase.split()))
    alias = _ALIAS.search(text)
    if alias and parse_holders(alias.group(1)):
        text = alias.group(1) + text[alias.end():]
    holders: list[Holder] = []
    pos = 0
    while pos < len(text):
        named = _named_at(text, pos)
        if named:
            name, end = named
        elif _GENERIC_HEAD.match(text, pos):
            end = _generic_end(text, pos)
            name = text[pos:end].strip()
            name = name[0].lower() + name[1:] if name.startswith(("Cơ quan", "Chính quyền")) else name
        else:
            break
        for name, end in _with_shared_head(text, name, end):
            holders.append(Holder(name, text[pos:end].strip()))
        qualifier_end = _qualifier_end(text, end)
        last = holders[-1]
        holders[-1] = Holder(last.name, last.written, text[end:qualifier_end].strip(" ,;"))
        following = _next_holder_start(text, qualifier_end, generic=True)
        if following is None:
            break
        pos = following
    return holders


def _with_shared_head(text: str, name: str, end: int) -> list[tuple[str, int]]:
    """The holder (name, end), and the holders that share its head by a bare second level."""
    found = [(name, end)]
    current = next((level for _, level in _LEVELS if name.endswith(" " + level)), None)
    while current:
        m = _ELLIPSIS.match(text, end)
        if not m:
            break
        level = _LEVEL_NAMES[m.group("level")]
        name = name[: -len(current)] + level
        end = m.end()
        current = level
        found.append((name, end))
    return found


def _generic_end(text: str, pos: int) -> int:
    """End of a descriptive name: the next separator that opens another holder, or a qualifier."""
    end = pos
    while end < len(text):
        if _next_holder_start(text, end, generic=False) is not None:
            return end
        if re.match(r" (?:nơi|tại|đặt tại|trên địa bàn)\b", text[end:]):
            return end
        end += 1
    return end


def _qualifier_end(text: str, pos: int) -> int:
    """End of what follows a holder's name before the next holder of the list (or the phrase end).

    Right after a name, a descriptive holder may follow ("Sở Nông nghiệp và Môi trường, chính quyền
    cấp xã"); after words that qualify the name only a named one may ("Chủ tịch Ủy ban nhân dân cấp
    tỉnh quản lý cơ quan, tổ chức, đơn vị …" lists what the Chairman manages, not more holders).
    """
    if _ENDS_LIST.match(text, pos):
        return len(text)
    end = pos
    while end < len(text):
        if _next_holder_start(text, end, generic=end == pos) is not None:
            return end
        end += 1
    return end


def holders_at(text: str, pos: int = 0) -> tuple[list[Holder], int]:
    """Holders that open `text` at `pos` ("Chủ tịch Ủy ban nhân dân cấp tỉnh hoặc cơ quan … quyết định").

    Only named heads are read here: without an end marked by the text, a descriptive name has no end.

    Args:
        text: a sentence.
        pos: where the holder list should start.

    Returns:
        (holders, end): the holders listed from `pos` and where the list ends; ([], pos) if none.

    >>> hs, end = holders_at("Ủy ban nhân dân cấp xã thực hiện nhiệm vụ")
    >>> [h.name for h in hs], end
    (['Ủy ban nhân dân cấp xã'], 22)
    """
    text = text.replace("Uỷ", "Ủy")
    holders: list[Holder] = []
    end = pos
    while True:
        named = _named_at(text, pos)
        if not named:
            break
        for name, end in _with_shared_head(text, *named):
            holders.append(Holder(name, text[pos:end]))
        following = _next_holder_start(text, end, generic=False)
        if following is None:
            break
        pos = following
    return holders, end
