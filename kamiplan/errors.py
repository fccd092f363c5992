"""Errors that carry a location (file, line, column, value) and a Japanese message."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file, located as precisely as the input allows."""

    message: str
    path: str = ""
    line: int | None = None
    column: str = ""
    value: str = ""
    subject: str = ""  # what the problem is about: 「人口(0-V1)・R7(2025)年度」

    def __str__(self) -> str:
        where = self.path or ""
        if self.line is not None:
            where = f"{where} {self.line}行目" if where else f"{self.line}行目"
        if self.column:
            where = f"{where} 列「{self.column}」"
        parts = [p for p in (where.strip(), self.subject, self.message) if p]
        text = ": ".join(parts)
        if self.value:
            text += f"(読み取った内容:「{self.value}」)"
        return text


@dataclass
class InputError(Exception):
    """Raised when an input is refused. Holds every problem found, not just the first."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


def fail(message: str, path: str | Path = "", line: int | None = None, column: str = "", value: str = "") -> InputError:
    """Build an InputError with a single problem (``raise fail(...)``)."""
    return InputError([Problem(message=message, path=str(path), line=line, column=column, value=value)])
