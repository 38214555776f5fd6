"""Lookup subcommands: `lookup` (who is competent for a task, here, on this date), `tasks` (search
powers) and `place` (a unit and its authorities) — the API's answers, printed for people."""

from __future__ import annotations

import json
import sys
from datetime import date

from ..lookup import index_for
from ..store import open_store


def register(subparsers) -> None:
    p = subparsers.add_parser("lookup", help="who is competent for TASK at a place on a date")
    p.add_argument("task", metavar="TASK", help="task id (see `thamquyen tasks`) or its exact label")
    p.add_argument("--place", required=True, help="unit code (00070, 01, 002) or name ('Phường Hoàn Kiếm, Hà Nội')")
    p.add_argument("--date", help="YYYY-MM-DD (default: today)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=cmd_lookup)

    p = subparsers.add_parser("tasks", help="search powers (Vietnamese with or without diacritics, or English)")
    p.add_argument("query", nargs="*", help="words of the task, e.g. cap giay phep xay dung")
    p.add_argument("--sector")
    p.add_argument("--level", help="central, province, commune or district")
    p.add_argument("--holder", help="role id or name")
    p.add_argument("--date", help="with --level/--holder: holders in force on this date")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=cmd_tasks)

    p = subparsers.add_parser("place", help="a unit, its province and its authorities")
    p.add_argument("code", metavar="PLACE", help="unit code or name")
    p.add_argument("--date", help="YYYY-MM-DD (default: today)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=cmd_place)


def _dump(document: dict) -> None:
    document = {k: v for k, v in document.items() if k != "@context"}
    json.dump(document, sys.stdout, ensure_ascii=False, indent=1)
    print()


def _vn(iso: str | None) -> str:
    return date.fromisoformat(iso).strftime("%d/%m/%Y") if iso else ""


def basis_text(basis: dict) -> str:
    """'điểm b khoản 2 Điều 5 Nghị định 151/2025/NĐ-CP', from the label or the numbers."""
    if basis.get("label"):
        return basis["label"]
    parts = [f"điểm {basis['point']}" if basis.get("point") else "",
             f"khoản {basis['clause']}" if basis.get("clause") else "",
             f"Điều {basis['article']}" if basis.get("article") else "",
             (basis.get("instrument") or {}).get("number") or ""]
    return " ".join(p for p in parts if p) or basis["@id"]


def competence_lines(c: dict, number: int) -> list[str]:
    """One authority of an answer, Vietnamese labels, as indented lines."""
    a = c["assignment"]
    role = c["role"]
    level = (role.get("level") or {}).get("name") or ""
    lines = [f"{number}. {c['name']}",
             f"   Chức danh:    {role['name']}" + (f" ({level})" if level else ""),
             f"   Phương thức:  {(a.get('mode') or {}).get('name') or '—'}"]
    for basis in a["legal_basis"]:
        lines.append(f"   Căn cứ:       {basis_text(basis)}")
    period = f"từ {_vn(a['valid_from'])}" if a["valid_from"] else ""
    period += f" đến trước {_vn(a['valid_until'])}" if a["valid_until"] else " (chưa có ngày kết thúc)"
    lines.append(f"   Hiệu lực:     {period.strip()}")
    for url in a.get("source") or []:
        lines.append(f"   Nguồn:        {url}")
    if a.get("former_holders"):
        lines.append(f"   Trước đây:    {'; '.join(r['name'] for r in a['former_holders'])}")
    if a.get("place_scope"):
        lines.append(f"   Chỉ áp dụng:  {'; '.join(u.get('name') or u['@id'] for u in a['place_scope'])}")
    if c.get("grantor_chain"):
        lines.append(f"   Phân cấp/ủy quyền bởi: {' ← '.join(g['name'] for g in c['grantor_chain'])}")
    if a.get("open_question"):
        lines.append(f"   Vấn đề pháp lý chưa rõ: {a['open_question']}")
    if c.get("note"):
        lines.append(f"   Ghi chú:      {c['note']['vi']}")
    return lines


def answer_text(answer: dict) -> str:
    """The /authority answer for people: Vietnamese first, the English message last."""
    task, place = answer["task"], answer["place"]
    lines = [f"Thẩm quyền: {task['name']} [{task['id']}]"]
    if task.get("defining_provision"):
        lines.append(f"  quy định tại {task['defining_provision']}")
    lines += [f"Địa bàn:    {place['full_name']} ({place['code']})",
              f"Ngày:       {_vn(answer['date'])}", "", answer["message"]["vi"], ""]
    for number, c in enumerate(answer["authorities"], start=1):
        lines += competence_lines(c, number)
    for title, key in (("Gần nhất trước đó:", "nearest_before"), ("Gần nhất sau đó:", "nearest_after")):
        if answer.get(key):
            lines.append(title)
            for number, c in enumerate(answer[key], start=1):
                lines += competence_lines(c, number)
    if answer.get("former_holders"):
        lines.append("Chủ thể trước đây (theo văn bản):")
        for f in answer["former_holders"]:
            lines.append(f"   {f['name']}  [{'; '.join(basis_text(b) for b in f['stated_by']['legal_basis'])}]")
    lines += ["", f"(en) {answer['message']['en']}"]
    return "\n".join(lines)


def cmd_lookup(args) -> int:
    answer = index_for(open_store(args.store)).lookup(args.task, args.place, args.date)
    if args.format == "json":
        _dump(answer)
    else:
        print(answer_text(answer))
    return 0


def cmd_tasks(args) -> int:
    found = index_for(open_store(args.store)).search(" ".join(args.query), sector=args.sector, level=args.level,
                                                      holder=args.holder, at=args.date, limit=args.limit)
    if args.format == "json":
        _dump(found)
        return 0
    for hit in found["results"]:
        sector = (hit.get("sector") or {}).get("name") or ""
        print(f"{hit['id']}\t{hit['name']}" + (f"\t[{sector}]" if sector else ""))
    print(f"({found['total']} thẩm quyền / powers)")
    return 0


def cmd_place(args) -> int:
    profile = index_for(open_store(args.store)).place_profile(args.code, args.date)
    if args.format == "json":
        _dump(profile)
        return 0
    print(f"{profile['full_name']} ({profile['code']}) — {(profile['level'] or {}).get('name') or ''}")
    if profile["valid_until"]:
        print(f"  đến trước {_vn(profile['valid_until'])}; kế thừa bởi: "
              f"{'; '.join(u['name'] for u in profile['successors']) or '—'}")
    if profile["predecessors"]:
        print(f"  hình thành từ: {'; '.join(u['name'] for u in profile['predecessors'])}")
    print(f"Cơ quan ngày {_vn(profile['date'])} (số thẩm quyền):")
    for a in profile["authorities"]:
        print(f"  {a['powers']:>5}  {a['name']}")
    return 0
