"""Changes to a 동 주민자치회's members and programmes: validated, audited, committed."""

from __future__ import annotations

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


def _text(value: str | None, label: str, limit: int, field: str, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise OperationError(f"{label}을(를) 입력하세요.", field=field)
    if len(value) > limit:
        raise OperationError(f"{label}은(는) {limit:,}자 이하로 입력하세요.", field=field)
    # Members are public office holders, but their phone numbers and e-mails are not public.
    if contains_personal_data(value):
        raise OperationError("연락처(전화번호, 이메일 등)는 적을 수 없습니다.", field=field)
    return value


def members_of(dong: str) -> list[DongMember]:
    return list(
        db.session.scalars(
            select(DongMember)
            .where(DongMember.dong == dong)
            .order_by(DongMember.position, DongMember.id)
        )
    )


def programmes_of(dong: str) -> list[DongProgramme]:
    return list(
        db.session.scalars(
            select(DongProgramme)
            .where(DongProgramme.dong == dong)
            .order_by(DongProgramme.position, DongProgramme.id)
        )
    )


def _member_snapshot(m: DongMember) -> dict:
    return {"dong": m.dong, "name": m.name, "role": m.role, "position": m.position}


def _programme_snapshot(p: DongProgramme) -> dict:
    return {
        "dong": p.dong,
        "title": p.title,
        "schedule": p.schedule,
        "place": p.place,
        "description": p.description,
        "position": p.position,
    }


def save_member(
    member: DongMember | None, dong: str, actor_id: int | None, *, name: str, role: str, position=0
) -> DongMember:
    """Add (member=None) or change a committee member of `dong`; audited; commits."""
    fields = {
        "name": _text(name, "이름", NAME_MAX, "name"),
        "role": _text(role, "직책", ROLE_MAX, "role"),
        "position": int(position or 0),
    }
    before = None
    if member is None:
        member = DongMember(dong=dong, created_at=clock.now(), **fields)
        db.session.add(member)
    else:
        before = _member_snapshot(member)
        for key, value in fields.items():
            setattr(member, key, value)
    db.session.flush()
    record_audit(
        "dong_member.save",
        "dong_member",
        member.id,
        before=before,
        after=_member_snapshot(member),
        actor_id=actor_id,
    )
    db.session.commit()
    return member


def delete_member(member: DongMember, actor_id: int | None) -> None:
    record_audit(
        "dong_member.delete",
        "dong_member",
        member.id,
        before=_member_snapshot(member),
        actor_id=actor_id,
    )
    db.session.delete(member)
    db.session.commit()


def save_programme(
    programme: DongProgramme | None,
    dong: str,
    actor_id: int | None,
    *,
    title: str,
    schedule: str = "",
    place: str = "",
    description: str = "",
    position=0,
) -> DongProgramme:
    """Add (programme=None) or change a programme of `dong`; audited; commits."""
    fields = {
        "title": _text(title, "프로그램명", TITLE_MAX, "title"),
        "schedule": _text(schedule, "일정", 120, "schedule", required=False),
        "place": _text(place, "장소", 120, "place", required=False),
        "description": _text(description, "소개", TEXT_MAX, "description", required=False),
        "position": int(position or 0),
    }
    before = None
    if programme is None:
        programme = DongProgramme(dong=dong, created_at=clock.now(), **fields)
        db.session.add(programme)
    else:
        before = _programme_snapshot(programme)
        for key, value in fields.items():
            setattr(programme, key, value)
    db.session.flush()
    record_audit(
        "dong_programme.save",
        "dong_programme",
        programme.id,
        before=before,
        after=_programme_snapshot(programme),
        actor_id=actor_id,
    )
    db.session.commit()
    return programme


def delete_programme(programme: DongProgramme, actor_id: int | None) -> None:
    record_audit(
        "dong_programme.delete",
        "dong_programme",
        programme.id,
        before=_programme_snapshot(programme),
        actor_id=actor_id,
    )
    db.session.delete(programme)
    db.session.commit()
