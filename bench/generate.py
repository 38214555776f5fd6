"""A seeded synthetic registry at national scale, with injected defects of every kind the shapes find.

Not legal facts: the instruments, powers and assignments are invented (numbers 9xx/2025/NĐ-CP,
decisions "…/QĐ-UBND"), but they use the real ontology terms, the real 34 provinces and 3,321
communes (vietnam-provinces, via registry.units) and the legacy units, and the shapes of the
2025 reform: district powers moving to the commune on 2025-07-01, some moving on to the province
on 2026-01-31 (as land did under Decree 49/2026), ministers decentralising to provinces, and each
province or commune delegating by its own decision, scoped to its territory — which is where a
national registry's volume comes from.

    from bench.generate import generate, build_store
    registry = generate(100_000, seed=1)           # .quads, .injected, .counts()
    backend = build_store(None, 100_000, seed=1)   # ontology + real units + the registry, in memory

    python -m bench.generate --assignments 100000 --seed 1 --out var/synthetic-100k.nq

`injected` lists, per defect kind, the findings it must produce: (rule IRI, focus IRI, value IRI) —
for the rules the focus is the power and the value the faulty assignment.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from registry import namespaces as ns
from registry.units import current_units, unit_quads
from vietnam_provinces.legacy.base import Province as LegacyProvince

A = ox.NamedNode(ns.RDF + "type")
DATE = ox.NamedNode(ns.XSD + "date")
TQSH = ns.SHAPES

SECTORS = [
    ("xay-dung", "Xây dựng", "Construction"), ("dat-dai", "Đất đai", "Land"),
    ("cong-thuong", "Công Thương", "Industry and trade"), ("tu-phap", "Tư pháp", "Justice"),
    ("noi-vu", "Nội vụ", "Home affairs"), ("tai-chinh", "Tài chính", "Finance"),
    ("nong-nghiep", "Nông nghiệp và Môi trường", "Agriculture and environment"),
    ("giao-duc", "Giáo dục và Đào tạo", "Education"), ("y-te", "Y tế", "Health"),
    ("van-hoa", "Văn hóa, Thể thao và Du lịch", "Culture, sports and tourism"),
    ("khoa-hoc", "Khoa học và Công nghệ", "Science and technology"), ("dan-toc", "Dân tộc và Tôn giáo", "Ethnic affairs"),
    ("ngoai-giao", "Ngoại giao", "Foreign affairs"), ("quoc-phong", "Quốc phòng", "Defence"),
    ("cong-an", "Công an", "Public security"),
]
VERBS = [("Cấp giấy phép", "Issue permits for"), ("Phê duyệt", "Approve"), ("Thẩm định", "Appraise"),
         ("Thu hồi", "Revoke"), ("Đăng ký", "Register"), ("Kiểm tra", "Inspect"), ("Chấp thuận", "Consent to"),
         ("Quyết định", "Decide on"), ("Công nhận", "Recognise"), ("Xử lý", "Handle")]
OBJECTS = [("hoạt động", "activities"), ("dự án", "projects"), ("hồ sơ", "files"), ("cơ sở", "establishments"),
           ("công trình", "works"), ("chứng chỉ", "certificates"), ("kế hoạch", "plans"), ("phương án", "schemes")]

JUNE_START, JUNE_END = "2025-07-01", "2027-03-01"   # the June 2025 decrees
LAW_START = "2015-01-01"
LAND_2026 = "2026-01-31"                             # as Decree 49/2026/NĐ-CP
DISTRICT_END = "2025-07-01"
LEGACY_PROVINCES = sorted(p.code.value for p in LegacyProvince.iter_all())
# Who passes laws and decrees (eli:passed_by). A province's decision states no issuer, so that its
# delegations — most of a national registry — stay checked against the committee's own power.
ISSUERS = {"Luat": "quoc-hoi", "NghiDinh": "chinh-phu"}


@dataclass
class Registry:
    """A generated registry.

    Attributes:
        quads: everything, each instrument's assignments in its own named graph.
        injected: defect kind → the findings it must produce, as (rule IRI, focus IRI, value IRI); the
            value is None where any value will do (a structure shape's count or comparison).
        assignments: how many assignments.
    """

    quads: list[ox.Quad]
    injected: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    assignments: int = 0
    powers: int = 0
    roles: int = 0
    instruments: int = 0

    def counts(self) -> dict:
        return {"assignments": self.assignments, "powers": self.powers, "roles": self.roles,
                "instruments": self.instruments, "quads": len(self.quads),
                "injected": {kind: len(found) for kind, found in sorted(self.injected.items())}}


def _date(text: str) -> ox.Literal:
    return ox.Literal(text, datatype=DATE)


def _vi(text: str) -> ox.Literal:
    return ox.Literal(text, language="vi")


def _en(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


def _tq(name: str) -> ox.NamedNode:
    return ox.NamedNode(ns.TQ + name)


class _Builder:
    """Accumulates quads and mints the catalogue, instruments and assignments."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.quads: list[ox.Quad] = []
        self.catalogue = ox.NamedNode(ns.CATALOGUE_GRAPH)
        self.instruments_graph = ox.NamedNode(ns.INSTRUMENTS_GRAPH)
        self.subdivisions: set[str] = set()
        self.instruments: dict[str, tuple[str, str | None]] = {}
        self.shape_of: dict[str, tuple[int, int]] = {}
        self.assignments = 0
        self.roles: dict[str, ox.NamedNode] = {}
        self.injected: dict[str, list[tuple[str, str, str]]] = {}

    def add(self, s, p: str, o, g) -> None:
        self.quads.append(ox.Quad(s, ox.NamedNode(p), o, g))

    # --- catalogue ---
    def role(self, key: str, vi: str, en: str, kind: str, level: str, post_in: str | None = None,
             until: str | None = None) -> ox.NamedNode:
        s = ox.NamedNode(ns.role_iri(key))
        g = self.catalogue
        self.add(s, ns.RDF + "type", _tq(kind), g)
        self.add(s, ns.SKOS + "prefLabel", _vi(vi), g)
        self.add(s, ns.SKOS + "prefLabel", _en(en), g)
        self.add(s, ns.TQ + "level", _tq(level), g)
        if post_in:
            self.add(s, ns.TQ + "postInRole", self.roles[post_in], g)
        if until:
            self.add(s, ns.TQ + "validUntil", _date(until), g)
        self.roles[key] = s
        return s

    def power(self, key: str, vi: str, en: str, sector: ox.NamedNode, provision: str, *, label: bool = True) -> ox.NamedNode:
        s = ox.NamedNode(ns.power_iri(key))
        g = self.catalogue
        self.add(s, ns.RDF + "type", _tq("Power"), g)
        if label:
            self.add(s, ns.SKOS + "prefLabel", _vi(vi), g)
        self.add(s, ns.SKOS + "prefLabel", _en(en), g)
        self.add(s, ns.TQ + "sector", sector, g)
        self.add(s, ns.TQ + "definingProvision", ox.Literal(provision), g)
        return s

    # --- instruments ---
    def instrument(self, number: str, kind: str | None, title: str, start: str, end: str | None) -> str:
        s = ox.NamedNode(ns.instrument_iri(number))
        g = self.instruments_graph
        self.add(s, ns.RDF + "type", ox.NamedNode(ns.ELI + "LegalResource"), g)
        self.add(s, ns.ELI + "id_local", ox.Literal(number), g)
        if kind:
            self.add(s, ns.ELI + "type_document", _tq(kind), g)
            self.add(s, ns.ELI + "passed_by", self.roles[ISSUERS[kind]], g)
        self.add(s, ns.ELI + "title", _vi(title), g)
        self.add(s, ns.ELI + "first_date_entry_in_force", _date(start), g)
        if end:
            self.add(s, ns.ELI + "date_no_longer_in_force", _date(end), g)
        self.instruments[number] = (start, end)
        # How many articles and clauses assignments cite: a law a few of its many, a decree most of
        # its ~30 articles, a province's decision a list in two articles.
        self.shape_of[number] = {"Luat": (40, 4), "NghiDinh": (30, 6)}.get(kind, (2, 10))
        return number

    def basis(self, number: str, article: int, clause: int) -> ox.NamedNode:
        """The clause (with its article) of an instrument, minted once."""
        g = self.instruments_graph
        instrument = ox.NamedNode(ns.instrument_iri(number))
        article_iri = ns.subdivision_iri(number, str(article))
        clause_iri = ns.subdivision_iri(number, str(article), str(clause))
        for iri, cls, num, parent, text in (
                (article_iri, "Article", str(article), instrument, f"Điều {article} {number}"),
                (clause_iri, "Clause", str(clause), ox.NamedNode(article_iri), f"khoản {clause} Điều {article} {number}")):
            if iri in self.subdivisions:
                continue
            self.subdivisions.add(iri)
            s = ox.NamedNode(iri)
            self.add(s, ns.RDF + "type", _tq(cls), g)
            self.add(s, ns.ELI + "number", ox.Literal(num), g)
            self.add(s, ns.ELI + "is_part_of", parent, g)
            self.add(s, ns.TQ + "instrument", instrument, g)
            self.add(s, ns.RDFS + "label", _vi(text), g)
        return ox.NamedNode(clause_iri)

    # --- assignments ---
    def assignment(self, power: ox.NamedNode, holder: ox.NamedNode, mode: str, number: str, start: str | None,
                   end: str | None, *, grantor: ox.NamedNode | None = None, scope: ox.NamedNode | None = None,
                   former: ox.NamedNode | None = None, question: str | None = None,
                   basis: bool = True) -> ox.NamedNode:
        self.assignments += 1
        key = f"syn-{self.assignments:06d}"
        s = ox.NamedNode(ns.assignment_iri(key))
        g = ox.NamedNode(ns.instrument_graph(number))
        self.add(s, ns.RDF + "type", _tq("Assignment"), g)
        self.add(s, ns.DCTERMS + "identifier", ox.Literal(key), g)
        self.add(s, ns.TQ + "power", power, g)
        self.add(s, ns.TQ + "holder", holder, g)
        self.add(s, ns.TQ + "mode", _tq(mode), g)
        if basis:
            articles, clauses = self.shape_of[number]
            cited = self.basis(number, self.rng.randint(1, articles), self.rng.randint(1, clauses))
            self.add(s, ns.TQ + "legalBasis", cited, g)
        if start:
            self.add(s, ns.TQ + "validFrom", _date(start), g)
        if end:
            self.add(s, ns.TQ + "validUntil", _date(end), g)
        if grantor is not None:
            self.add(s, ns.TQ + "grantor", grantor, g)
        if scope is not None:
            self.add(s, ns.TQ + "placeScope", scope, g)
        if former is not None:
            self.add(s, ns.TQ + "formerHolder", former, g)
        if question:
            self.add(s, ns.TQ + "openQuestion", _vi(question), g)
        return s

    def inject(self, kind: str, rule: str, focus: ox.NamedNode, value: ox.NamedNode | None) -> None:
        """Record a finding the defect must produce: (rule IRI, focus IRI, value IRI or None for any value)."""
        self.injected.setdefault(kind, []).append((TQSH + rule, focus.value, value.value if value is not None else None))


# Defect kinds: name → (share of powers that get it, the story it needs).
DEFECTS = {
    "overlap": ("district", 0.012), "committee_and_chairman": ("district", 0.012),
    "district_not_taken_over": ("district", 0.012), "interruption": ("district", 0.012),
    "abolished_holder": ("district", 0.012), "abolished_unit": ("province", 0.012),
    "grantor_does_not_hold": ("province", 0.012), "upward_grant": ("district", 0.012),
    "redelegation": ("province", 0.012), "basis_not_yet_in_force": ("ministry", 0.012),
    "basis_lapses": ("ministry", 0.012), "open_question": ("ministry", 0.012),
    "grant_without_grantor": ("province", 0.006), "power_without_vietnamese_label": ("ministry", 0.006),
    "end_before_start": ("province", 0.006), "no_legal_basis": ("province", 0.006),
    "unknown_holder": ("ministry", 0.006),
}


def generate(n: int, seed: int = 0, *, units: bool = False) -> Registry:
    """A synthetic registry of exactly `n` assignments.

    Args:
        n: number of assignments (≥ 100).
        seed: the same seed gives the same registry.
        units: also include the administrative units the registry names (with their parents) and
            the dated facts of the levels, so that the output is self-contained; leave False when
            the store already holds the units (build_store).
    Returns:
        the registry: quads, and what was injected.
    Raises:
        ValueError: n < 100.
    """
    if n < 100:
        raise ValueError("a synthetic registry needs at least 100 assignments")
    rng = random.Random(seed)
    b = _Builder(rng)
    provinces = current_units()
    province_iris = [ox.NamedNode(ns.province_iri(p["code"])) for p in provinces]
    communes = [(ox.NamedNode(ns.commune_iri(w["code"])), i) for i, p in enumerate(provinces) for w in p["wards"]]

    sectors, ministers, departments, laws, june, june_decentral, later = _catalogue(b)
    r = b.roles
    decisions: dict[tuple[int, int], str] = {}

    def decision(province: int, sector: int) -> tuple[str, str]:
        """A province's decision delegating in a sector, and the day it enters into force."""
        key = (province, sector)
        if key not in decisions:
            day = f"2025-{rng.randint(7, 12):02d}-{rng.randint(1, 28):02d}"
            number = f"{sector + 1}/2025/QĐ-UBND-{provinces[province]['code']:02d}"
            decisions[key] = b.instrument(number, None, f"Quyết định ủy quyền trong lĩnh vực {SECTORS[sector][1]} "
                                                        f"của Ủy ban nhân dân {provinces[province]['name']}", day, None)
        number = decisions[key]
        return number, b.instruments[number][0]

    # Powers and their stories. Volume comes from scoped delegations added until n is reached.
    n_powers = max(12, n // 14)
    stories = rng.choices(["district", "district2026", "ministry", "province"], weights=[35, 10, 20, 35], k=n_powers)
    by_story: dict[str, list[int]] = {}
    for i, story in enumerate(stories):
        by_story.setdefault("district" if story == "district2026" else story, []).append(i)
    defects: dict[int, str] = {}
    for kind, (story, share) in DEFECTS.items():
        pool = [i for i in by_story.get(story, []) if i not in defects]
        for i in rng.sample(pool, min(len(pool), max(1, round(share * n_powers)))):
            defects[i] = kind

    expandable: list[tuple[ox.NamedNode, str, int, dict]] = []
    for i, story in enumerate(stories):
        sector = rng.randrange(len(SECTORS))
        verb, obj = rng.choice(VERBS), rng.choice(OBJECTS)
        defect = defects.get(i)
        power = b.power(f"syn-{i:05d}", f"{verb[0]} {obj[0]} {SECTORS[sector][1].lower()} (mục {i})",
                        f"{verb[1]} {obj[1]} in {SECTORS[sector][2].lower()} (item {i})", sectors[sector],
                        f"khoản {rng.randint(1, 9)} Điều {rng.randint(5, 120)} Luật {SECTORS[sector][1]}",
                        label=defect != "power_without_vietnamese_label")
        if defect == "power_without_vietnamese_label":
            b.inject(defect, "PowerShape-prefLabel", power, None)
        if story in ("district", "district2026"):
            _district_story(b, rng, power, story, sector, laws, june, later, defect, communes, expandable)
        elif story == "ministry":
            _ministry_story(b, rng, power, sector, ministers, laws, june_decentral, defect)
        else:
            _province_story(b, rng, power, sector, departments, june, decision, defect, province_iris,
                            provinces, communes, expandable)

    # Fill up to n with scoped delegations of the expandable powers (each unit once per power).
    rng.shuffle(expandable)
    while b.assignments < n and expandable:
        progressed = False
        for power, kind, sector, state in expandable:
            if b.assignments >= n:
                break
            if kind == "province" and state["provinces"]:
                p = state["provinces"].pop()
                number, day = decision(p, sector)
                b.assignment(power, state["holder"], "UyQuyen", number, day, JUNE_END, grantor=r["ubnd-cap-tinh"],
                             scope=province_iris[p])
                progressed = True
            elif kind == "commune" and state["communes"]:
                commune, p = state["communes"].pop()
                day = f"2025-{rng.randint(7, 12):02d}-{rng.randint(1, 28):02d}"
                b.assignment(power, r["chu-tich-ubnd-cap-xa"], "UyQuyen", june[sector], day, JUNE_END,
                             grantor=r["ubnd-cap-xa"], scope=commune)
                progressed = True
        if not progressed:
            break
    while b.assignments < n:  # only when every unit of every expandable power is used: more powers
        i = len(stories)
        stories.append("ministry")
        sector = rng.randrange(len(SECTORS))
        power = b.power(f"syn-{i:05d}", f"Nhiệm vụ bổ sung {i}", f"Additional task {i}", sectors[sector],
                        f"Điều {rng.randint(5, 120)} Luật {SECTORS[sector][1]}")
        _ministry_story(b, rng, power, sector, ministers, laws, june_decentral, None)

    quads = b.quads
    if units:
        quads = quads + list(_referenced_units(quads))
    return Registry(quads=quads, injected=b.injected, assignments=b.assignments, powers=len(stories),
                    roles=len(b.roles), instruments=len(b.instruments))


def _catalogue(b: _Builder) -> tuple[list, ...]:
    """Roles as the law names them, and per sector: a ministry, its minister, a department, a law, a
    June 2025 delimitation decree, a decentralisation decree and a 2026 decree.

    Returns:
        (sectors, ministers, departments, laws, june decrees, decentralisation decrees, 2026 decrees).
    """
    b.role("quoc-hoi", "Quốc hội", "The National Assembly", "CollectiveRole", "CentralLevel")
    b.role("chinh-phu", "Chính phủ", "The Government", "CollectiveRole", "CentralLevel")
    b.role("thu-tuong-chinh-phu", "Thủ tướng Chính phủ", "The Prime Minister", "IndividualRole", "CentralLevel", "chinh-phu")
    for key, label, en in [("hdnd-cap-tinh", "Hội đồng nhân dân cấp tỉnh", "Provincial People's Council"),
                           ("ubnd-cap-tinh", "Ủy ban nhân dân cấp tỉnh", "Provincial People's Committee")]:
        b.role(key, label, en, "CollectiveRole", "ProvinceLevel")
    b.role("chu-tich-ubnd-cap-tinh", "Chủ tịch Ủy ban nhân dân cấp tỉnh", "Chairman of the Provincial People's Committee",
           "IndividualRole", "ProvinceLevel", "ubnd-cap-tinh")
    b.role("ubnd-cap-huyen", "Ủy ban nhân dân cấp huyện", "District People's Committee", "CollectiveRole",
           "DistrictLevel", until=DISTRICT_END)
    b.role("chu-tich-ubnd-cap-huyen", "Chủ tịch Ủy ban nhân dân cấp huyện", "Chairman of the District People's Committee",
           "IndividualRole", "DistrictLevel", "ubnd-cap-huyen", until=DISTRICT_END)
    for key, label, en in [("hdnd-cap-xa", "Hội đồng nhân dân cấp xã", "Commune People's Council"),
                           ("ubnd-cap-xa", "Ủy ban nhân dân cấp xã", "Commune People's Committee")]:
        b.role(key, label, en, "CollectiveRole", "CommuneLevel")
    b.role("chu-tich-ubnd-cap-xa", "Chủ tịch Ủy ban nhân dân cấp xã", "Chairman of the Commune People's Committee",
           "IndividualRole", "CommuneLevel", "ubnd-cap-xa")
    sectors, ministers, departments, laws, june, june_decentral, later = [], [], [], [], [], [], []
    for i, (key, vi, en) in enumerate(SECTORS):
        s = ox.NamedNode(ns.sector_iri(key))
        b.add(s, ns.RDF + "type", _tq("Sector"), b.catalogue)
        b.add(s, ns.SKOS + "prefLabel", _vi(vi), b.catalogue)
        b.add(s, ns.SKOS + "prefLabel", _en(en), b.catalogue)
        sectors.append(s)
        b.role(f"bo-{key}", f"Bộ {vi}", f"Ministry of {en}", "CollectiveRole", "CentralLevel")
        ministers.append(b.role(f"bo-truong-bo-{key}", f"Bộ trưởng Bộ {vi}", f"Minister of {en}", "IndividualRole",
                                "CentralLevel", f"bo-{key}"))
        departments.append(b.role(f"so-{key}", f"Sở {vi}", f"Provincial Department of {en}", "CollectiveRole",
                                  "ProvinceLevel"))
        laws.append(b.instrument(f"{60 + i}/2014/QH13", "Luat", f"Luật {vi} (tổng hợp)", LAW_START, None))
        june.append(b.instrument(f"{900 + i}/2025/NĐ-CP", "NghiDinh",
                                 f"Nghị định phân định thẩm quyền của chính quyền địa phương 02 cấp trong lĩnh vực {vi}",
                                 JUNE_START, JUNE_END))
        june_decentral.append(b.instrument(f"{930 + i}/2025/NĐ-CP", "NghiDinh",
                                           f"Nghị định phân quyền, phân cấp trong lĩnh vực {vi}", JUNE_START, JUNE_END))
        later.append(b.instrument(f"{60 + i}/2026/NĐ-CP", "NghiDinh", f"Nghị định sửa đổi về {vi} (2026)", LAND_2026, None))
    return sectors, ministers, departments, laws, june, june_decentral, later


def _district_story(b: _Builder, rng, power, story, sector, laws, june, later, defect, communes, expandable) -> None:
    """District holder until 2025-07-01, the commune from then (and the province from 2026-01-31)."""
    r = b.roles
    chairman = rng.random() < 0.4
    district = r["chu-tich-ubnd-cap-huyen" if chairman else "ubnd-cap-huyen"]
    commune = r["chu-tich-ubnd-cap-xa" if chairman else "ubnd-cap-xa"]
    if defect == "committee_and_chairman":
        district, commune = r["ubnd-cap-huyen"], r["ubnd-cap-xa"]
    old_end = "2025-09-01" if defect == "abolished_holder" else DISTRICT_END
    old = b.assignment(power, district, "PhanDinh", laws[sector], LAW_START, old_end)
    if defect == "abolished_holder":
        b.inject(defect, "AbolishedHolder", power, old)
    if defect == "district_not_taken_over":
        b.inject(defect, "LevelEndedNotTakenOver", power, old)
        return
    start = "2025-08-01" if defect == "interruption" else JUNE_START
    end = LAND_2026 if story == "district2026" else JUNE_END
    new = b.assignment(power, commune, "PhanDinh", june[sector], start, end, former=district)
    if defect == "interruption":
        b.inject(defect, "Interruption", power, old)
    if defect == "abolished_holder":
        b.inject(defect, "Overlap", power, min(old, new, key=lambda t: t.value))
    if story == "district2026":
        b.assignment(power, r["ubnd-cap-tinh"], "PhanDinh", later[sector], LAND_2026, None, former=commune)
    if defect == "overlap":
        other = b.assignment(power, r["ubnd-cap-tinh"], "PhanDinh", june[sector], "2026-01-01", end)
        b.inject(defect, "Overlap", power, min(new, other, key=lambda t: t.value))
    elif defect == "committee_and_chairman":
        post = b.assignment(power, r["chu-tich-ubnd-cap-xa"], "PhanDinh", june[sector], JUNE_START, end)
        b.inject(defect, "CommitteeAndChairman", power, post)
    elif defect == "upward_grant":
        up = b.assignment(power, r["ubnd-cap-tinh"], "PhanCap", june[sector], JUNE_START, end, grantor=commune)
        b.inject(defect, "UpwardGrant", power, up)
    elif not chairman and story == "district" and defect is None:
        expandable.append((power, "commune", sector, {"communes": rng.sample(communes, min(len(communes), 400))}))


def _ministry_story(b: _Builder, rng, power, sector, ministers, laws, june_decentral, defect) -> None:
    """A minister's power by law, decentralised to the provinces by a June 2025 decree — in some
    stories the decree decentralises by itself, its grantor the Government that passes it."""
    r = b.roles
    holder = ox.NamedNode(ns.role_iri("bo-truong-khong-ton-tai")) if defect == "unknown_holder" else ministers[sector]
    law = b.assignment(power, holder, "PhanQuyen", laws[sector], LAW_START, None)
    if defect == "unknown_holder":
        b.inject(defect, "AssignmentShape-holder", law, holder)
    start = "2025-06-01" if defect == "basis_not_yet_in_force" else JUNE_START
    end = None if defect == "basis_lapses" else JUNE_END
    question = "Chưa rõ Ủy ban nhân dân hay Chủ tịch Ủy ban nhân dân cấp tỉnh thực hiện." if defect == "open_question" else None
    grantor = r["chinh-phu"] if defect is None and rng.random() < 0.3 else ministers[sector]
    grant = b.assignment(power, r["ubnd-cap-tinh"], "PhanCap", june_decentral[sector], start, end,
                         grantor=grantor, question=question)
    if defect == "basis_not_yet_in_force":
        b.inject(defect, "BasisNotYetInForce", power, grant)
    elif defect == "basis_lapses":
        b.inject(defect, "BasisLapses", power, grant)
    elif defect == "open_question":
        b.inject(defect, "OpenQuestion", power, grant)
    elif defect == "unknown_holder":
        b.inject(defect, "GrantorDoesNotHold", power, grant)


def _province_story(b: _Builder, rng, power, sector, departments, june, decision, defect, province_iris, provinces,
                    communes, expandable) -> None:
    """The provincial committee's power from 2025-07-01, delegated by each province to a body of its own."""
    r = b.roles
    b.assignment(power, r["ubnd-cap-tinh"], "PhanDinh", june[sector], JUNE_START, JUNE_END)
    holder = departments[sector] if rng.random() < 0.7 else r["chu-tich-ubnd-cap-tinh"]
    order = list(range(len(provinces)))
    rng.shuffle(order)
    if defect is not None:
        p = order.pop()
        number, day = decision(p, sector)
        scope = province_iris[p]
        if defect == "abolished_unit":
            scope = ox.NamedNode(ns.legacy_province_iri(rng.choice(LEGACY_PROVINCES)))
            a = b.assignment(power, holder, "UyQuyen", number, day, JUNE_END, grantor=r["ubnd-cap-tinh"], scope=scope)
            b.inject(defect, "AbolishedHolder", power, a)
        elif defect == "grantor_does_not_hold":
            a = b.assignment(power, holder if holder != r["chu-tich-ubnd-cap-tinh"] else departments[sector], "UyQuyen",
                             number, day, JUNE_END, grantor=r["chu-tich-ubnd-cap-tinh"], scope=scope)
            b.inject(defect, "GrantorDoesNotHold", power, a)
        elif defect == "redelegation":
            b.assignment(power, departments[sector], "UyQuyen", number, day, JUNE_END, grantor=r["ubnd-cap-tinh"],
                         scope=scope)
            commune = next(c for c, i in communes if i == p)
            again = b.assignment(power, r["ubnd-cap-xa"], "UyQuyen", number, "2026-01-01", JUNE_END,
                                 grantor=departments[sector], scope=commune)
            b.inject(defect, "Redelegation", power, again)
        elif defect == "grant_without_grantor":
            a = b.assignment(power, holder, "UyQuyen", number, day, JUNE_END, scope=scope)
            b.inject(defect, "GrantHasGrantor", a, a)
        elif defect == "end_before_start":
            a = b.assignment(power, holder, "UyQuyen", number, day, "2025-07-01", grantor=r["ubnd-cap-tinh"], scope=scope)
            b.inject(defect, "AssignmentShape-validFrom", a, None)
        elif defect == "no_legal_basis":
            a = b.assignment(power, holder, "UyQuyen", number, day, JUNE_END, grantor=r["ubnd-cap-tinh"], scope=scope,
                             basis=False)
            b.inject(defect, "AssignmentShape-legalBasis", a, None)
    expandable.append((power, "province", sector, {"provinces": order, "holder": holder}))


def _referenced_units(quads: list[ox.Quad]) -> Iterator[ox.Quad]:
    """The units the registry names, their parents, and the dated facts of the levels."""
    wanted = {q.object.value for q in quads if q.predicate.value == ns.TQ + "placeScope"}
    by_subject: dict[str, list[ox.Quad]] = {}
    levels = []
    for q in unit_quads():
        if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(ns.TQ):
            levels.append(q)
        else:
            by_subject.setdefault(q.subject.value, []).append(q)
    todo = list(wanted)
    seen = set()
    while todo:
        iri = todo.pop()
        if iri in seen:
            continue
        seen.add(iri)
        for q in by_subject.get(iri, []):
            if q.predicate.value == ns.TQ + "succeededBy" or q.predicate.value == ns.TQ + "partlySucceededBy":
                continue
            yield q
            if q.predicate.value == ns.TQ + "withinUnit":
                todo.append(q.object.value)
    yield from levels


def generate_quads(n: int, seed: int = 0) -> Iterator[ox.Quad]:
    """The quads of `generate(n, seed)` (for callers that only load them)."""
    yield from generate(n, seed).quads


def write(registry: Registry, path: str | Path) -> None:
    """Write the quads as TriG (.trig) or N-Quads (.nq)."""
    path = Path(path)
    fmt = ox.RdfFormat.TRIG if path.suffix == ".trig" else ox.RdfFormat.N_QUADS
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(ox.serialize(registry.quads, format=fmt))


def build_store(path: str | Path | None, n: int, seed: int = 0):
    """A store (a directory, or in memory for None) with the ontology, the real units and a registry of n.

    Returns:
        (backend, registry).
    """
    from registry.build import ontology_quads
    from registry.store import OxigraphBackend

    backend = OxigraphBackend(path)
    registry = generate(n, seed)
    backend.replace_graphs([*ontology_quads(), *unit_quads(), *registry.quads], [])
    return backend, registry


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--assignments", "-n", type=int, default=10_000, help="number of assignments (≥ 100)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--units", action="store_true", help="include the units named (self-contained output)")
    parser.add_argument("--out", "-o", required=True, help="file to write: .trig or .nq")
    args = parser.parse_args(argv)
    registry = generate(args.assignments, args.seed, units=args.units)
    write(registry, args.out)
    json.dump(registry.counts(), sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
