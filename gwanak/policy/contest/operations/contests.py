"""A yearly contest: its settings and consent notice, creating and changing it, and
announcing its results."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from gwanak.core import clock
from gwanak.core.audit import record_audit
from gwanak.core.extensions import db
from gwanak.core.mail import mail_user, public_url, send_mail
from gwanak.core.operations import OperationError
from gwanak.core.settings import SettingSpec, get_setting
from gwanak.core.uploads import DOCUMENTS, IMAGES, UploadRules
from gwanak.policy.contest.models import (
    ELIGIBILITY,
    Contest,
    ContestEntry,
    EntryState,
)

# Rules as data: installed by this feature (Feature.settings).
SETTINGS = (
    SettingSpec("contest.attachment_max_mb", "창의제안 첨부파일 최대 크기(MB)", 10, minimum=1),
    SettingSpec("contest.retention_years", "창의제안 응모자 개인정보 보유 기간(년)", 3, minimum=1),
)

TITLE_MAX = 120
TEXT_MAX = 5_000


def consent_notice() -> dict[str, str]:
    """What the entry form states before asking for consent (개인정보 보호법 제15조)."""
    years = get_setting("contest.retention_years")
    return {
        "purpose": "창의제안 공모전 응모 접수, 심사, 시상 및 결과 안내",
        "items": "이름, 관악구와의 관계, 연락처(선택), 제안 내용과 첨부파일",
        "retention": f"공모전 결과 발표 후 {years}년 (기간이 지나면 파기)",
    }


def attachment_rules() -> UploadRules:
    return UploadRules(DOCUMENTS | IMAGES, get_setting("contest.attachment_max_mb") * 1024 * 1024)


@dataclass
class ContestFields:
    year: int
    title: str
    theme: str
    opens_on: date
    closes_on: date
    eligibility: list[str]
    grades: list[str]
    prize_rules: str = ""


def _check_contest_fields(data: ContestFields) -> None:
    if data.closes_on < data.opens_on:
        raise OperationError("마감일은 시작일보다 빠를 수 없습니다.", field="closes_on")
    if not data.eligibility or any(c not in ELIGIBILITY for c in data.eligibility):
        raise OperationError("응모 자격을 하나 이상 고르세요.", field="eligibility")
    grades = [g.strip() for g in data.grades if g.strip()]
    if not grades:
        raise OperationError("창안등급을 하나 이상 적으세요.", field="grades")
    if len(set(grades)) != len(grades):
        raise OperationError("같은 창안등급이 두 번 있습니다.", field="grades")
    if any(len(g) > 20 for g in grades):
        raise OperationError("창안등급 이름은 20자 이하로 적으세요.", field="grades")
    data.grades = grades


def create_contest(data: ContestFields, actor_id: int | None) -> Contest:
    """A new yearly contest; one per year (the unique year refuses a second)."""
    _check_contest_fields(data)
    if db.session.scalar(select(Contest.id).where(Contest.year == data.year)):
        raise OperationError(f"{data.year}년 공모전이 이미 있습니다.", field="year")
    contest = Contest(**data.__dict__, created_at=clock.now())
    db.session.add(contest)
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise OperationError(f"{data.year}년 공모전이 이미 있습니다.", field="year") from error
    record_audit(
        "contest.create", "contest", contest.id, after=_contest_dict(contest), actor_id=actor_id
    )
    db.session.commit()
    return contest


def update_contest(contest: Contest, data: ContestFields, actor_id: int | None) -> None:
    _check_contest_fields(data)
    published = contest.results_published_at is not None
    if published and (data.opens_on, data.closes_on) != (contest.opens_on, contest.closes_on):
        # Reopening after the results would take entries the results never judged.
        raise OperationError(
            "결과를 발표한 공모전의 응모 기간은 바꿀 수 없습니다.", field="closes_on", status=409
        )
    if published and sorted(data.grades) != sorted(contest.grades):
        raise OperationError(
            "결과를 발표한 공모전의 창안등급은 바꿀 수 없습니다.", field="grades", status=409
        )
    if data.year != contest.year and db.session.scalar(
        select(Contest.id).where(Contest.year == data.year)
    ):
        raise OperationError(f"{data.year}년 공모전이 이미 있습니다.", field="year")
    before = _contest_dict(contest)
    for key, value in data.__dict__.items():
        setattr(contest, key, value)
    record_audit(
        "contest.update",
        "contest",
        contest.id,
        before=before,
        after=_contest_dict(contest),
        actor_id=actor_id,
    )
    db.session.commit()


def _contest_dict(contest: Contest) -> dict:
    return {
        "year": contest.year,
        "title": contest.title,
        "opens_on": contest.opens_on.isoformat(),
        "closes_on": contest.closes_on.isoformat(),
        "eligibility": list(contest.eligibility),
        "grades": list(contest.grades),
    }


def contest_for_year(year: int) -> Contest | None:
    return db.session.scalar(select(Contest).where(Contest.year == year))


def contests_newest_first() -> list[Contest]:
    return list(db.session.scalars(select(Contest).order_by(Contest.year.desc())))


def publish_results(contest: Contest, actor_id: int | None) -> None:
    """Announce the winners, and tell every entrant with an account the outcome by mail;
    refused before the entry deadline has passed and while entries still wait for a
    decision."""
    if contest.results_published_at is not None:
        raise OperationError("결과를 이미 발표했습니다.", status=409)
    if clock.today() <= contest.closes_on:
        raise OperationError(
            f"응모 마감일({contest.closes_on})이 지난 뒤에 결과를 발표할 수 있습니다.", status=409
        )
    pending = db.session.scalar(
        select(func.count())
        .select_from(ContestEntry)
        .where(
            ContestEntry.contest_id == contest.id,
            ContestEntry.state.in_([EntryState.RECEIVED, EntryState.FORWARDED]),
        )
    )
    if pending:
        raise OperationError(f"아직 심사하지 않은 응모작이 {pending}건 있습니다.", status=409)
    contest.results_published_at = clock.now()
    record_audit("contest.publish_results", "contest", contest.id, actor_id=actor_id)
    _tell_entrants(contest)
    db.session.commit()


EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _tell_entrants(contest: Contest) -> None:
    """One mail per entry: its outcome and where the results are. Online entrants at
    their account's address; an offline entrant who left an e-mail address as contact at
    that address; the others the department tells the way the entry came."""
    link = public_url("policy.contest_results", year=contest.year)
    entries = db.session.scalars(
        select(ContestEntry)
        .where(ContestEntry.contest_id == contest.id)
        .options(selectinload(ContestEntry.submitter))
        .order_by(ContestEntry.id)
    )
    subject = f"[관악구] {contest.title} 결과 안내"
    for entry in entries:
        outcome = "선정되었습니다" if entry.is_winner else "선정되지 않았습니다"
        body = (
            f"{entry.submitter_name}님, {contest.year}년 {contest.title}에 응모하신 "
            f"'{entry.title}'은(는) {outcome} (결과: {entry.state_label}).\n\n"
            f"발표 내용: {link}\n"
        )
        if entry.submitter_id is not None:
            mail_user(entry.submitter, subject, body)
        elif EMAIL_RE.match(entry.submitter_contact or ""):
            send_mail(entry.submitter_contact, subject, body)
