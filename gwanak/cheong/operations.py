"""데이트 operations: every state change with its history row, mail and audit entry.

Routes parse and check permission; these functions own the rules and the transaction.
A move the state machine does not allow raises OperationError with status 409.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from gwanak.accounts.models import User
from gwanak.cheong.models import (
    CLOSED_STATES,
    OPEN_STATES,
    STATE_LABELS,
    DateApplication,
    DateFollowUp,
    DateRecord,
    DateState,
    DateStateChange,
)
from gwanak.core import clock
from gwanak.core.audit import record_audit
from gwanak.core.extensions import db
from gwanak.core.mail import mail_user, public_url
from gwanak.core.masking import mask_name
from gwanak.core.operations import OperationError
from gwanak.core.settings import SettingSpec, get_setting
from gwanak.core.workdays import holiday_name, is_working_day

# Rules as data: installed by this feature (Feature.settings).
SETTINGS = (
    SettingSpec("cheong.date_max_group", "데이트 신청 최대 인원(명)", 10, minimum=1, maximum=100),
    SettingSpec("cheong.date_max_days_ahead", "데이트 희망일: 오늘부터 며칠 뒤까지", 90, minimum=7),
    SettingSpec(
        "cheong.retention_days",
        "데이트 신청 개인정보 보유 기간(일, 처리 종료 후)",
        365,
        minimum=1,
        help="기간이 지나면 purge-expired 명령이 연락처와 신청자 정보를 지웁니다.",
    ),
)

TIME_SLOTS = ("오전", "오후")
SLOT_HOURS = {"오전": "10:00~12:00", "오후": "14:00~17:00"}
BOOKED_STATES = (DateState.SCHEDULED, DateState.HELD)  # they hold their slot
PHONE_RE = re.compile(r"^(01[016789]|02|0[3-6][1-5]|070)-?(\d{3,4})-?(\d{4})$")
TITLE_MAX, BODY_MAX, REASON_MAX, PLACE_MAX = 100, 2000, 500, 100

# Which state each action may start from.
ALLOWED_FROM = {
    DateState.REVIEWING: (DateState.RECEIVED,),
    DateState.SCHEDULED: (DateState.RECEIVED, DateState.REVIEWING, DateState.SCHEDULED),
    DateState.HELD: (DateState.SCHEDULED,),
    DateState.DECLINED: (DateState.RECEIVED, DateState.REVIEWING, DateState.SCHEDULED),
    DateState.CANCELLED: OPEN_STATES,
}


@dataclass
class Preference:
    day: date
    slot: str

    def as_json(self) -> dict:
        return {"date": self.day.isoformat(), "slot": self.slot}


def normalise_phone(raw: str) -> str:
    """010-1234-5678 from any of the usual spellings; OperationError when it is no phone."""
    digits = re.sub(r"[\s.]", "-", (raw or "").strip())
    match = PHONE_RE.match(digits)
    if not match:
        raise OperationError("전화번호 형식이 아닙니다. 예: 010-1234-5678", field="phone")
    return "-".join(match.groups())


def check_group_size(size: int | None) -> None:
    most = get_setting("cheong.date_max_group")
    if size is None or not 1 <= size <= most:
        raise OperationError(
            f"참석 인원은 1명 이상 {most}명 이하로 입력하세요.", field="group_size"
        )


def check_preferences(preferences: list[Preference]) -> None:
    """Two or three distinct choices, each a future working day within the window."""
    if len(preferences) < 2:
        raise OperationError("희망 일시를 두 개 이상 고르세요.", field="date1")
    today = clock.today()
    last = today + timedelta(days=get_setting("cheong.date_max_days_ahead"))
    for n, pref in enumerate(preferences, start=1):
        field = f"date{n}"
        if pref.slot not in TIME_SLOTS:
            raise OperationError("시간대를 고르세요.", field=f"slot{n}")
        if pref.day <= today:
            raise OperationError("희망일은 내일 이후여야 합니다.", field=field)
        if pref.day > last:
            raise OperationError(f"희망일은 {last:%Y-%m-%d}까지 고를 수 있습니다.", field=field)
        if not is_working_day(pref.day):
            why = holiday_name(pref.day) or ("주말" if pref.day.weekday() >= 5 else "휴일")
            raise OperationError(
                f"{pref.day:%m월 %d일}은 {why}입니다. 평일(근무일)을 고르세요.", field=field
            )
    seen = {(p.day, p.slot) for p in preferences}
    if len(seen) != len(preferences):
        raise OperationError(
            "같은 희망 일시를 두 번 고를 수 없습니다.", field=f"date{len(preferences)}"
        )


def _record_change(
    app: DateApplication, to_state: str, note: str | None, actor_id: int | None
) -> None:
    db.session.add(
        DateStateChange(
            application=app,
            from_state=app.state,
            to_state=to_state,
            note=note,
            actor_id=actor_id,
            created_at=clock.now(),
        )
    )
    app.state = to_state
    app.updated_at = clock.now()
    if to_state in CLOSED_STATES:
        app.closed_at = clock.now()


def _tell_applicant(app: DateApplication, subject: str, lines: list[str]) -> None:
    body = "\n".join(
        [
            f"신청 번호 {app.id}: {app.title}",
            "",
            *lines,
            "",
            f"내 신청 보기: {public_url('cheong.my_applications')}",
        ]
    )
    mail_user(app.applicant, f"[온라인 관악청] 구청장과 소통데이트 {subject}", body)


def _require_from(app: DateApplication, target: DateState) -> None:
    if app.state not in ALLOWED_FROM[target]:
        raise OperationError(
            f"지금 상태({app.state_label})에서는 '{STATE_LABELS[target]}'(으)로 바꿀 수 없습니다.",
            status=409,
        )


def apply(
    applicant: User,
    *,
    title: str,
    body: str,
    group_size: int,
    preferences: list[Preference],
    phone: str,
    publish_body: bool,
    consented: bool,
) -> DateApplication:
    """A resident applies; the application starts as 접수 and the applicant gets a receipt."""
    if not consented:
        raise OperationError("개인정보 수집·이용에 동의해야 신청할 수 있습니다.", field="consent")
    phone = normalise_phone(phone)
    check_group_size(group_size)
    check_preferences(preferences)
    duplicate = db.session.scalar(
        select(DateApplication.id).where(
            DateApplication.applicant_id == applicant.id,
            DateApplication.title == title,
            DateApplication.state.in_(OPEN_STATES),
        )
    )
    if duplicate:
        raise OperationError(
            f"같은 제목의 신청(번호 {duplicate})이 이미 접수되어 있습니다.", field="title"
        )
    app = DateApplication(
        applicant_id=applicant.id,
        applicant=applicant,
        masked_name=mask_name(applicant.name),
        dong=applicant.dong,
        title=title,
        body=body,
        publish_body=publish_body,
        group_size=group_size,
        preferences=[p.as_json() for p in preferences],
        phone=phone,
        consented_at=clock.now(),
        state=DateState.RECEIVED,
        created_at=clock.now(),
        updated_at=clock.now(),
    )
    db.session.add(app)
    db.session.add(
        DateStateChange(
            application=app,
            from_state=None,
            to_state=DateState.RECEIVED,
            actor_id=applicant.id,
            created_at=clock.now(),
        )
    )
    db.session.flush()
    _tell_applicant(app, "신청 접수", ["신청이 접수되었습니다. 검토 후 일정을 알려드립니다."])
    db.session.commit()
    return app


def change_application(
    app: DateApplication,
    actor: User,
    *,
    title: str,
    body: str,
    group_size: int,
    preferences: list[Preference],
    phone: str,
    publish_body: bool,
) -> None:
    """The applicant changes their application; only while it is not yet scheduled."""
    if not app.is_open:
        raise OperationError(f"{app.state_label} 상태의 신청은 바꿀 수 없습니다.", status=409)
    phone = normalise_phone(phone)
    check_group_size(group_size)
    check_preferences(preferences)
    app.title, app.body, app.group_size = title, body, group_size
    app.preferences = [p.as_json() for p in preferences]
    app.phone, app.publish_body = phone, publish_body
    db.session.add(
        DateStateChange(
            application=app,
            from_state=app.state,
            to_state=app.state,
            note="신청자가 신청 내용을 고침",
            actor_id=actor.id,
            created_at=clock.now(),
        )
    )
    app.updated_at = clock.now()
    _tell_applicant(app, "신청 변경", ["신청 내용이 변경되었습니다."])
    db.session.commit()


def cancel(app: DateApplication, actor: User) -> None:
    """The applicant withdraws (취소) before the meeting is scheduled."""
    _require_from(app, DateState.CANCELLED)
    _record_change(app, DateState.CANCELLED, "신청자가 취소함", actor.id)
    _tell_applicant(app, "신청 취소", ["신청을 취소했습니다."])
    db.session.commit()


def _staff_move(
    app: DateApplication,
    staff: User,
    target: DateState,
    *,
    note: str | None = None,
    before: dict | None = None,
    after: dict | None = None,
    tell: tuple[str, list[str]],
) -> None:
    """A staff move of the state machine: its history row, an audit entry with the states
    (and whatever else changed), the applicant told by mail; commits."""
    before = {"state": app.state} | (before or {})
    try:
        _record_change(app, target, note, staff.id)
        record_audit(
            f"date.{AUDIT_ACTIONS[target]}", "date_application", app.id,
            before=before, after={"state": target} | (after or {}), actor_id=staff.id,
        )  # fmt: skip
        _tell_applicant(app, *tell)
        db.session.commit()
    except IntegrityError as error:  # another staff member booked the slot a moment before
        db.session.rollback()
        raise OperationError(SLOT_TAKEN, field="day", status=409) from error


SLOT_TAKEN = "그 시간대에는 이미 다른 만남이 잡혀 있습니다. 다른 날이나 시간대를 고르세요."


WORK_STARTS, WORK_LAST_START = time(9, 0), time(17, 0)  # a meeting starts in office hours


def slot_of(at: time) -> str:
    """The half-day a meeting time belongs to: before noon 오전, else 오후."""
    return "오전" if at.hour < 12 else "오후"


def _check_meeting_day(app: DateApplication, day: date, at: time) -> str:
    """A working day, not past, and a slot nobody else holds; returns the slot."""
    if day < clock.today():
        raise OperationError("지난 날짜로 일정을 정할 수 없습니다.", field="day")
    if not is_working_day(day):
        why = holiday_name(day) or ("주말" if day.weekday() >= 5 else "휴일")
        raise OperationError(
            f"{day:%m월 %d일}은 {why}입니다. 근무일로 일정을 정하세요.", field="day"
        )
    if not WORK_STARTS <= at <= WORK_LAST_START:
        raise OperationError(
            f"만남 시각은 근무 시간({WORK_STARTS:%H:%M}~{WORK_LAST_START:%H:%M} 시작)으로 정하세요.",
            field="at",
        )
    slot = slot_of(at)
    taken = db.session.scalar(
        select(DateApplication.id).where(
            DateApplication.scheduled_date == day,
            DateApplication.scheduled_slot == slot,
            DateApplication.state.in_(BOOKED_STATES),
            DateApplication.id != app.id,
        )
    )
    if taken:
        raise OperationError(
            f"{day:%Y-%m-%d} {slot}에는 이미 다른 만남(신청 번호 {taken})이 잡혀 있습니다. "
            "다른 날이나 시간대를 고르세요.",
            field="day",
            status=409,
        )
    return slot


AUDIT_ACTIONS = {
    DateState.REVIEWING: "review",
    DateState.SCHEDULED: "schedule",
    DateState.DECLINED: "decline",
    DateState.HELD: "complete",
}


def start_review(app: DateApplication, staff: User) -> None:
    _require_from(app, DateState.REVIEWING)
    _staff_move(
        app,
        staff,
        DateState.REVIEWING,
        tell=("검토 시작", ["담당 부서가 신청을 검토하고 있습니다."]),
    )


def schedule(app: DateApplication, staff: User, *, day: date, at: time, place: str) -> None:
    """Set (or move) the meeting's date, time and place: 일정확정."""
    _require_from(app, DateState.SCHEDULED)
    slot = _check_meeting_day(app, day, at)
    before = {
        "date": app.scheduled_date.isoformat() if app.scheduled_date else None,
        "time": app.scheduled_time.strftime("%H:%M") if app.scheduled_time else None,
        "place": app.place,
    }
    rescheduled = app.state == DateState.SCHEDULED
    app.scheduled_date, app.scheduled_time, app.place = day, at, place
    app.scheduled_slot = slot
    _staff_move(
        app, staff, DateState.SCHEDULED,
        note=("일정 변경: " if rescheduled else "") + f"{day:%Y-%m-%d} {at:%H:%M}, {place}",
        before=before,
        after={"date": day.isoformat(), "time": at.strftime("%H:%M"), "place": place},
        tell=(
            "일정 변경" if rescheduled else "일정 확정",
            [f"일시: {day:%Y년 %m월 %d일} {at:%H:%M}", f"장소: {place}"],
        ),
    )  # fmt: skip


def decline(app: DateApplication, staff: User, reason: str) -> None:
    """반려, with the reason the applicant is told."""
    _require_from(app, DateState.DECLINED)
    app.decline_reason = reason
    _staff_move(
        app, staff, DateState.DECLINED, note=reason, after={"reason": reason},
        tell=("반려", ["아쉽게도 이번 신청은 반려되었습니다.", f"사유: {reason}"]),
    )  # fmt: skip


def complete(app: DateApplication, staff: User) -> None:
    """The meeting was held (완료); only after it was scheduled, on or after its day."""
    _require_from(app, DateState.HELD)
    if app.scheduled_date is not None and clock.today() < app.scheduled_date:
        raise OperationError(
            f"만남 날짜({app.scheduled_date:%Y-%m-%d})가 되어야 완료로 바꿀 수 있습니다.",
            status=409,
        )
    _staff_move(
        app, staff, DateState.HELD,
        tell=("완료", ["구청장과의 만남이 끝났습니다. 함께해 주셔서 고맙습니다."]),
    )  # fmt: skip


def upcoming_meetings(limit: int = 100) -> list[DateApplication]:
    """The mayor's schedule: scheduled meetings from today on, soonest first."""
    return list(
        db.session.scalars(
            select(DateApplication)
            .where(
                DateApplication.state == DateState.SCHEDULED,
                DateApplication.scheduled_date >= clock.today(),
            )
            .order_by(DateApplication.scheduled_date, DateApplication.scheduled_time)
            .limit(limit)
        )
    )


# Meeting records ------------------------------------------------------------------


def _record_snapshot(record: DateRecord) -> dict:
    return {
        "title": record.title,
        "held_on": record.held_on.isoformat(),
        "published": record.is_published,
    }


def save_record(
    record: DateRecord | None,
    staff: User,
    *,
    title: str,
    held_on: date,
    discussed: str,
    actions: str,
    publish: bool,
    application: DateApplication | None = None,
) -> DateRecord:
    """Create or edit a meeting record; publishing makes it public at /cheong/dates."""
    if application is not None and application.state != DateState.HELD:
        raise OperationError("완료된 만남에만 기록을 쓸 수 있습니다.", status=409)
    before = None if record is None else _record_snapshot(record)
    if record is None:
        record = DateRecord(application=application, created_at=clock.now())
        db.session.add(record)
    record.title, record.held_on = title, held_on
    record.discussed, record.actions = discussed, actions
    record.updated_at = clock.now()
    if publish and record.published_at is None:
        record.published_at = clock.now()
    elif not publish:
        record.published_at = None
    db.session.flush()
    record_audit(
        "date_record.create" if before is None else "date_record.update",
        "date_record", record.id, before=before, after=_record_snapshot(record),
        actor_id=staff.id,
    )  # fmt: skip
    db.session.commit()
    return record


def add_follow_up(record: DateRecord, staff: User, body: str) -> DateFollowUp:
    follow_up = DateFollowUp(record=record, body=body, created_at=clock.now())
    db.session.add(follow_up)
    db.session.flush()
    record_audit(
        "date_record.follow_up", "date_record", record.id,
        after={"follow_up_id": follow_up.id}, actor_id=staff.id,
    )  # fmt: skip
    db.session.commit()
    return follow_up
