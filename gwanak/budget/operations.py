"""State changes of 실행사업 현황 and 예산학교: each owns its transaction, audit and mail."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from gwanak.budget.models import (
    BudgetProject,
    ProjectUpdate,
    RegistrationStatus,
    SchoolClass,
    SchoolCourse,
    SchoolRegistration,
)
from gwanak.core import clock
from gwanak.core.audit import record_audit
from gwanak.core.extensions import db
from gwanak.core.mail import mail_user
from gwanak.core.operations import OperationError
from gwanak.core.settings import SettingSpec, get_setting

# Rules as data: installed by this feature (Feature.settings).
SETTINGS = (
    SettingSpec(
        "budget.school_reminder_hours",
        "예산학교 회차 알림 메일: 시작 몇 시간 전부터 보낼지",
        24,
        minimum=1,
        maximum=168,
    ),
)


# ---------------------------------------------------------------- 실행사업 현황


def save_project(project: BudgetProject | None, data: dict, actor_id: int) -> BudgetProject:
    """Create or change a project; audited with before/after. Commits."""
    before = project.snapshot() if project is not None else None
    if project is None:
        project = BudgetProject()
        db.session.add(project)
    for key in ("year", "title", "summary", "dong", "department", "budget", "spent"):
        if key in data:
            setattr(project, key, data[key])
    project.progress = data.get("progress", project.progress or 0)
    project.state = data.get("state", project.state)
    project.updated_at = clock.now()
    db.session.flush()
    record_audit(
        "budget.project.create" if before is None else "budget.project.edit",
        "budget_project",
        project.id,
        before=before,
        after=project.snapshot(),
        actor_id=actor_id,
    )
    db.session.commit()
    return project


# A 추진 경과 form's token only guards against a double submit or an htmx retry.
KEEP_UPDATE_TOKENS = timedelta(days=1)


def forget_update_tokens() -> int:
    """Clear the one-time tokens of notes older than a day (run daily). Commits."""
    count = db.session.execute(
        update(ProjectUpdate)
        .where(
            ProjectUpdate.client_token.is_not(None),
            ProjectUpdate.created_at < clock.now() - KEEP_UPDATE_TOKENS,
        )
        .values(client_token=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return count


def add_project_update(
    project: BudgetProject,
    posted_on: date,
    body: str,
    actor_id: int,
    client_token: str | None = None,
) -> ProjectUpdate:
    """Add a dated 추진 경과 note; audited. Commits.

    Exactly once per form: a retry with the same `client_token` (a double click, an
    htmx retry after a lost answer) returns the first note, even when both race."""
    if client_token:
        existing = db.session.scalar(
            select(ProjectUpdate).where(ProjectUpdate.client_token == client_token)
        )
        if existing is not None:
            return existing
    note = ProjectUpdate(
        project_id=project.id,
        posted_on=posted_on,
        body=body,
        author_id=actor_id,
        client_token=client_token,
    )
    db.session.add(note)
    project.updated_at = clock.now()
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        existing = db.session.scalar(
            select(ProjectUpdate).where(ProjectUpdate.client_token == client_token)
        )
        if existing is None:
            raise
        return existing
    record_audit(
        "budget.project.update",
        "budget_project",
        project.id,
        after={"update_id": note.id, "posted_on": posted_on.isoformat(), "body": body},
        actor_id=actor_id,
    )
    db.session.commit()
    return note


def yearly_totals() -> dict[int, tuple[int, int, int]]:
    """Per year: (number of projects, total budget, total spent), in one query."""
    rows = db.session.execute(
        select(
            BudgetProject.year,
            func.count(BudgetProject.id),
            func.coalesce(func.sum(BudgetProject.budget), 0),
            func.coalesce(func.sum(BudgetProject.spent), 0),
        ).group_by(BudgetProject.year)
    ).all()
    return {int(y): (int(n), int(b), int(s)) for y, n, b, s in rows}


# ---------------------------------------------------------------- 예산학교


def create_course(title: str, description: str, actor_id: int) -> SchoolCourse:
    """A new 예산학교 course (its classes are added next); audited. Commits."""
    course = SchoolCourse(title=title, description=description or "")
    db.session.add(course)
    db.session.flush()
    record_audit(
        "budget.school.course", "budget_school_course", course.id, after={"title": course.title},
        actor_id=actor_id,
    )  # fmt: skip
    db.session.commit()
    return course


def add_class(
    course: SchoolCourse, *, number: int, starts_at: datetime, place: str, capacity: int,
    actor_id: int,
) -> SchoolClass:  # fmt: skip
    """A class (회차) of a course; `starts_at` is Korean time, stored as naive UTC. Audited.
    Commits."""
    new = SchoolClass(
        course_id=course.id,
        number=number,
        starts_at=starts_at.replace(tzinfo=clock.KST).astimezone(UTC).replace(tzinfo=None),
        place=place,
        capacity=capacity,
    )
    db.session.add(new)
    db.session.flush()
    record_audit(
        "budget.school.class",
        "budget_school_class",
        new.id,
        after={
            "course": course.id,
            "number": new.number,
            "place": new.place,
            "capacity": new.capacity,
            "starts_at": new.starts_at.isoformat(),
        },
        actor_id=actor_id,
    )
    db.session.commit()
    return new


def note_roster_download(school_class: SchoolClass, actor_id: int) -> None:
    """Residents' names and e-mails left the portal: the audit log says who took them."""
    record_audit(
        "budget.school.roster_download", "budget_school_class", school_class.id, actor_id=actor_id
    )
    db.session.commit()


def _class_or_error(class_id: int) -> SchoolClass:
    found = db.session.get(SchoolClass, class_id, populate_existing=True)
    if found is None:
        raise OperationError("없는 회차입니다.", status=404)
    return found


def _take_seat(class_id: int) -> bool:
    """Take one seat if one is free: a single conditional UPDATE, so however many
    residents ask at once, no more than `capacity` get one (no row lock needed, which
    SQLite does not have)."""
    return (
        db.session.execute(
            update(SchoolClass)
            .where(SchoolClass.id == class_id, SchoolClass.seats_taken < SchoolClass.capacity)
            .values(seats_taken=SchoolClass.seats_taken + 1)
            .execution_options(synchronize_session=False)
        ).rowcount
        == 1
    )


def _give_back_seat(class_id: int) -> None:
    db.session.execute(
        update(SchoolClass)
        .where(SchoolClass.id == class_id, SchoolClass.seats_taken > 0)
        .values(seats_taken=SchoolClass.seats_taken - 1)
        .execution_options(synchronize_session=False)
    )


def _switch_status(registration_id: int, expected: str, new: str, **values) -> bool:
    """Move a registration from `expected` to `new`; False when someone moved it first."""
    return (
        db.session.execute(
            update(SchoolRegistration)
            .where(SchoolRegistration.id == registration_id, SchoolRegistration.status == expected)
            .values(status=new, **values)
            .execution_options(synchronize_session=False)
        ).rowcount
        == 1
    )


def register_for_class(class_id: int, user) -> SchoolRegistration:
    """Register a resident, or put them on the waiting list when the class is full.

    Exactly `capacity` residents are registered under any number of concurrent
    requests, on SQLite and PostgreSQL alike: the seat is taken by `_take_seat`'s
    conditional UPDATE in the same transaction as the registration row; the rest wait
    in arrival order. Commits.
    """
    if not user.is_resident:
        raise OperationError("예산학교 신청은 주민 계정으로 할 수 있습니다.", status=403)
    school_class = _class_or_error(class_id)
    if school_class.is_closed():
        db.session.rollback()
        raise OperationError("신청이 마감된 회차입니다.", status=409)
    existing = db.session.scalar(
        select(SchoolRegistration).where(
            SchoolRegistration.class_id == class_id, SchoolRegistration.user_id == user.id
        )
    )
    if existing is not None and existing.status != RegistrationStatus.CANCELLED:
        db.session.rollback()
        raise OperationError("이미 신청한 회차입니다.", status=409)
    status = RegistrationStatus.REGISTERED if _take_seat(class_id) else RegistrationStatus.WAITING
    now = clock.now()
    try:
        if existing is None:
            existing = SchoolRegistration(
                class_id=class_id, user_id=user.id, status=status, queued_at=now
            )
            db.session.add(existing)
            db.session.flush()
        elif not _switch_status(
            existing.id, RegistrationStatus.CANCELLED, status, queued_at=now, reminded_at=None
        ):
            raise IntegrityError("registration changed meanwhile", None, Exception())
        db.session.commit()
    except IntegrityError:
        # A double submit from the same person raced us; the seat goes back with the rollback.
        db.session.rollback()
        raise OperationError("이미 신청한 회차입니다.", status=409) from None
    db.session.refresh(existing)
    return existing


def cancel_registration(class_id: int, user) -> SchoolRegistration:
    """Cancel a place; a freed seat goes to the first on the waiting list, who is mailed.

    The seat is given back and handed on in one transaction, with conditional UPDATEs,
    so it is handed over exactly once. Commits.
    """
    school_class = _class_or_error(class_id)
    registration = db.session.scalar(
        select(SchoolRegistration).where(
            SchoolRegistration.class_id == class_id,
            SchoolRegistration.user_id == user.id,
            SchoolRegistration.status != RegistrationStatus.CANCELLED,
        )
    )
    if registration is None:
        db.session.rollback()
        raise OperationError("신청 내역이 없습니다.", status=409)
    if school_class.is_closed():
        db.session.rollback()
        raise OperationError("이미 시작한 회차는 취소할 수 없습니다.", status=409)
    was = registration.status
    if not _switch_status(registration.id, was, RegistrationStatus.CANCELLED):
        db.session.rollback()
        raise OperationError("신청 내역이 없습니다.", status=409)
    if was == RegistrationStatus.REGISTERED:
        _give_back_seat(class_id)
        _fill_free_seats(school_class)
    db.session.commit()
    db.session.refresh(registration)
    return registration


def _fill_free_seats(school_class: SchoolClass) -> list[SchoolRegistration]:
    """Move the waiting list up into free seats, first come first served."""
    promoted: list[SchoolRegistration] = []
    waiting = db.session.scalars(
        select(SchoolRegistration)
        .where(
            SchoolRegistration.class_id == school_class.id,
            SchoolRegistration.status == RegistrationStatus.WAITING,
        )
        .order_by(SchoolRegistration.queued_at, SchoolRegistration.id)
    ).all()
    course = school_class.course
    for registration in waiting:
        if not _take_seat(school_class.id):
            break
        if not _switch_status(
            registration.id, RegistrationStatus.WAITING, RegistrationStatus.REGISTERED
        ):
            _give_back_seat(school_class.id)  # they cancelled meanwhile
            continue
        promoted.append(registration)
        mail_user(
            registration.user,
            f"[예산학교] {course.title} {school_class.number}회차 신청이 확정되었습니다",
            f"대기 중이던 {course.title} {school_class.number}회차에 자리가 생겨 신청이 "
            f"확정되었습니다.\n일시: {clock.to_kst(school_class.starts_at):%Y-%m-%d %H:%M}\n"
            f"장소: {school_class.place}\n참석이 어려우면 예산학교 페이지에서 취소해 주세요.",
        )
    return promoted


def waiting_position(registration: SchoolRegistration) -> int:
    """1 for the first on the waiting list."""
    ahead = db.session.scalar(
        select(func.count(SchoolRegistration.id)).where(
            SchoolRegistration.class_id == registration.class_id,
            SchoolRegistration.status == RegistrationStatus.WAITING,
            (SchoolRegistration.queued_at < registration.queued_at)
            | (
                (SchoolRegistration.queued_at == registration.queued_at)
                & (SchoolRegistration.id < registration.id)
            ),
        )
    )
    return int(ahead) + 1


def send_class_reminders() -> Iterator[str]:
    """Mail each registered resident once before their class (within the reminder window).

    Idempotent, even with two schedulers at once: a registration is claimed with an
    atomic `UPDATE … WHERE reminded_at IS NULL` before its mail is queued, in the
    same transaction.
    """
    start = clock.now()
    window_end = start + timedelta(hours=get_setting("budget.school_reminder_hours"))
    due = db.session.execute(
        select(SchoolRegistration.id)
        .join(SchoolClass, SchoolClass.id == SchoolRegistration.class_id)
        .where(
            SchoolRegistration.status == RegistrationStatus.REGISTERED,
            SchoolRegistration.reminded_at.is_(None),
            SchoolClass.starts_at > start,
            SchoolClass.starts_at <= window_end,
        )
        .order_by(SchoolRegistration.id)
    ).scalars()
    for registration_id in list(due):
        claimed = db.session.execute(
            update(SchoolRegistration)
            .where(
                SchoolRegistration.id == registration_id,
                SchoolRegistration.reminded_at.is_(None),
                SchoolRegistration.status == RegistrationStatus.REGISTERED,
            )
            .values(reminded_at=start)
        ).rowcount
        if claimed != 1:
            db.session.rollback()
            continue
        registration = db.session.get(SchoolRegistration, registration_id)
        school_class = registration.school_class
        mail_user(
            registration.user,
            f"[예산학교] {school_class.course.title} {school_class.number}회차 안내",
            f"신청하신 {school_class.course.title} {school_class.number}회차가 곧 열립니다.\n"
            f"일시: {clock.to_kst(school_class.starts_at):%Y-%m-%d %H:%M}\n"
            f"장소: {school_class.place}",
        )
        db.session.commit()
        yield f"알림 메일: 신청 #{registration_id} ({school_class.course.title} {school_class.number}회차)"
