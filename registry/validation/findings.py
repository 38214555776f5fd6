"""A finding: one result of one shape on one focus node, as both engines report it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import pyoxigraph as ox

from .. import namespaces as ns

SPARQL_COMPONENT = ns.SH + "SPARQLConstraintComponent"
SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}

Term = ox.NamedNode | ox.BlankNode | ox.Literal


@dataclass(frozen=True)
class Finding:
    """One validation result.

    Attributes:
        rule: IRI of the shape that reports it (sh:sourceShape): a rule of rules.ttl, or a node or
            property shape of structure.ttl.
        severity: "Violation", "Warning" or "Info".
        focus: the focus node: a power for the rules, the checked resource for structure shapes.
        value: sh:value: the assignment at fault for the rules; the offending value for structure.
        component: sh:sourceConstraintComponent, e.g. sh:MinCountConstraintComponent.
        path: sh:resultPath of a property shape, else None.
        other: the rule's second party: another assignment, a level, a grantor, an instrument, a date
            or the text of an open question (None for structure shapes).
        valid_from, valid_until: the period the finding is about, [valid_from, valid_until);
            valid_until None: no end. None for structure shapes.
        messages: (language, text) pairs, the shape's sh:message with its variables filled in.
    """

    rule: str
    severity: str
    focus: Term
    value: Term | None
    component: str
    path: str | None = None
    other: Term | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    messages: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    def message(self, lang: str = "vi") -> str:
        """The message in `lang`, else in English, else any."""
        by_lang = dict(self.messages)
        return by_lang.get(lang) or by_lang.get("en") or next(iter(by_lang.values()), "")

    def signature(self) -> tuple:
        """What pyshacl's report states about this finding; two engines agree when signatures agree."""
        return (self.rule, self.component, self.severity, self.focus, self.value,
                tuple(sorted(text for _, text in self.messages)))

    def sort_key(self) -> tuple:
        return (SEVERITY_ORDER.get(self.severity, 3), self.rule, str(self.focus), str(self.value),
                self.valid_from or date.min, str(self.other))


def format_message(template: str, bindings: dict[str, str]) -> str:
    """Fill {$this}, {?value}… in a message template as pyshacl does (unbound stays as is); the values
    are inserted literally (pyshacl would read a backslash in them as a regular-expression escape).

    >>> format_message("{?value} và {?other} từ {?from}", {"value": "A", "from": "2025-07-01"})
    'A và {?other} từ 2025-07-01'
    """
    for var, text in bindings.items():
        template = re.sub("{{[?$]{}}}".format(var), lambda _: text, template)
    return template
