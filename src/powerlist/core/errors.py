"""Domain errors. Their messages are written for the clerk who has to act on them; views, the
admin and the CLI show them as they are (4xx, form errors, non-zero exit), never as a 500."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where (file, row, field), what was there, what is expected."""

    file: str
    row: int | None
    field: str
    value: str
    expected: str

    def __str__(self) -> str:
        where = self.file + (f" 第{self.row}行" if self.row is not None else "")
        field = f" [{self.field}]" if self.field else ""
        value = self.value if len(self.value) <= 60 else self.value[:57] + "..."
        return f"{where}{field} 值“{value}”：{self.expected}".lstrip()

    def as_dict(self) -> dict:
        return {"file": self.file, "row": self.row, "field": self.field, "value": self.value,
                "expected": self.expected}


class DomainError(Exception):
    pass


class PermissionDenied(DomainError):
    pass


class NotFound(DomainError):
    pass


class ReviewRequired(PermissionDenied):
    """The change is allowed only as a change request (动态调整申请) a reviewer approves."""


class Conflict(DomainError):
    """Someone else changed the record after the person opened it (a stale version or ETag)."""

    def __init__(self, message: str, current_version: int | None = None):
        self.current_version = current_version
        super().__init__(message)


class InvalidInput(DomainError):
    """Input refused as a whole; `problems` lists every reason found (not just the first)."""

    def __init__(self, problems: list[Problem] | str):
        if isinstance(problems, str):
            problems = [Problem("", None, "", "", problems)]
        self.problems = list(problems)
        super().__init__(self.summary())

    def summary(self, limit: int = 50) -> str:
        lines = [str(p) for p in self.problems[:limit]]
        if len(self.problems) > limit:
            lines.append(f"……另有 {len(self.problems) - limit} 处问题")
        return "\n".join(lines)
