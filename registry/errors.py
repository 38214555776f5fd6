"""One error hierarchy: every error a user can cause says what is wrong and where."""

from __future__ import annotations


class ThamquyenError(Exception):
    """Base of every error the registry reports to a user (exit code 2, HTTP 4xx)."""

    exit_code = 2


class InputError(ThamquyenError):
    """Bad input: a file, a row or a field that cannot be read.

    Args:
        message: what is wrong, in plain words.
        file: the file (or upload name) it came from.
        line: 1-based line in a text file (Turtle, CSV).
        column: 1-based column, or a column name in a tabular file.
        row: 1-based data row in a tabular file.
        field: the template field (e.g. "holder").

    >>> str(InputError("unknown holder 'UBND cap thon'", file="d.csv", row=3, field="holder"))
    "d.csv: row 3: field holder: unknown holder 'UBND cap thon'"
    """

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 column: int | str | None = None, row: int | None = None, field: str | None = None):
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.row = row
        self.field = field
        super().__init__(self.__str__())

    def location(self) -> str:
        parts = []
        if self.file:
            parts.append(str(self.file))
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column}")
        if self.field:
            parts.append(f"field {self.field}")
        return ": ".join(parts)

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.message}" if where else self.message

    def as_dict(self) -> dict:
        return {k: v for k, v in {"message": self.message, "file": self.file, "line": self.line,
                                  "column": self.column, "row": self.row, "field": self.field}.items()
                if v is not None}


class UsageError(ThamquyenError):
    """A command or request that cannot be carried out as asked (bad option, unknown graph, bad date)."""


class StoreError(ThamquyenError):
    """The store cannot take a write now (another process is writing: HTTP 409) or at all (disk full,
    read-only directory: 503); the message names the path, and nothing was changed."""

    def __init__(self, message: str, *, busy: bool = False):
        self.http_status = 409 if busy else 503
        super().__init__(message)


class NotFoundError(ThamquyenError):
    """Something named by the user does not exist (task, place, graph); carries close suggestions."""

    def __init__(self, message: str, suggestions: list | None = None):
        self.suggestions = suggestions or []
        super().__init__(message)


class AmbiguousError(ThamquyenError):
    """A name that matches several things; carries the candidates."""

    def __init__(self, message: str, candidates: list):
        self.candidates = candidates
        super().__init__(message)


class RuleError(ThamquyenError):
    """A shape or rule that cannot be run; knows the rule IRI."""

    def __init__(self, message: str, rule: str | None = None):
        self.rule = rule
        super().__init__(f"{rule}: {message}" if rule else message)
