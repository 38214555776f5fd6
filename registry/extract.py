"""`extract`: read a decree's text and propose assignment rows in the authoring template.

A decree is cut into its structure — Chương / Mục / Điều / numbered clause "1." / point "a)" — and
each provision is read for the few shapes in which the 2025 decrees move a power:

- "Thẩm quyền … quy định tại <provision> do <holder> thực hiện" (and "Nhiệm vụ, quyền hạn của <X> …
  do <holder> thực hiện", where X is the former holder);
- "<holder> thực hiện nhiệm vụ … quy định tại <provision>" (a holder opening the provision);
- in a transitional article, "… được chuyển giao cho <holder>".

Mode comes from the nearest heading that names one (Mục, then Điều, then Chương, then the decree's
title), unless the provision itself makes the power conditional on "được <X> phân cấp / ủy quyền".
Dates come from the decree's own entry-into-force article. A field the text does not state stays
empty: the rows are proposals for a reviewer, never facts the extractor made up.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from .extract_holders import Holder, holders_at, parse_holders
from .extract_structure import Decree, Provision, heading_mode, heading_sector, parse_decree
from .extract_text import read_lines
from .namespaces import fold, slug
from .template import COLUMNS as TEMPLATE_COLUMNS
from .template import Row, write_template

# Provisions that say how a power is exercised, not who holds it.
_PROCEDURE = re.compile(r"^(?:Trình tự|Thủ tục|Hồ sơ|Thời hạn|Thời gian|Mẫu|Biểu mẫu|Không thực hiện"
                        r"|Trong thời hạn|Thành phần hồ sơ|Nội dung trình)\b")
# "… chịu trách nhiệm thi hành Nghị định này": the closing formula, not a power.
_IMPLEMENTS = re.compile(r"\b(?:chịu trách nhiệm|tổ chức) thi hành (?:Nghị định|Quyết định|Thông tư) này")

# --- the shapes of an assignment ---
_PASSIVE = re.compile(r"\bdo\s+(?P<x>(?:(?!\bdo\s)[^;:.])+?)\s+(?:(?:tổ chức\s+)?thực hiện\b"
                      r"|quyết định(?=\s*(?:[.;]|$)))")
_ALTERNATIVE = re.compile(r"\s+hoặc\s+(?P<x>(?:(?!\bdo\s)[^;:.])+?)\s+thực hiện\b")
_TRANSFER = re.compile(r"\b(?:được )?chuyển (?:giao )?(?:tương ứng )?(?:cho|về) ")
# "Căn cứ điều kiện thực tế của địa phương, Ủy ban nhân dân cấp tỉnh …": the holder follows the comma.
_INTRO = re.compile(r"(?:Căn cứ|Trên cơ sở)\b[^,;.:]*,\s+")
# After a holder that opens a sentence: the holder acts, unless it only takes part, or does not
# ("Bộ Xây dựng, Cục … không thực hiện …": the subject may go on past the holders the grammar knows).
_WEAK_VERBS = re.compile(r"\s*(?:phối hợp|có trách nhiệm phối hợp|tham gia)\b")
_NEGATION = re.compile(r"[^;.]{0,60}?\b(?:không|chưa) (?:thực hiện|được)\b")

# --- sentences; a citation list ("khoản 3 Điều 22; khoản 2 Điều 45") does not end one ---
_FULL_STOP = re.compile(r"\.\s+")
_BOUNDARY = re.compile(r"[.;]\s+")
_SEGMENT = re.compile(r"[.;:]\s+|,?\s+thì\s+")
_CITATION_START = re.compile(r"(?:các |và )?(?:điểm|khoản|Điều|Mục|Phụ lục|Chương)\b")

# --- the cited provision of the specialised law ---
_REFERENCE = re.compile(r"\b(?:theo quy định tại|quy định tại|tại|quy định(?= (?:điểm|khoản|Điều) ))\s+"
                        r"(?=(?:các (?:điểm|khoản|Điều) |điểm |khoản |Điều |Mục |Phụ lục |Chương |Luật |"
                        r"Bộ luật |Nghị định |Nghị quyết |Quyết định |Thông tư |Pháp lệnh ))")
_INSTRUMENT = re.compile(r"\b(?:Luật|Bộ luật|Pháp lệnh|Nghị định|Nghị quyết|Quyết định|Thông tư)\b")
_TITLE_INSTRUMENT = re.compile(r"\btại ((?:Luật|Bộ luật|Pháp lệnh|Nghị định|Nghị quyết|Quyết định)\b.*?)"
                               r"(?= ngày | được sửa đổi| \(|$)")

# --- the former holder, and conditions on the holder ---
_FORMER_LEAD = re.compile(r"^(?:Nhiệm vụ|Thẩm quyền|Trách nhiệm|Quyền hạn)(?:, (?:quyền hạn|thẩm quyền|"
                          r"nhiệm vụ))? của ")
_FORMER_FOLLOW = re.compile(r"\s*(?:\((?:sau đây|trước đây|nay là)[^)]*\)\s*)?(?:nơi [^;]*?\s*)?"
                            r"(?:(?:trong trường hợp|khi|nếu) được [^,;]*?\s*)?"
                            r"(?:theo quy định tại|quy định tại|tại|về|trong|đối với)\b")
# "… năm 2024 của Chính phủ" names a cited decree's issuer, "theo chỉ đạo của …" an overseer.
_NOT_FORMER = re.compile(r"(?:năm \d{4}|/[A-ZĐ\-]+\d*|chỉ đạo|đề nghị|hướng dẫn|yêu cầu|phân cấp|ủy quyền"
                         r"|quyết định|phê duyệt|chấp thuận|ý kiến|văn bản|phạm vi quản lý)\s*$")
_CONDITION = re.compile(r"(?:khi|nếu|trong trường hợp)?\s*được\s+(?P<grantor>[^,;.]*?)\s*"
                        r"(?P<mode>ủy quyền, phân cấp|phân cấp, ủy quyền|phân cấp|ủy quyền|giao)\b"
                        r"|theo phân cấp của (?P<grantor2>[^,;.]+)")


def clean_reference(text: str) -> str:
    """A provision of a specialised law as cited, without the cited decrees' long titles.

    >>> clean_reference("khoản 9 Điều 53 Nghị định số 175/2024/NĐ-CP ngày 30 tháng 12 năm 2024 "
    ...                 "của Chính phủ quy định chi tiết một số điều")
    'khoản 9 Điều 53 Nghị định số 175/2024/NĐ-CP'
    """
    text = re.sub(r"\s*\(sau đây gọi[^)]*\)", "", text)
    text = re.sub(r"((?:Nghị định|Nghị quyết|Quyết định|Thông tư(?: liên tịch)?)(?: số)? \d+/\d{4}/[\wĐ\-]+)"
                  r"\s+ngày \d{1,2} tháng \d{1,2} năm \d{4}.*?"
                  r"(?=[,;] (?:các |và )?(?:điểm|khoản|Điều|Mục|Phụ lục)\b"
                  r"| và (?:các )?(?:điểm|khoản|Điều)\b|$)",
                  r"\1", text)
    return text.strip(" ,;.")


def _sentence_end(text: str, start: int) -> int:
    """Where the sentence (or ";"-part) that `start` is in ends; a ";" inside a list of cited
    provisions ("khoản 3 Điều 22; khoản 2 Điều 45") does not end it."""
    for m in _BOUNDARY.finditer(text, start):
        if not _CITATION_START.match(text, m.end()):
            return m.start()
    return len(text)


def _segment_starts(text: str) -> list[int]:
    """Where a sentence, a ";"-part, the part after ":" or after "thì" starts."""
    starts = [0]
    for m in _SEGMENT.finditer(text):
        if _CITATION_START.match(text, m.end()):
            continue
        if m.group(0).startswith(":") and re.search(r"\bgồm\s*$", text[:m.start()]):
            continue                  # "thành viên … bao gồm: Chủ tịch …" lists members, not holders
        starts.append(m.end())
    return starts + [m.end() for m in (_INTRO.match(text, start) for start in starts) if m]


def _defining_provision(segment: str, last: bool) -> str:
    """The cited provision of the specialised law in a stretch of a provision's text.

    Args:
        segment: the words around the holder: before "do <holder> thực hiện" (`last`: the
            nearest citation to the holder defines the power), or after "<holder> thực hiện …"
            (the first citation, up to the end of the sentence).

    Returns:
        The citation without the cited decrees' titles; it may lack the instrument ("khoản 2 Điều
        14"), see `_complete_reference`. Empty when there is none or it cites this decree.
    """
    starts = [m.end() for m in _REFERENCE.finditer(segment)
              if not re.search(r"(?:sửa đổi|bổ sung|thay thế)\s*$", segment[:m.start()])]
    if not starts:
        return ""
    start = starts[-1] if last else starts[0]
    span = segment[start:]
    if not last:
        span = span[:_sentence_end(span, 0)]
        span = re.split(r"\s(?:khi|nếu|trong trường hợp|theo chỉ đạo|do|để|đối với)\s", span)[0]
    if re.search(r"(?:Nghị định|Điều|khoản|Quyết định|Thông tư|Phụ lục) này\b|ban hành kèm theo", span):
        return ""
    return clean_reference(span)


def _complete_reference(reference: str, provision: Provision) -> tuple[str, str]:
    """(reference, note): a citation without its instrument takes the one the article title names
    ("Phân cấp … tại Nghị định số 21/2011/NĐ-CP"); without such a title it is dropped."""
    if not reference or _INSTRUMENT.search(reference):
        return reference, ""
    m = _TITLE_INSTRUMENT.search(provision.article_title)
    if not m:
        return "", ""
    return f"{reference} {m.group(1)}", "instrument of the defining provision read from the article title"


def _former_holders(segment: str, new: set[str]) -> list[Holder]:
    """Holders the text gives the power to before this decree: "của <X> quy định tại …"."""
    found: list[Holder] = []
    lead = _FORMER_LEAD.match(segment)
    for m in re.finditer(r"\b(?:của|do|là)\s+", segment):
        if _NOT_FORMER.search(segment[:m.start()]):
            continue
        holders, end = holders_at(segment, m.end())
        if not holders:
            continue
        if (lead and m.end() == lead.end()) or _FORMER_FOLLOW.match(segment, end):
            found.extend(h for h in holders if h.name not in new)
    return found


def _condition(tail: str) -> tuple[str, str, str]:
    """(mode, grantor, words) of a condition the text puts on the holder.

    "khi được Ủy ban nhân dân cấp tỉnh phân cấp" gives ("phân cấp", "Ủy ban nhân dân cấp tỉnh", …);
    a condition naming both modes, or "được … giao", gives no mode and no grantor, only the words.
    """
    tail = tail[:_sentence_end(tail, 0)]
    m = _CONDITION.search(tail)
    if not m:
        return "", "", ""
    words = tail[m.start():m.end()].strip()
    mode = m.group("mode") or "phân cấp"
    if mode not in ("phân cấp", "ủy quyền"):
        return "", "", words
    grantor_text = m.group("grantor") if m.group("grantor") is not None else m.group("grantor2")
    grantors = parse_holders(grantor_text or "")
    return mode, grantors[0].name if grantors else "", words


@dataclass
class Proposal:
    """One proposed assignment before it becomes a template row."""

    provision: Provision
    holder: Holder
    task: str
    reference: str
    former: list[Holder]
    condition: tuple[str, str, str]
    co_holders: list[str]
    scope: str = ""
    sentence: int = 0                 # which sentence of its paragraph names the holder
    paragraph: int = 0                # which paragraph of the provision (0: the numbered one)


def _proposals(provision: Provision) -> list[Proposal]:
    """The assignments a provision makes, by the shapes the module docstring lists, in its first
    paragraph and in the paragraphs that follow it before the next clause or point."""
    if provision.framing and not provision.transitional:
        return []
    if not provision.text or (provision.point and _PROCEDURE.match(provision.lead)):
        return []
    found: list[Proposal] = []
    for index, text in enumerate([provision.text, *provision.more]):
        if _PROCEDURE.match(text) or _IMPLEMENTS.search(text):
            if index == 0:
                return []              # a procedure clause: what follows it are its steps
            continue
        proposals, covered = _passive(provision, text)
        proposals += _active(provision, text, covered)
        if provision.transitional:
            proposals += _transfers(provision, text)
        for proposal in proposals:
            proposal.paragraph = index
        found += proposals
    return found


def _passive(provision: Provision, text: str) -> tuple[list[Proposal], list[tuple[int, int]]]:
    """ "… do <holder> thực hiện", each occurrence with its own scope ("đối với …").

    Returns:
        The proposals, and the spans of text they cover (so that no other shape reads them again).
    """
    proposals: list[Proposal] = []
    covered: list[tuple[int, int]] = []
    sentence_starts = _sentence_starts(text)
    # "do doanh nghiệp … thực hiện" names no authority: such a "do" is not a holder's
    matches = [m for m in _PASSIVE.finditer(text) if parse_holders(m.group("x"))]
    segment = ""
    for index, m in enumerate(matches):
        holders = parse_holders(m.group("x"))
        sentence = max(i for i, start in enumerate(sentence_starts) if start <= m.start())
        previous_end = matches[index - 1].end() if index else 0
        own = text[max(sentence_starts[sentence], previous_end):m.start()]
        # "… do A thực hiện đối với …; do B thực hiện đối với …": B shares A's task and citation
        if not (index and previous_end > sentence_starts[sentence] and not _REFERENCE.search(own)):
            segment = own
        tail_end = min(matches[index + 1].start() if index + 1 < len(matches) else len(text),
                       _sentence_end(text, m.end()))
        tail = text[m.end():tail_end]
        groups = [(holders, tail)]
        alternative = _ALTERNATIVE.match(tail)
        if alternative:
            groups = [(holders, ""), (parse_holders(alternative.group("x")), tail[alternative.end():])]
        everyone = [h.name for group, _ in groups for h in group]
        reference = _defining_provision(segment, last=True)
        for group, condition_text in groups:
            scope = condition_text.strip(" .,;")
            for holder in group:
                proposals.append(Proposal(provision, holder, segment.strip(" ;,."), reference,
                                          _former_holders(segment, set(everyone)),
                                          _condition(condition_text),
                                          [name for name in everyone if name != holder.name],
                                          scope if scope.startswith("đối với") else "", sentence))
        covered.append((max(sentence_starts[sentence], previous_end), m.end() + len(tail)))
    return proposals, covered


def _sentence_starts(text: str) -> list[int]:
    """Where the sentences of a provision start ("khoản 1 Điều 14. Điều 43" is one citation)."""
    starts = [0]
    for m in _FULL_STOP.finditer(text):
        if not _CITATION_START.match(text, m.end()):
            starts.append(m.end())
    return starts


def _active(provision: Provision, text: str, covered: list[tuple[int, int]]) -> list[Proposal]:
    """ "<holder> thực hiện …" at the start of the provision, of a sentence, or after ":" or "thì"."""
    proposals: list[Proposal] = []
    sentence_starts = _sentence_starts(text)
    for start in _segment_starts(text):
        if any(low <= start < high for low, high in covered):
            continue
        holders, end = holders_at(text, start)
        if not holders or _WEAK_VERBS.match(text, end) or _NEGATION.match(text, end):
            continue
        rest = text[end:_sentence_end(text, end)]
        if not rest.strip(" ;.,"):
            continue                  # a name in a list of addressees ("…; Chủ tịch Ủy ban nhân dân cấp xã;")
        new = {h.name for h in holders}
        sentence = max(i for i, first in enumerate(sentence_starts) if first <= start)
        for holder in holders:
            proposals.append(Proposal(provision, holder, rest.strip(" ;.,"),
                                      _defining_provision(rest, last=False),
                                      _former_holders(rest, new), _condition(rest),
                                      [h.name for h in holders if h is not holder], "", sentence))
    return proposals


def _transfers(provision: Provision, text: str) -> list[Proposal]:
    """A transitional article's "… được chuyển giao cho <holder>"."""
    proposals: list[Proposal] = []
    for m in _TRANSFER.finditer(text):
        holders, _ = holders_at(text, m.end())
        segment = text[:m.start()]
        new = {h.name for h in holders}
        for holder in holders:
            proposals.append(Proposal(provision, holder, segment.strip(" ;,."), "",
                                      _former_holders(segment, new) + _pending_holders(segment, new),
                                      ("", "", ""), [h.name for h in holders if h is not holder]))
    return proposals


def _pending_holders(segment: str, new: set[str]) -> list[Holder]:
    """ "… đang được <X> thụ lý": who had the pending files a transitional clause hands on."""
    m = re.search(r"(?:đang|đã) được\s+", segment)
    if not m:
        return []
    holders, _ = holders_at(segment, m.end())
    return [h for h in holders if h.name not in new]


def _point_id(point: str) -> str:
    return "dd" if point == "đ" else slug(point)


def _provision_key(number: str, provision: Provision) -> str:
    key = f"{slug(number)}-d{slug(provision.article)}"
    if provision.clause:
        key += f"-k{slug(provision.clause)}"
    if provision.point:
        key += f"-{_point_id(provision.point)}"
    return key


def _note(proposal: Proposal, section_mode: str, mode: str) -> str:
    holder = proposal.holder
    parts = []
    if holder.written and fold(holder.written) != fold(holder.name):
        parts.append(f"holder as written: {holder.written}")
    if holder.qualifier:
        parts.append(f"holder qualified: {holder.qualifier}")
    if proposal.co_holders:
        parts.append("same provision also names: " + ", ".join(proposal.co_holders))
    if proposal.scope:
        parts.append(f"scope: {proposal.scope}")
    words = proposal.condition[2]
    if words:
        parts.append(f"condition: {words}")
    if mode and section_mode and mode != section_mode:
        parts.append(f"heading says {section_mode}; the provision makes it {mode}")
    if proposal.paragraph:
        parts.append(f"holder named in paragraph {proposal.paragraph + 1} of the provision")
    if proposal.sentence:
        parts.append(f"holder named in sentence {proposal.sentence + 1} of its paragraph")
    if proposal.provision.transitional:
        parts.append("transitional provision (quy định chuyển tiếp)")
    return "; ".join(parts)


def _with_lead(provision: Provision, task: str, reference: str) -> tuple[str, str]:
    """A point read with the clause that introduces it ("… thực hiện như sau:"), when it has one."""
    lead = provision.lead.strip()
    if not (provision.point and lead.endswith(":")):
        return task, reference
    core = re.sub(r"\s*(?:(?:được )?(?:thực hiện|quy định) như sau|như sau|bao gồm|gồm|do)?\s*:$", "", lead)
    return f"{core}: {task}", reference or _defining_provision(core, last=False)


def _rows(decree: Decree, source: str) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    seen: dict[str, int] = {}
    for provision in decree.provisions:
        for proposal in _proposals(provision):
            key = _provision_key(decree.number, provision)
            seen[key] = seen.get(key, 0) + 1
            section_mode = heading_mode(provision, decree)
            condition_mode, grantor, _ = proposal.condition
            mode = condition_mode or section_mode
            former = list(dict.fromkeys(h.name for h in proposal.former))
            task, reference = _with_lead(provision, proposal.task, proposal.reference)
            reference, reference_note = _complete_reference(reference, provision)
            rows.append({
                "id": key if seen[key] == 1 else f"{key}-{seen[key]}",
                "power_id": key,
                "task_vi": task,
                "task_en": "",
                "sector": heading_sector(provision, decree),
                "defining_provision": reference,
                "holder": proposal.holder.name,
                "mode": mode,
                "grantor": grantor,
                "instrument": decree.number,
                "article": provision.article,
                "clause": provision.clause,
                "point": provision.point,
                "valid_from": decree.valid_from.isoformat() if decree.valid_from else "",
                "valid_until": decree.valid_until.isoformat() if decree.valid_until else "",
                "former_holder": " | ".join(former),
                "place_scope": "",
                "open_question": "",
                "source": source,
                "note": "; ".join(filter(None, [_note(proposal, section_mode, mode), reference_note])),
            })
    return rows


def extract(path: str | Path, source: str | None = None) -> list[dict[str, str]]:
    """Propose the assignment rows a decree makes, in the authoring template's columns.

    Args:
        path: the decree as .docx, .txt or .html.
        source: URL the text was read from (the rows' `source`); default: the file's URI.

    Returns:
        One dict per proposed assignment, keys in `TEMPLATE_COLUMNS` order, in text order.

    Raises:
        InputError: unknown extension, unreadable or empty file, or no decree structure in it.
    """
    path = Path(path)
    decree = parse_decree(read_lines(path), file=str(path))
    return _rows(decree, source if source is not None else path.resolve().as_uri())


def write_csv(rows: list[dict[str, str]], stream) -> None:
    """Write rows as template CSV to an open text stream (standard output), in the dialect of
    `template.write_template`: header in the template's column order, "\\n" line ends."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(TEMPLATE_COLUMNS)
    writer.writerows([row[column] for column in TEMPLATE_COLUMNS] for row in rows)


def write_rows(rows: list[dict[str, str]], path: str | Path) -> None:
    """Write rows to a template file (.csv or .xlsx) with the template's own writer.

    Raises:
        InputError: the file type is neither .csv nor .xlsx.
    """
    write_template([Row(**row) for row in rows], path)
