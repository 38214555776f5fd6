"""Reports for people and programs: each finding explained with the power, the holders, the articles,
clauses and instruments of both assignments and the period — as text, JSON, HTML or SHACL Turtle.
"""

from __future__ import annotations

import html
import json
from datetime import date

import pyoxigraph as ox
import rdflib

from .. import namespaces as ns
from .data import key, literal, text_of
from .findings import Finding
from .shapes import SH, TQSH, texts
from .table import GRANTOR, HOLDER, LEGAL_BASIS, MODE, OPEN_QUESTION, PLACE_SCOPE, POWER, VALID_FROM, VALID_UNTIL

WORDS = {
    "vi": {"Violation": "Vi phạm", "Warning": "Cảnh báo", "Info": "Thông tin", "power": "Thẩm quyền",
           "period": "Thời gian", "from": "từ", "open": "không thời hạn", "value": "Quy định",
           "other": "Đối chiếu", "focus": "Đối tượng", "rule": "Quy tắc", "see": "Căn cứ của quy tắc",
           "conforms": "Không có vi phạm.", "summary": "{Violation} vi phạm, {Warning} cảnh báo, {Info} thông tin",
           "at": "Ngày kiểm tra", "holder": "chủ thể", "grantor": "giao bởi", "basis": "căn cứ",
           "place": "địa bàn", "question": "vấn đề chưa rõ", "title": "Kết quả kiểm tra sổ đăng ký thẩm quyền",
           "structure": "Cấu trúc", "constraint": "ràng buộc"},
    "en": {"Violation": "Violation", "Warning": "Warning", "Info": "Info", "power": "Power",
           "period": "Period", "from": "from", "open": "no end", "value": "Assignment",
           "other": "Against", "focus": "Resource", "rule": "Rule", "see": "Legal basis of the rule",
           "conforms": "No violations.", "summary": "{Violation} violations, {Warning} warnings, {Info} infos",
           "at": "Validation date", "holder": "holder", "grantor": "granted by", "basis": "basis",
           "place": "place", "question": "open question", "title": "Validation report of the competence registry",
           "structure": "Structure", "constraint": "constraint"},
}
NAME_PREDICATES = (ns.SKOS + "prefLabel", ns.RDFS + "label", ns.ELI + "title")


def label(data, node, lang: str) -> str:
    """The name of a resource in `lang` (else Vietnamese, else any), or its IRI or text."""
    if node is None:
        return ""
    if isinstance(node, date):
        return node.isoformat()
    node = key(node)
    if node.startswith('"'):
        return literal(node)[0]
    for predicate in NAME_PREDICATES:
        names = {literal(v)[2]: literal(v)[0] for v in data.values(node, predicate) if v.startswith('"')}
        for choice in (lang, "vi", "", "en"):
            if choice in names:
                return names[choice]
        if names:
            return next(iter(names.values()))
    return text_of(node)


def _instrument(data, basis: str, lang: str) -> list[dict]:
    found = []
    for instrument in data.values(basis, ns.TQ + "instrument"):
        numbers = data.values(instrument, ns.ELI + "id_local")
        found.append({"iri": text_of(instrument), "number": text_of(numbers[0]) if numbers else "",
                      "title": label(data, instrument, lang)})
    return found


def assignment(data, node, lang: str) -> dict | None:
    """What a lawyer needs to find an assignment in the text: power, holder, mode, citation, dates."""
    if node is None:
        return None
    node = key(node)
    if not data.values(node, POWER):
        return None

    def names(predicate: str) -> list[str]:
        return [label(data, v, lang) for v in data.values(node, predicate)]

    return {
        "iri": text_of(node),
        "power": names(POWER),
        "holder": names(HOLDER),
        "mode": names(MODE),
        "grantor": names(GRANTOR),
        "legal_basis": [{"iri": text_of(b), "citation": label(data, b, lang), "instrument": _instrument(data, b, lang)}
                        for b in data.values(node, LEGAL_BASIS)],
        "valid_from": [text_of(v) for v in data.values(node, VALID_FROM)],
        "valid_until": [text_of(v) for v in data.values(node, VALID_UNTIL)],
        "place_scope": names(PLACE_SCOPE),
        "open_question": [text_of(v) for v in data.values(node, OPEN_QUESTION)],
    }


def rule_name(report, rule: str, lang: str) -> str:
    """The rule's name; a structure shape is named with the node shape it belongs to."""
    graph = report.validator.shapes
    node = rdflib.URIRef(rule)
    name = _pick(texts(graph, node, SH.name), lang)
    parent = graph.value(None, SH.property, node)
    if parent is not None:
        name = f"{WORDS[lang]['structure']} — {_pick(texts(graph, parent, SH.name), lang)}: {name}"
    return name or rule


def _pick(by_lang: dict[str, str], lang: str) -> str:
    return by_lang.get(lang) or by_lang.get("vi") or next(iter(by_lang.values()), "")


def explain(report, finding: Finding) -> dict:
    """One finding as a JSON-ready record with everything needed to act on it."""
    lang, data = report.lang, report.data
    graph = report.validator.shapes
    rule = rdflib.URIRef(finding.rule)
    return {
        "rule": finding.rule,
        "rule_name": rule_name(report, finding.rule, lang),
        "rule_description": _pick(texts(graph, rule, SH.description), lang),
        "see_also": sorted(str(o) for o in graph.objects(rule, rdflib.RDFS.seeAlso)),
        "severity": finding.severity,
        "component": finding.component,
        "path": finding.path,
        "focus": finding.focus.value,
        "focus_label": label(data, finding.focus, lang),
        "value": finding.value.value if finding.value is not None else None,
        "value_label": label(data, finding.value, lang) if finding.value is not None else None,
        "other": finding.other.value if finding.other is not None else None,
        "other_label": label(data, finding.other, lang) if finding.other is not None else None,
        "valid_from": finding.valid_from.isoformat() if finding.valid_from else None,
        "valid_until": finding.valid_until.isoformat() if finding.valid_until else None,
        "message": finding.message(lang),
        "messages": dict(finding.messages),
        "assignment": assignment(data, finding.value, lang),
        "other_assignment": assignment(data, finding.other, lang),
    }


def to_json(report) -> str:
    return json.dumps({
        "conforms": report.conforms,
        "at": report.at.isoformat() if report.at else None,
        "graphs": report.graphs,
        "counts": report.counts(),
        "findings": [explain(report, f) for f in report.findings],
    }, ensure_ascii=False, indent=1)


def _period(record: dict, words: dict) -> str:
    if not record["valid_from"]:
        return ""
    until = record["valid_until"] or words["open"]
    return f"[{record['valid_from']}, {until})"


def _assignment_line(a: dict, words: dict) -> str:
    bases = "; ".join(b["citation"] + "".join(f" ({i['number'] or i['title']})" for i in b["instrument"]
                                              if i["number"] and i["number"] not in b["citation"])
                      for b in a["legal_basis"])
    parts = [", ".join(a["holder"]) or "?", ", ".join(a["mode"])]
    if a["grantor"]:
        parts.append(f"{words['grantor']} {', '.join(a['grantor'])}")
    if a["place_scope"]:
        parts.append(f"{words['place']} {', '.join(a['place_scope'])}")
    parts.append(f"{words['basis']} {bases or '?'}")
    dates = f"{words['from']} {', '.join(a['valid_from'])}" + (f" → {', '.join(a['valid_until'])}" if a["valid_until"] else "")
    parts.append(dates)
    return " — ".join(p for p in parts if p)


def to_text(report) -> str:
    """The report for a reader: each finding with its rule, power, assignments, citations and period."""
    words = WORDS[report.lang]
    lines = []
    if report.at:
        lines.append(f"{words['at']}: {report.at.isoformat()}")
    for f in report.findings:
        r = explain(report, f)
        lines.append(f"[{words[f.severity]}] {r['rule_name']}  <{f.rule}>")
        lines.append(f"  {r['message']}")
        if r["assignment"]:
            lines.append(f"  {words['power']}: {r['focus_label']}")
            period = _period(r, words)
            if period:
                lines.append(f"  {words['period']}: {period}")
            lines.append(f"  ① {_assignment_line(r['assignment'], words)}  <{r['value']}>")
            if r["other_assignment"]:
                lines.append(f"  ② {_assignment_line(r['other_assignment'], words)}  <{r['other']}>")
            elif r["other"]:
                lines.append(f"  {words['other']}: {r['other_label']}")
        else:
            lines.append(f"  {words['focus']}: {r['focus_label']}  <{r['focus']}>")
            if r["value"] is not None:
                lines.append(f"  {words['value']}: {r['value_label']}")
        if r["see_also"]:
            lines.append(f"  {words['see']}: {', '.join(r['see_also'])}")
        lines.append("")
    lines.append(words["conforms"] if not report.findings else words["summary"].format(**report.counts()))
    return "\n".join(lines) + "\n"


def to_html(report) -> str:
    """A self-contained page (no scripts, no external resources)."""
    words = WORDS[report.lang]
    e = html.escape
    rows = []
    for f in report.findings:
        r = explain(report, f)
        details = [f"<p>{e(r['message'])}</p>"]
        if r["assignment"]:
            details.append(f"<p><b>{e(words['power'])}:</b> {e(r['focus_label'])}"
                           + (f" — <b>{e(words['period'])}:</b> {e(_period(r, words))}" if r["valid_from"] else "")
                           + "</p><ol>")
            details.append(f"<li>{e(_assignment_line(r['assignment'], words))} <code>{e(r['value'])}</code></li>")
            if r["other_assignment"]:
                details.append(f"<li>{e(_assignment_line(r['other_assignment'], words))} <code>{e(r['other'])}</code></li>")
            details.append("</ol>")
            if r["other"] and not r["other_assignment"]:
                details.append(f"<p><b>{e(words['other'])}:</b> {e(r['other_label'])}</p>")
        else:
            details.append(f"<p><b>{e(words['focus'])}:</b> {e(r['focus_label'])} <code>{e(r['focus'])}</code>"
                           + (f"<br><b>{e(words['value'])}:</b> {e(r['value_label'] or '')}" if r["value"] else "")
                           + "</p>")
        rows.append(f"<section class='{e(f.severity.lower())}'><h2>{e(words[f.severity])}: {e(r['rule_name'])}</h2>"
                    f"{''.join(details)}<p class='rule'><code>{e(f.rule)}</code></p></section>")
    summary = words["conforms"] if not report.findings else words["summary"].format(**report.counts())
    at = f"<p>{e(words['at'])}: {e(report.at.isoformat())}</p>" if report.at else ""
    return (f"<!doctype html><html lang='{report.lang}'><head><meta charset='utf-8'><title>{e(words['title'])}</title>"
            "<style>body{font-family:sans-serif;max-width:60em;margin:auto}section{border-left:.4em solid #888;"
            "padding:.2em 1em;margin:1em 0}.violation{border-color:#b00}.warning{border-color:#d80}"
            ".info{border-color:#08c}.rule{color:#666;font-size:.8em}</style></head>"
            f"<body><h1>{e(words['title'])}</h1>{at}<p><b>{e(summary)}</b></p>{''.join(rows)}</body></html>\n")


def _rdflib(term):
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def report_graph(report) -> rdflib.Graph:
    """The SHACL validation report, with each rule finding's period and second party (tqsh:other,
    tqsh:from, tqsh:until) beside the standard sh:ValidationResult terms."""
    g = rdflib.Graph()
    g.bind("sh", SH)
    g.bind("tqsh", TQSH)
    root = rdflib.BNode()
    g.add((root, rdflib.RDF.type, SH.ValidationReport))
    g.add((root, SH.conforms, rdflib.Literal(report.conforms)))
    for f in report.findings:
        r = rdflib.BNode()
        g.add((root, SH.result, r))
        g.add((r, rdflib.RDF.type, SH.ValidationResult))
        g.add((r, SH.resultSeverity, SH[f.severity]))
        g.add((r, SH.sourceShape, rdflib.URIRef(f.rule)))
        g.add((r, SH.sourceConstraintComponent, rdflib.URIRef(f.component)))
        g.add((r, SH.focusNode, _rdflib(f.focus)))
        if f.value is not None:
            g.add((r, SH.value, _rdflib(f.value)))
        if f.path:
            g.add((r, SH.resultPath, rdflib.URIRef(f.path)))
        for lang, text in f.messages:
            g.add((r, SH.resultMessage, rdflib.Literal(text, lang=lang or None)))
        if f.other is not None:
            g.add((r, TQSH.other, _rdflib(f.other)))
        if f.valid_from is not None:
            g.add((r, TQSH["from"], rdflib.Literal(f.valid_from.isoformat(), datatype=rdflib.XSD.date)))
        if f.valid_until is not None:
            g.add((r, TQSH.until, rdflib.Literal(f.valid_until.isoformat(), datatype=rdflib.XSD.date)))
    return g


def to_turtle(report) -> str:
    return report_graph(report).serialize(format="turtle")


FORMATS = {"text": to_text, "json": to_json, "html": to_html, "turtle": to_turtle}
