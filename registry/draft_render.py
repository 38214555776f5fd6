"""A draft check's report for people and programs — text, JSON and HTML, Vietnamese first.

Every finding is explained exactly as `thamquyen validate` explains it (registry.validation.render:
the same rule name, message, power, assignments, citations and period), followed by what ties it to
the draft: the draft's own rows and provisions, the registry assignments it collides with, and the
repeals that end them.
"""

from __future__ import annotations

import html
import json
from dataclasses import replace

from .validation import render
from .validation.findings import Finding

WORDS = {
    "vi": {
        "title": "Kiểm tra dự thảo văn bản", "draft": "Dự thảo", "file": "Tệp", "graph": "Đồ thị",
        "effective": "Ngày có hiệu lực", "rows": "dòng", "source": "theo", "repeals": "Bãi bỏ",
        "amends": "Sửa đổi, bổ sung", "ended_n": "{n} quy định của sổ đăng ký hết hiệu lực từ {date}",
        "left_out": "không còn được áp dụng (chỉ bắt đầu từ ngày dự thảo có hiệu lực trở đi)",
        "ends": "hết hiệu lực từ {date} (trước đây: {before})", "no_end": "không thời hạn",
        "changes": "Thay đổi chủ thể, phương thức", "introduced": "Phát sinh do dự thảo",
        "narrowed": "Thu hẹp thời gian (vấn đề sẵn có của sổ đăng ký, nay ngắn hơn)",
        "resolved": "Được dự thảo giải quyết", "notes": "Lưu ý", "none": "Không có.",
        "row": "dòng {n}", "draft_rows": "Dự thảo", "registry": "Quy định của sổ đăng ký",
        "because": "Do", "was": "Trước đó", "now": "Nay", "list": "Danh sách",
        "matched": "thẩm quyền {power} của sổ đăng ký (cùng quy định tại luật chuyên ngành)",
        "handover": "sổ đăng ký kết thúc quy định cũ cùng ngày (bàn giao)",
        "both": "quy định cũ vẫn còn hiệu lực: cả hai cùng hiệu lực",
        "holder": "chủ thể", "mode": "phương thức", "instead_of": "thay cho",
        "from_day": "từ {date}",
        "summary": "Phát sinh: {v} vi phạm, {w} cảnh báo, {i} thông tin; thu hẹp thời gian: {n}; được giải quyết: "
                   "{rv} vi phạm, {rw} cảnh báo, {ri} thông tin.",
        "verdict_ok": "Dự thảo không phát sinh vi phạm mới.",
        "verdict_bad": "Dự thảo phát sinh {n} vi phạm mới.",
        "scope": "Đã kiểm tra {powers} thẩm quyền, {assignments} quy định ({mode}).",
        "incremental": "chỉ phần dự thảo tác động", "full": "toàn bộ",
    },
    "en": {
        "title": "Draft instrument check", "draft": "Draft", "file": "File", "graph": "Graph",
        "effective": "Effective date", "rows": "rows", "source": "from", "repeals": "Repeals",
        "amends": "Amends", "ended_n": "{n} registry assignments end on {date}",
        "left_out": "left out (it would only start on or after the draft's effective date)",
        "ends": "ends on {date} (was: {before})", "no_end": "no end",
        "changes": "Changes of holder or mode", "introduced": "Introduced by the draft",
        "narrowed": "Shortened (problems the registry already has, now for less time)",
        "resolved": "Resolved by the draft", "notes": "Notes", "none": "None.",
        "row": "row {n}", "draft_rows": "Draft", "registry": "Registry assignment",
        "because": "Because of", "was": "Before", "now": "Now", "list": "List",
        "matched": "the registry's power {power} (same defining provision)",
        "handover": "the draft ends the registry's assignment by then (a handover)",
        "both": "the registry's assignment stays in force: both apply",
        "holder": "holder", "mode": "mode", "instead_of": "instead of",
        "from_day": "from {date}",
        "summary": "Introduced: {v} violations, {w} warnings, {i} infos; shortened: {n}; resolved: {rv} violations, "
                   "{rw} warnings, {ri} infos.",
        "verdict_ok": "The draft introduces no new violation.",
        "verdict_bad": "The draft introduces {n} new violations.",
        "scope": "Checked {powers} powers, {assignments} assignments ({mode}).",
        "incremental": "only what the draft touches", "full": "everything",
    },
}


# --- shared pieces ---------------------------------------------------------------------------------

def _period(f: Finding | None, words: dict) -> str:
    if f is None or f.valid_from is None:
        return ""
    return f"[{f.valid_from.isoformat()}, {f.valid_until.isoformat() if f.valid_until else words['no_end']})"


def _row_text(row, words: dict) -> str:
    where = words["row"].format(n=row.row) + " — " if row.row else ""
    matched = f" → {words['matched'].format(power=row.matched_power)}" if row.matched_power else ""
    return f"{where}{row.citation or row.legal_basis}  [{row.id}]{matched}"


def _amendment_text(amendment, report) -> str:
    words = WORDS[report.lang]
    target = report.labels.get(amendment) or render.label(report.before.data, f"<{amendment.target}>", report.lang)
    return f"{words[amendment.relation]} {target} ({amendment.source})"


def _ended_text(e, report) -> str:
    words = WORDS[report.lang]
    side = report.before.data
    detail = render.assignment(side, f"<{e.assignment}>", report.lang)
    basis = "; ".join(b["citation"] for b in detail["legal_basis"]) if detail else ""
    what = words["left_out"] if e.ends is None else words["ends"].format(
        date=e.ends.isoformat(), before=e.valid_until.isoformat() if e.valid_until else words["no_end"])
    return f"{e.assignment.rsplit('/', 1)[-1]} ({basis}): {what}"


def _change_text(c, report) -> str:
    words, lang = WORDS[report.lang], report.lang
    before, after = report.before.data, report.after.data
    detail = render.assignment(before, f"<{c.registry_assignment}>", lang)
    basis = "; ".join(b["citation"] for b in detail["legal_basis"]) if detail else ""
    kind = words[c.kind]
    return (f"{render.label(after, f'<{c.power}>', lang)}: {render.label(before, f'<{c.from_holder}>', lang)} → "
            f"{render.label(after, f'<{c.to_holder}>', lang)} ({kind}) {words['from_day'].format(date=c.on.isoformat())}; "
            f"{_row_text(c.row, words)} {words['instead_of']} {c.registry_assignment.rsplit('/', 1)[-1]} ({basis}) — "
            + (words["handover"] if c.handover else words["both"]))


def _sections(report) -> list[tuple[str, list, object]]:
    """(title key, draft findings, validation report explaining them) in reading order."""
    introduced = [d for d in report.introduced if not d.narrows]
    narrowed = [d for d in report.introduced if d.narrows]
    resolved = [d for d in report.resolved if d.counterpart is None]
    return [("introduced", introduced, report.after), ("narrowed", narrowed, report.after),
            ("resolved", resolved, report.before)]


def _summary(report) -> str:
    words = WORDS[report.lang]
    (_, introduced, _), (_, narrowed, _), (_, resolved, _) = _sections(report)

    def count(found: list, severity: str) -> int:
        return sum(1 for d in found if d.finding.severity == severity)

    summary = words["summary"].format(
        v=count(introduced, "Violation"), w=count(introduced, "Warning"), i=count(introduced, "Info"),
        n=len(narrowed), rv=count(resolved, "Violation"), rw=count(resolved, "Warning"), ri=count(resolved, "Info"))
    verdict = words["verdict_ok"] if report.conforms else words["verdict_bad"].format(n=len(report.new_violations))
    return f"{verdict} {summary}"


def _header(report) -> list[tuple[str, str]]:
    words, d = WORDS[report.lang], report.draft
    source = f" ({words['source']} {d.effective_source})" if d.effective_source else ""
    return [(words["draft"], f"{d.number or d.name} — {d.title}" if d.title else (d.number or d.name)),
            (words["file"], f"{d.file} ({len(d.rows)} {words['rows']})"),
            (words["graph"], d.graph),
            (words["effective"], report.effective.isoformat() + source)]


def _one(side, f: Finding):
    """A validation report of one finding, to be rendered by registry.validation.render."""
    return replace(side, findings=[f], at=None)


def finding_text(side, f: Finding) -> str:
    """One finding as `thamquyen validate` writes it (its block, without the report's summary line)."""
    text = render.to_text(_one(side, f)).rstrip("\n")
    return text.rsplit("\n", 1)[0].rstrip("\n")


def finding_html(side, f: Finding) -> str:
    """One finding as `thamquyen validate --format html` writes it (its <section>)."""
    page = render.to_html(_one(side, f))
    return page[page.index("<section"):page.rindex("</section>") + len("</section>")]


def _ties(d, words: dict) -> list[tuple[str, str]]:
    ties = [(words["draft_rows"], _row_text(r, words)) for r in d.rows]
    ties += [(words["registry"], a.rsplit("/", 1)[-1]) for a in d.registry]
    return ties


# --- JSON ----------------------------------------------------------------------------------------

def _row_dict(row) -> dict:
    return {"assignment": row.assignment, "row": row.row, "id": row.id, "citation": row.citation,
            "legal_basis": row.legal_basis, "power_id": row.power_id, "matched_power": row.matched_power or None}


def _amendment_dict(a) -> dict:
    return {"relation": a.relation, "target": a.target, "stated_by": a.stated_by, "source": a.source}


def _finding_dict(d, side) -> dict:
    record = render.explain(side, d.finding)
    record.update({
        "draft_rows": [_row_dict(r) for r in d.rows],
        "registry_assignments": d.registry,
        "ended_by": [{"assignment": e.assignment, **_amendment_dict(e.amendment)} for e in d.ended],
        "counterpart": None if d.counterpart is None else {
            "valid_from": d.counterpart.valid_from.isoformat() if d.counterpart.valid_from else None,
            "valid_until": d.counterpart.valid_until.isoformat() if d.counterpart.valid_until else None},
        "narrows": d.narrows,
    })
    return record


def to_dict(report) -> dict:
    """The report as JSON-ready data (the API's answer)."""
    d = report.draft
    return {
        "draft": {"name": d.name, "file": d.file, "kind": d.kind, "number": d.number, "title": d.title,
                  "graph": d.graph, "rows": [_row_dict(r) for r in d.rows]},
        "effective": report.effective.isoformat(),
        "effective_source": d.effective_source or "rows",
        "amendments": [_amendment_dict(a) for a in d.amendments],
        "ended": [{"assignment": e.assignment, "valid_until": e.valid_until.isoformat() if e.valid_until else None,
                   "ends": e.ends.isoformat() if e.ends else None, **{f"by_{k}": v for k, v in
                                                                     _amendment_dict(e.amendment).items()}}
                  for e in report.ended],
        "changes": [{"row": _row_dict(c.row), "power": c.power, "registry_assignment": c.registry_assignment,
                     "on": c.on.isoformat(), "from_holder": c.from_holder, "to_holder": c.to_holder, "kind": c.kind,
                     "handover": c.handover} for c in report.changes],
        "conforms": report.conforms,
        "new_violations": len(report.new_violations),
        "counts": report.counts(),
        "introduced": [_finding_dict(x, report.after) for x in report.introduced],
        "resolved": [_finding_dict(x, report.before) for x in report.resolved],
        "notes": report.notes,
        "scope": report.scope,
        "summary": _summary(report),
    }


def to_json(report) -> str:
    return json.dumps(to_dict(report), ensure_ascii=False, indent=1)


# --- text ----------------------------------------------------------------------------------------

def to_text(report) -> str:
    """The report for a reader: the draft, what it repeals, what it changes, what it introduces and resolves."""
    words = WORDS[report.lang]
    lines = [words["title"]]
    lines += [f"  {k}: {v}" for k, v in _header(report)]
    for a in report.draft.amendments:
        ended = [e for e in report.ended if e.amendment == a]
        lines.append(f"{_amendment_text(a, report)}: "
                     + words["ended_n"].format(n=len(ended), date=report.effective.isoformat()))
        lines += [f"  - {_ended_text(e, report)}" for e in ended]
    lines += ["", f"== {words['changes']} ({len(report.changes)}) =="]
    lines += [f"- {_change_text(c, report)}" for c in report.changes] or [words["none"]]
    for title, found, side in _sections(report):
        lines += ["", f"== {words[title]} ({len(found)}) =="]
        if not found:
            lines.append(words["none"])
        for d in found:
            lines.append(finding_text(side, d.finding))
            lines += [f"  {k}: {v}" for k, v in _ties(d, words)]
            lines += [f"  {words['because']}: {_amendment_text(e.amendment, report)} — {_ended_text(e, report)}"
                      for e in d.ended]
            if d.counterpart is not None:
                lines.append(f"  {words['was']}: {_period(d.counterpart, words)} → {words['now']}: "
                             f"{_period(d.finding, words)}")
            lines.append("")
    if report.notes:
        lines += ["", f"== {words['notes']} =="] + [f"- {n}" for n in report.notes]
    lines += ["", words["scope"].format(powers=report.scope.get("powers"), assignments=report.scope.get("assignments"),
                                        mode=words[report.scope.get("mode", "incremental")]),
              _summary(report)]
    return "\n".join(lines) + "\n"


# --- HTML ----------------------------------------------------------------------------------------

def html_fragment(report) -> str:
    """The report as an HTML fragment (no scripts, no external resources), for a page to embed."""
    words, e = WORDS[report.lang], html.escape
    verdict = "ok" if report.conforms else "bad"
    parts = [f"<div class='draft-report' lang='{report.lang}'>",
             f"<p class='verdict {verdict}' id='verdict'><strong>{e(_summary(report))}</strong></p>",
             "<dl class='draft-meta'>"]
    parts += [f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in _header(report)]
    parts.append("</dl>")
    for a in report.draft.amendments:
        ended = [x for x in report.ended if x.amendment == a]
        parts.append(f"<h2 class='amendment'>{e(_amendment_text(a, report))}</h2><p>"
                     + e(words["ended_n"].format(n=len(ended), date=report.effective.isoformat())) + "</p>")
        if ended:
            items = "<ul class='ended'>" + "".join(f"<li>{e(_ended_text(x, report))}</li>" for x in ended) + "</ul>"
            parts.append(items if len(ended) <= 5 else f"<details><summary>{e(words['list'])} ({len(ended)})</summary>{items}</details>")
    parts.append(f"<h2 id='changes'>{e(words['changes'])} ({len(report.changes)})</h2>")
    if report.changes:
        parts.append("<ul class='changes'>" + "".join(
            f"<li class='change {'handover' if c.handover else 'both'}'>{e(_change_text(c, report))}</li>"
            for c in report.changes) + "</ul>")
    else:
        parts.append(f"<p>{e(words['none'])}</p>")
    for title, found, side in _sections(report):
        parts.append(f"<h2 id='{title}'>{e(words[title])} ({len(found)})</h2>")
        if not found:
            parts.append(f"<p>{e(words['none'])}</p>")
        parts.append(f"<div class='findings {title}'>")
        for d in found:
            ties = "".join(f"<li><b>{e(k)}:</b> {e(v)}</li>" for k, v in _ties(d, words))
            ties += "".join(f"<li><b>{e(words['because'])}:</b> {e(_amendment_text(x.amendment, report))} — "
                            f"{e(_ended_text(x, report))}</li>" for x in d.ended)
            if d.counterpart is not None:
                ties += (f"<li><b>{e(words['was'])}:</b> {e(_period(d.counterpart, words))} → "
                         f"<b>{e(words['now'])}:</b> {e(_period(d.finding, words))}</li>")
            parts.append(f"<article class='draft-finding'>{finding_html(side, d.finding)}"
                         + (f"<ul class='ties'>{ties}</ul>" if ties else "") + "</article>")
        parts.append("</div>")
    if report.notes:
        parts.append(f"<h2>{e(words['notes'])}</h2><ul>" + "".join(f"<li>{e(n)}</li>" for n in report.notes)
                     + "</ul>")
    parts.append("<p class='scope'>" + e(words["scope"].format(
        powers=report.scope.get("powers"), assignments=report.scope.get("assignments"),
        mode=words[report.scope.get("mode", "incremental")])) + "</p></div>")
    return "".join(parts)


STYLE = ("body{font-family:sans-serif;max-width:62em;margin:auto;padding:0 1em;line-height:1.4}"
         "section{border-left:.4em solid #888;padding:.2em 1em;margin:1em 0}.violation{border-color:#b00}"
         ".warning{border-color:#d80}.info{border-color:#08c}.rule{color:#666;font-size:.8em}"
         ".verdict.ok{color:#060}.verdict.bad{color:#b00}dl.draft-meta{display:grid;grid-template-columns:max-content auto;"
         "gap:.2em 1em}dt{font-weight:bold}dd{margin:0}.ties{margin-top:-.6em}")


def to_html(report) -> str:
    """A self-contained page (no scripts, no external resources)."""
    words = WORDS[report.lang]
    return (f"<!doctype html><html lang='{report.lang}'><head><meta charset='utf-8'>"
            f"<title>{html.escape(words['title'])}</title><style>{STYLE}</style></head>"
            f"<body><h1>{html.escape(words['title'])}</h1>{html_fragment(report)}</body></html>\n")


FORMATS = {"text": to_text, "json": to_json, "html": to_html}
