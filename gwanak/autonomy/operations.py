"""Changes to the lists a 동 주민자치회 keeps — its committee members and its
programmes: validated, audited, committed. Both lists have the same shape (a row per
entry, ordered by `position`, owned by the 동), so one set of operations serves both,
parametrised by a `DongList`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from sqlalchemy import select

from gwanak.autonomy.models import DongMember, DongProgramme
from gwanak.core import clock
from gwanak.core.audit import record_audit
from gwanak.core.extensions import db
from gwanak.core.masking import contains_personal_data
from gwanak.core.operations import OperationError

NAME_MAX = 40
ROLE_MAX = 40
TITLE_MAX = 120
TEXT_MAX = 2_000


@dataclass(frozen=True)
class TextColumn:
    name: str
    label: str  # Korean, as the form labels it
    limit: int
    required: bool = True


@dataclass(frozen=True)
class DongList:
    """One list of a 동: its table, the name its audit entries use, its text columns
    (every entry also has a `position`, the order on the page)."""

    model: type[DongMember] | type[DongProgramme]
    audit_name: str
    columns: tuple[TextColumn, ...]


MEMBERS = DongList(
    DongMember,
    "dong_member",
    (TextColumn("name", "이름", NAME_MAX), TextColumn("role", "직책", ROLE_MAX)),
)
PROGRAMMES = DongList(
    DongProgramme,
    "dong_programme",
    (
        TextColumn("title", "프로그램명", TITLE_MAX),
        TextColumn("schedule", "일정", 120, required=False),
        TextColumn("place", "장소", 120, required=False),
        TextColumn("description", "소개", TEXT_MAX, required=False),
    ),
)


def _text(value: str | None, column: TextColumn) -> str:
    value = (value or "").strip()
    if column.required and not value:
        raise OperationError(f"{column.label}을(를) 입력하세요.", field=column.name)
    if len(value) > column.limit:
        raise OperationError(
            f"{column.label}은(는) {column.limit:,}자 이하로 입력하세요.", field=column.name
        )
    # Members are public office holders, but their phone numbers and e-mails are not public.
    if contains_personal_data(value):
        raise OperationError("연락처(전화번호, 이메일 등)는 적을 수 없습니다.", field=column.name)
    return value


def entries_of(kind: DongList, dong: str) -> list:
    model = kind.model
    return list(
        db.session.scalars(
            select(model).where(model.dong == dong).order_by(model.position, model.id)
        )
    )


def _snapshot(kind: DongList, entry) -> dict:
    return {"dong": entry.dong} | {
        name: getattr(entry, name) for name in [c.name for c in kind.columns] + ["position"]
    }


def save_entry(kind: DongList, entry, dong: str, actor_id: int | None, **values):
    """Add (entry=None) or change an entry of a 동's list; audited; commits."""
    fields = {c.name: _text(values.get(c.name), c) for c in kind.columns}
    fields["position"] = int(values.get("position") or 0)
    before = None
    if entry is None:
        entry = kind.model(dong=dong, created_at=clock.now(), **fields)
        db.session.add(entry)
    else:
        before = _snapshot(kind, entry)
        for key, value in fields.items():
            setattr(entry, key, value)
    db.session.flush()
    record_audit(
        f"{kind.audit_name}.save",
        kind.audit_name,
        entry.id,
        before=before,
        after=_snapshot(kind, entry),
        actor_id=actor_id,
    )
    db.session.commit()
    return entry


def delete_entry(kind: DongList, entry, actor_id: int | None) -> None:
    record_audit(
        f"{kind.audit_name}.delete",
        kind.audit_name,
        entry.id,
        before=_snapshot(kind, entry),
        actor_id=actor_id,
    )
    db.session.delete(entry)
    db.session.commit()


# The two lists by name, as the dong page, the demo and tests use them.
members_of = partial(entries_of, MEMBERS)
programmes_of = partial(entries_of, PROGRAMMES)
save_member = partial(save_entry, MEMBERS)
save_programme = partial(save_entry, PROGRAMMES)
