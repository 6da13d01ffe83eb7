"""Reading a file: JSON as it is, CSV rebuilt into the same nested catalogue."""

from __future__ import annotations

import csv
import io
import json

from gwanak.core.csv_safe import restore_cell
from gwanak.manifesto.catalogue.file_format import (
    CSV_COLUMNS,
    FORMAT,
    OPTIONAL_COLUMNS,
    RECORDS,
    CatalogueError,
    ImportProblem,
)

# The catalogue is 8 levels deep at most (areas → goals → groups → pledges → indicators →
# figures, plus the objects around them); anything much deeper is not a catalogue.
MAX_JSON_DEPTH = 32


def _depth(value) -> int:
    """How deeply lists and objects nest, counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            if level > MAX_JSON_DEPTH:
                break
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return deepest


def parse_json(text: str) -> dict:
    too_deep = CatalogueError(
        [ImportProblem("파일", f"JSON이 너무 깊게 중첩되어 있습니다 ({MAX_JSON_DEPTH}단계까지).")]
    )
    try:
        data = json.loads(text)
    except RecursionError:
        raise too_deep from None
    except ValueError as error:
        raise CatalogueError([ImportProblem("파일", f"JSON 형식이 아닙니다 ({error}).")]) from error
    if _depth(data) > MAX_JSON_DEPTH:
        raise too_deep
    if not isinstance(data, dict) or not isinstance(data.get("areas"), list):
        raise CatalogueError([ImportProblem("파일", '"areas" 목록이 있는 JSON 객체여야 합니다.')])
    return data


def parse_csv(text: str) -> dict:
    """Rebuild the nested catalogue from CSV rows; each record remembers its row number.
    Parents are placed before their children, whatever the order of the rows."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in CSV_COLUMNS if c not in header and c not in OPTIONAL_COLUMNS]
    if missing:
        raise CatalogueError([ImportProblem("머리행", "없는 열: " + ", ".join(missing))])
    tree = _CsvTree()
    rows = []
    for number, raw in enumerate(reader, start=2):
        row = dict.fromkeys(OPTIONAL_COLUMNS, "")
        row |= {k.strip(): restore_cell((v or "").strip()) for k, v in raw.items() if k}
        row["_where"] = f"{number}행"
        if row["record"] in RECORDS:
            rows.append((RECORDS.index(row["record"]), number, row))
        else:
            tree.fail(row, f"알 수 없는 record '{row['record']}'")
    for _, _, row in sorted(rows, key=lambda item: item[:2]):
        tree.add(row)
    if tree.problems:
        raise CatalogueError(tree.problems)
    return {"format": FORMAT, "areas": tree.areas}


def _columns(row: dict, names: str) -> dict:
    return {name: row[name] for name in names.split()}


# What each CSV record becomes in the nested catalogue.
_NODES = {
    "area": lambda row: _columns(row, "code title") | {"goals": []},
    "goal": lambda row: _columns(row, "code title") | {"groups": []},
    "group": lambda row: _columns(row, "code title") | {
        "rollup": {"group": row["rollup_group"], "pledges": row["rollup_pledges"]},
        "indicators": [],
        "pledges": [],
    },
    "pledge": lambda row: _columns(
        row,
        "code title department kind completion actor central_help status plan effects illustrative",
    ) | {
        "period": [row["period_start"], row["period_end"]],
        "goals": [g.strip() for g in row["goals"].split("\n") if g.strip()],
        "indicators": [],
        "budget": [],
        "milestones": [],
    },
    "indicator": lambda row: _columns(
        row, "no name measure unit weight target live_source live_from"
    ) | {"figures": []},
    "figure": lambda row: _columns(row, "year quarter target actual"),
    "budget": lambda row: _columns(row, "year source planned executed"),
    "milestone": lambda row: _columns(row, "date when title detail"),
}  # fmt: skip

# Where a record joins its parent: the records the parent may be, the column that
# names the parent's code, and the parent's list. An area has no parent; a figure's
# parent is an indicator, named by code and number.
_PARENTS = {
    "goal": (("area",), "parent", "goals"),
    "group": (("goal",), "parent", "groups"),
    "pledge": (("group",), "parent", "pledges"),
    "indicator": (("pledge", "group"), "code", "indicators"),
    "budget": (("pledge",), "code", "budget"),
    "milestone": (("pledge",), "code", "milestones"),
}


class _CsvTree:
    """The nested catalogue being rebuilt, and the problems found on the way."""

    def __init__(self) -> None:
        self.areas: list[dict] = []
        self.problems: list[ImportProblem] = []
        self.by_code: dict[str, dict[str, dict]] = {r: {} for r in RECORDS[:4]}
        self.indicators: dict[tuple[str, str], dict] = {}

    def fail(self, row: dict, message: str) -> None:
        self.problems.append(ImportProblem(row["_where"], message))

    def add(self, row: dict) -> None:
        record = row["record"]
        node = _NODES[record](row) | {"_where": row["_where"]}
        siblings = self._siblings(record, row)
        if siblings is not None:
            siblings.append(node)
            if record == "indicator":
                self.indicators[(row["code"], row["no"])] = node
        if record in self.by_code:
            self.by_code[record].setdefault(row["code"], node)

    def _siblings(self, record: str, row: dict) -> list | None:
        """The list the record joins, or None (a problem noted) when its parent is unknown."""
        if record == "area":
            return self.areas
        if record == "figure":
            parent = self.indicators.get((row["code"], row["no"]))
            if parent is None:
                self.fail(row, f"알 수 없는 지표 '{row['code']}' {row['no']}번")
            return None if parent is None else parent["figures"]
        kinds, column, children = _PARENTS[record]
        parent = next(
            (self.by_code[k][row[column]] for k in kinds if row[column] in self.by_code[k]), None
        )
        if parent is None:
            self.fail(row, f"알 수 없는 코드 '{row[column]}'")
            return None
        return parent[children]
