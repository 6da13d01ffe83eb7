"""The district's organisation as data: departments (과, grouped by 국) and the 21 동
주민센터, loaded from gwanak/data/organisation.json, and the admin's changes to it —
rename, merge, retire — each recorded in the audit log (object type "department").

Other tables keep a department by its name (User.department, Proposal.department, …)
and mark that column with `HOLDS_DEPARTMENT`; a rename rewrites every marked column, a
merge moves the rows each column's `open_when` selects (open work; all rows when the
column has none). This module finds those columns in the metadata, so it never imports
the features above it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources

from sqlalchemy import func, select, update

from gwanak.accounts.models import Department, DepartmentKind, Role, User
from gwanak.core import clock
from gwanak.core.audit import AuditEntry, record_audit
from gwanak.core.extensions import db
from gwanak.core.operations import OperationError

NAME_MAX = 40
UNKNOWN = "알 수 없는 부서입니다: {name}. 관리자 화면의 조직 목록에 있는 부서 이름을 쓰세요."


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    group: str
    kind: str
    dong: str | None = None


def organisation_file() -> list[Unit]:
    text = resources.files("gwanak.data").joinpath("organisation.json").read_text("utf-8")
    return [
        Unit(d["code"], d["name"], d["group"], d["kind"], d.get("dong"))
        for d in json.loads(text)["departments"]
    ]


def load_organisation() -> int:
    """Add the departments of organisation.json that are not stored yet (by code);
    never undoes an admin's rename, merge or retirement. Returns how many were added.
    Commits."""
    known = set(db.session.scalars(select(Department.code)))
    taken = set(db.session.scalars(select(Department.name)))
    added = 0
    for unit in organisation_file():
        if unit.code in known or unit.name in taken:
            continue
        db.session.add(
            Department(
                code=unit.code,
                name=unit.name,
                group=unit.group,
                kind=unit.kind,
                dong=unit.dong,
                created_at=clock.now(),
            )
        )
        added += 1
    db.session.commit()
    return added


# ---------------------------------------------------------------- reading


def all_departments() -> list[Department]:
    """Every department, active first, in the file's order of 국 then name."""
    rows = db.session.scalars(select(Department).order_by(Department.id))
    return sorted(rows, key=lambda d: (not d.active, d.kind != DepartmentKind.OFFICE, d.id))


def active_offices() -> list[Department]:
    """The 과 staff can belong to and work can be routed to."""
    return [d for d in all_departments() if d.active and d.kind == DepartmentKind.OFFICE]


def find_department(name: str | None) -> Department | None:
    """The department called `name` now or before a rename, following merges to the
    department that carries on its work. None when nobody by that name ever existed."""
    if not name:
        return None
    found = db.session.scalar(select(Department).where(Department.name == name))
    if found is None:
        found = next(
            (d for d in db.session.scalars(select(Department)) if name in (d.former_names or [])),
            None,
        )
    seen = set()
    while found is not None and found.merged_into_id and found.id not in seen:
        seen.add(found.id)
        found = db.session.get(Department, found.merged_into_id)
    return found


def current_name(name: str | None) -> str | None:
    """The name a department named `name` (in a data file, say) goes by today."""
    found = find_department(name)
    return found.name if found else name


def require_active(name: str | None, field: str = "department") -> Department:
    """The active 과 called `name`, or a Korean refusal by the field."""
    name = (name or "").strip()
    found = db.session.scalar(select(Department).where(Department.name == name))
    if found is None or found.kind != DepartmentKind.OFFICE:
        raise OperationError(UNKNOWN.format(name=name or "(없음)"), field=field)
    if not found.active:
        raise OperationError(f"{name}은(는) 폐지되었거나 통합된 부서입니다.", field=field)
    return found


def department_staff(name: str) -> list[User]:
    """The staff members of a department (not deleted)."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.role == Role.STAFF, User.department == name, User.deleted_at.is_(None))
            .order_by(User.id)
        )
    )


def history(department: Department) -> list[AuditEntry]:
    """What happened to a department, newest first (from the audit log)."""
    return list(
        db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.object_type == "department", AuditEntry.object_id == department.code)
            .order_by(AuditEntry.id.desc())
        )
    )


# ---------------------------------------------------------------- changing


def _department_columns():
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if column.info.get("holds_department"):
                yield table, column


def _rewrite(old: str, new: str, *, open_only: bool) -> dict[str, int]:
    """Set every department column holding `old` to `new` (only open work when
    `open_only`); how many rows changed per table.column. A step."""
    moved = {}
    for table, column in _department_columns():
        statement = update(table).where(column == old)
        open_when = column.info.get("open_when")
        if open_only and open_when is not None:
            statement = statement.where(open_when(table))
        count = db.session.execute(statement.values({column.name: new})).rowcount
        if count:
            moved[f"{table.name}.{column.name}"] = count
    db.session.expire_all()
    return moved


def _checked_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise OperationError("부서 이름을 입력하세요.", field="name")
    if len(name) > NAME_MAX:
        raise OperationError(f"부서 이름은 {NAME_MAX}자 이하로 입력하세요.", field="name")
    return name


def rename_department(
    department: Department, name: str, group: str | None, actor: User
) -> Department:
    """Give a department a new name (and 국): everything that names it follows. Commits."""
    name = _checked_name(name)
    group = (group or "").strip() or department.group
    if not department.active:
        raise OperationError("폐지되었거나 통합된 부서는 바꿀 수 없습니다.", status=409)
    if name == department.name and group == department.group:
        raise OperationError("바뀐 내용이 없습니다.", field="name")
    clash = db.session.scalar(select(Department).where(Department.name == name))
    if clash is not None and clash.id != department.id:
        raise OperationError("같은 이름의 부서가 이미 있습니다.", field="name")
    old, old_group = department.name, department.group
    moved = _rewrite(old, name, open_only=False) if name != old else {}
    values = {"group": group}
    if name != old:
        values |= {"name": name, "former_names": [*(department.former_names or []), old]}
    db.session.execute(update(Department).where(Department.id == department.id).values(values))
    record_audit(
        "department.rename",
        "department",
        department.code,
        before={"name": old, "group": old_group},
        after={"name": name, "group": group, "moved": moved},
        actor_id=actor.id,
    )
    db.session.commit()
    return db.session.get(Department, department.id)


def merge_department(department: Department, into: Department, actor: User) -> dict[str, int]:
    """Merge a department into another: its staff and its open work move there, it is
    retired with a pointer to where it went; answered work keeps its name. Commits."""
    if not department.active:
        raise OperationError("이미 폐지되었거나 통합된 부서입니다.", status=409)
    if into is None or not into.active or into.kind != department.kind:
        raise OperationError("통합할 부서를 고르세요.", field="into")
    if into.id == department.id:
        raise OperationError("같은 부서로는 통합할 수 없습니다.", field="into")
    moved = _rewrite(department.name, into.name, open_only=True)
    now = clock.now()
    db.session.execute(
        update(Department)
        .where(Department.id == department.id)
        .values(active=False, merged_into_id=into.id, retired_at=now)
    )
    record_audit(
        "department.merge",
        "department",
        department.code,
        before={"name": department.name, "active": True},
        after={"merged_into": into.name, "moved": moved},
        actor_id=actor.id,
    )
    record_audit(
        "department.absorb",
        "department",
        into.code,
        after={"absorbed": department.name, "moved": moved},
        actor_id=actor.id,
    )
    db.session.commit()
    return moved


def retire_department(department: Department, actor: User) -> None:
    """Retire a department with nobody and nothing open left in it (merge it instead
    otherwise). Commits."""
    if not department.active:
        raise OperationError("이미 폐지되었거나 통합된 부서입니다.", status=409)
    if department_staff(department.name):
        raise OperationError(
            "소속 직원이 있는 부서는 폐지할 수 없습니다. 다른 부서로 통합하세요.", status=409
        )
    if _open_work(department.name):
        raise OperationError(
            "처리 중인 일이 남은 부서는 폐지할 수 없습니다. 다른 부서로 통합하세요.", status=409
        )
    db.session.execute(
        update(Department)
        .where(Department.id == department.id)
        .values(active=False, retired_at=clock.now())
    )
    record_audit(
        "department.retire",
        "department",
        department.code,
        before={"name": department.name, "active": True},
        after={"active": False},
        actor_id=actor.id,
    )
    db.session.commit()


def _open_work(name: str) -> int:
    total = 0
    for table, column in _department_columns():
        open_when = column.info.get("open_when")
        if open_when is None:
            continue
        query = select(func.count()).select_from(table).where(column == name, open_when(table))
        total += db.session.scalar(query) or 0
    return total
