"""The catalogue file: its format name, CSV columns and record kinds, and the problems
an import reports."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gwanak.core.operations import OperationError

FORMAT = "gwanak-manifesto/1"
CSV_COLUMNS = (
    "record",
    "code",
    "parent",
    "title",
    "department",
    "kind",
    "completion",
    "period_start",
    "period_end",
    "actor",
    "central_help",
    "status",
    "goals",
    "plan",
    "effects",
    "rollup_group",
    "rollup_pledges",
    "no",
    "name",
    "measure",
    "unit",
    "weight",
    "target",
    "live_source",
    "live_from",
    "year",
    "quarter",
    "source",
    "planned",
    "executed",
    "actual",
    "date",
    "when",
    "detail",
    "illustrative",
)
# Columns a file may leave out (older exports do not have them).
OPTIONAL_COLUMNS = ("illustrative",)
RECORDS = ("area", "goal", "group", "pledge", "indicator", "figure", "budget", "milestone")
CODE_RE = re.compile(r"^[0-9A-Za-z가-힣][0-9A-Za-z가-힣.\-_]{0,19}$")
LIVE_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")


@dataclass
class ImportProblem:
    where: str
    message: str


@dataclass
class ImportReport:
    problems: list[ImportProblem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


class CatalogueError(OperationError):
    """A file refused: every problem with where it is (the import form's file field)."""

    def __init__(self, problems: list[ImportProblem]):
        super().__init__("; ".join(f"{p.where}: {p.message}" for p in problems), field="file")
        self.problems = problems
