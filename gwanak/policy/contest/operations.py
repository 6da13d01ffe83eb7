"""Every state change of the contest: entering, registering, screening, deciding,
re-review, implementation, publishing results. Each step of an entry writes one
history row (actor, time, reason) and an audit entry; the caller commits.

State changes are compare-and-set updates (`UPDATE … WHERE state = expected`), so two
staff acting on the same entry at once cannot both succeed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage

from gwanak.core import clock
from gwanak.core.audit import record_audit
from gwanak.core.extensions import db
from gwanak.core.live_figures import live_source
from gwanak.core.settings import SettingSpec, get_setting, register_setting
from gwanak.core.uploads import DOCUMENTS, IMAGES, PRIVATE_CHECKS, Upload, UploadRules, store_upload
from gwanak.policy.contest.models import (
    CHANNELS,
    ELIGIBILITY,
    EXCLUSION_CAUSES,
    IMPLEMENTATION_LABELS,
    Contest,
    ContestEntry,
    ContestEntryEvent,
    EntryState,
)

register_setting(
    SettingSpec("contest.attachment_max_mb", "창의제안 첨부파일 최대 크기(MB)", 10, minimum=1)
)
register_setting(
    SettingSpec("contest.retention_years", "창의제안 응모자 개인정보 보유 기간(년)", 3, minimum=1)
)

TITLE_MAX = 120
TEXT_MAX = 5_000


class ContestError(ValueError):
    """A refused contest action; the message is Korean. `field` names the form field."""

    def __init__(self, message: str, field: str | None = None, conflict: bool = False):
        super().__init__(message)
        self.field = field
        self.conflict = conflict  # an action out of order (409)


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


# --- contests -------------------------------------------------------------------------


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
        raise ContestError("마감일은 시작일보다 빠를 수 없습니다.", "closes_on")
    if not data.eligibility or any(c not in ELIGIBILITY for c in data.eligibility):
        raise ContestError("응모 자격을 하나 이상 고르세요.", "eligibility")
    grades = [g.strip() for g in data.grades if g.strip()]
    if not grades:
        raise ContestError("창안등급을 하나 이상 적으세요.", "grades")
    if len(set(grades)) != len(grades):
        raise ContestError("같은 창안등급이 두 번 있습니다.", "grades")
    if any(len(g) > 20 for g in grades):
        raise ContestError("창안등급 이름은 20자 이하로 적으세요.", "grades")
    data.grades = grades


def create_contest(data: ContestFields, actor_id: int | None) -> Contest:
    """A new yearly contest; one per year (the unique year refuses a second)."""
    _check_contest_fields(data)
    if db.session.scalar(select(Contest.id).where(Contest.year == data.year)):
        raise ContestError(f"{data.year}년 공모전이 이미 있습니다.", "year")
    contest = Contest(**data.__dict__, created_at=clock.now())
    db.session.add(contest)
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise ContestError(f"{data.year}년 공모전이 이미 있습니다.", "year") from error
    record_audit(
        "contest.create", "contest", contest.id, after=_contest_dict(contest), actor_id=actor_id
    )
    return contest


def update_contest(contest: Contest, data: ContestFields, actor_id: int | None) -> None:
    _check_contest_fields(data)
    if data.year != contest.year and db.session.scalar(
        select(Contest.id).where(Contest.year == data.year)
    ):
        raise ContestError(f"{data.year}년 공모전이 이미 있습니다.", "year")
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
    """Announce the winners; refused while entries still wait for a decision."""
    if contest.results_published_at is not None:
        raise ContestError("결과를 이미 발표했습니다.", conflict=True)
    pending = db.session.scalar(
        select(func.count())
        .select_from(ContestEntry)
        .where(
            ContestEntry.contest_id == contest.id,
            ContestEntry.state.in_([EntryState.RECEIVED, EntryState.FORWARDED]),
        )
    )
    if pending:
        raise ContestError(f"아직 심사하지 않은 응모작이 {pending}건 있습니다.", conflict=True)
    contest.results_published_at = clock.now()
    record_audit("contest.publish_results", "contest", contest.id, actor_id=actor_id)


# --- entries --------------------------------------------------------------------------


@dataclass
class EntryFields:
    title: str
    problem: str
    proposal: str
    effect: str
    relation: str
    consent: bool
    submitter_name: str = ""
    submitter_contact: str = ""
    channel: str = "online"
    attachment: FileStorage | None = None


def _add_entry(contest: Contest, data: EntryFields, submitter_id, registered_by_id) -> ContestEntry:
    if not data.consent:
        raise ContestError("개인정보 수집·이용에 동의해야 응모할 수 있습니다.", "consent")
    if data.relation not in contest.eligibility:
        raise ContestError("이 공모전에 응모할 수 있는 자격이 아닙니다.", "relation")
    if data.channel not in CHANNELS:
        raise ContestError("접수 경로를 고르세요.", "channel")
    for name in ("title", "problem", "proposal", "effect", "submitter_name"):
        value = (getattr(data, name) or "").strip()
        if not value:
            raise ContestError("내용을 입력하세요. 공백만으로는 저장할 수 없습니다.", name)
        setattr(data, name, value)
    if len(data.title) > TITLE_MAX:
        raise ContestError(f"{TITLE_MAX}자 이하로 입력하세요.", "title")
    duplicate = select(ContestEntry.id).where(
        ContestEntry.contest_id == contest.id,
        ContestEntry.submitter_id == submitter_id,
        ContestEntry.title == data.title,
    )
    if submitter_id is not None and db.session.scalar(duplicate):
        raise ContestError("같은 제목으로 이미 응모했습니다.", "title")
    upload = None
    if data.attachment is not None and data.attachment.filename:
        from gwanak.core.uploads import UploadError

        try:
            upload = store_upload(
                data.attachment, attachment_rules(), registered_by_id or submitter_id
            )
        except UploadError as error:
            raise ContestError(str(error), "attachment") from error
    entry = ContestEntry(
        contest_id=contest.id,
        title=data.title,
        problem=data.problem,
        proposal=data.proposal,
        effect=data.effect,
        attachment_id=upload.id if upload else None,
        submitter_id=submitter_id,
        submitter_name=data.submitter_name,
        submitter_contact=(data.submitter_contact or "").strip(),
        relation=data.relation,
        channel=data.channel,
        registered_by_id=registered_by_id,
        consented_at=clock.now(),
        state=EntryState.RECEIVED,
        created_at=clock.now(),
    )
    db.session.add(entry)
    try:
        db.session.flush()
    except IntegrityError as error:  # a double submit that raced the check above
        db.session.rollback()
        raise ContestError("같은 제목으로 이미 응모했습니다.", "title") from error
    _history(entry, "접수", None, EntryState.RECEIVED, registered_by_id or submitter_id,
             f"{CHANNELS[data.channel]} 접수")  # fmt: skip
    return entry


BACK_OFFICE_ENTRY = (
    "직원·구청장·관리자 계정으로는 응모할 수 없습니다. 공무원은 본인의 주민 계정으로 "
    "로그인해 '공무원'을 골라 응모하세요."
)


def submit_entry(contest: Contest, user, data: EntryFields) -> ContestEntry:
    """A signed-in resident enters online, only during the contest's period.

    Officials may enter (the card: "Open to … officials"), as people: with their own
    resident account, saying 공무원. The portal's staff, mayor and admin accounts are
    back-office accounts — they judge and register entries, so they never submit one."""
    if not user.is_resident:
        raise ContestError(BACK_OFFICE_ENTRY, conflict=True)
    if not contest.is_open():
        raise ContestError(
            f"응모 기간({contest.opens_on} ~ {contest.closes_on})이 아닙니다.", conflict=True
        )
    data.channel = "online"
    data.submitter_name = user.name
    return _add_entry(contest, data, user.id, None)


def register_offline_entry(contest: Contest, staff, data: EntryFields) -> ContestEntry:
    """Staff register an entry that came by 국민신문고, e-mail, post or visit.

    Allowed until results are announced (mail posted on the last day arrives later)."""
    if data.channel == "online" or data.channel not in CHANNELS:
        raise ContestError("온라인이 아닌 접수 경로를 고르세요.", "channel")
    if contest.results_published_at is not None:
        raise ContestError("결과를 발표한 공모전에는 응모작을 등록할 수 없습니다.", conflict=True)
    if clock.today() < contest.opens_on:
        raise ContestError("응모 기간이 시작되지 않았습니다.", conflict=True)
    entry = _add_entry(contest, data, None, staff.id)
    record_audit("contest_entry.register", "contest_entry", entry.id,
                 after={"channel": data.channel}, actor_id=staff.id)  # fmt: skip
    return entry


def _history(entry, step, from_state, to_state, actor_id, reason="") -> ContestEntryEvent:
    event = ContestEntryEvent(
        entry_id=entry.id,
        step=step,
        from_state=from_state,
        to_state=to_state,
        actor_id=actor_id,
        reason=reason,
        created_at=clock.now(),
    )
    db.session.add(event)
    return event


def _transition(entry: ContestEntry, expected: str, new: str, **values) -> None:
    """Compare-and-set: succeed only if the entry is still in `expected` state."""
    result = db.session.execute(
        update(ContestEntry)
        .where(ContestEntry.id == entry.id, ContestEntry.state == expected)
        .values(state=new, **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise ContestError("다른 직원이 먼저 처리했거나 처리할 수 없는 단계입니다.", conflict=True)
    db.session.refresh(entry)


def _need_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ContestError("사유를 입력하세요.", "reason")
    if len(reason) > 1000:
        raise ContestError("사유는 1,000자 이하로 입력하세요.", "reason")
    return reason


def _check_open_for_review(entry: ContestEntry) -> None:
    if entry.contest.results_published_at is not None:
        raise ContestError("결과를 발표한 뒤에는 심사 결과를 바꿀 수 없습니다.", conflict=True)


def screen_entry(entry: ContestEntry, actor, decision: str, reason: str = "") -> None:
    """실무심사: exclude as 중복 (duplicate) or 비제안 (non_proposal), or forward to the committee."""
    _check_open_for_review(entry)
    if entry.state != EntryState.RECEIVED:
        raise ContestError("접수 상태의 응모작만 실무심사할 수 있습니다.", conflict=True)
    if decision == "forward":
        _transition(entry, EntryState.RECEIVED, EntryState.FORWARDED)
        _history(
            entry,
            "실무심사 통과",
            EntryState.RECEIVED,
            EntryState.FORWARDED,
            actor.id,
            (reason or "").strip(),
        )
    elif decision in EXCLUSION_CAUSES:
        reason = _need_reason(reason)
        _transition(entry, EntryState.RECEIVED, EntryState.EXCLUDED, exclusion_cause=decision)
        _history(entry, f"실무심사 제외({EXCLUSION_CAUSES[decision]})", EntryState.RECEIVED,
                 EntryState.EXCLUDED, actor.id, reason)  # fmt: skip
    else:
        raise ContestError("실무심사 결과를 고르세요.", "decision")
    record_audit(
        "contest_entry.screen",
        "contest_entry",
        entry.id,
        after={"decision": decision},
        actor_id=actor.id,
    )


def decide_entry(
    entry: ContestEntry, actor, decision: str, grade: str = "", reason: str = ""
) -> None:
    """제안심사위원회: 우수제안 with a grade of the contest's list, or 불채택 with a reason."""
    _check_open_for_review(entry)
    if entry.state != EntryState.FORWARDED:
        raise ContestError("심사위원회에 회부된 응모작만 심사할 수 있습니다.", conflict=True)
    if decision == "excellent":
        if grade not in entry.contest.grades:
            raise ContestError("창안등급을 고르세요.", "grade")
        _transition(entry, EntryState.FORWARDED, EntryState.EXCELLENT, grade=grade)
        _history(entry, f"제안심사위원회 우수제안({grade})", EntryState.FORWARDED,
                 EntryState.EXCELLENT, actor.id, (reason or "").strip())  # fmt: skip
    elif decision == "rejected":
        reason = _need_reason(reason)
        _transition(entry, EntryState.FORWARDED, EntryState.REJECTED)
        _history(
            entry,
            "제안심사위원회 불채택",
            EntryState.FORWARDED,
            EntryState.REJECTED,
            actor.id,
            reason,
        )
    else:
        raise ContestError("심사 결과를 고르세요.", "decision")
    record_audit("contest_entry.decide", "contest_entry", entry.id,
                 after={"decision": decision, "grade": grade or None}, actor_id=actor.id)  # fmt: skip


def rereview_entry(
    entry: ContestEntry, actor, adopt: bool, grade: str = "", reason: str = ""
) -> None:
    """재심 of a 불채택 entry, once: it becomes 채택 (optionally with a grade) or stays 불채택."""
    _check_open_for_review(entry)
    if entry.state != EntryState.REJECTED:
        raise ContestError("불채택된 응모작만 재심할 수 있습니다.", conflict=True)
    if entry.rereviewed_at is not None:
        raise ContestError("이미 재심한 응모작입니다.", conflict=True)
    reason = _need_reason(reason)
    if grade and grade not in entry.contest.grades:
        raise ContestError("창안등급을 고르세요.", "grade")
    now = clock.now()
    if adopt:
        _transition(
            entry, EntryState.REJECTED, EntryState.ADOPTED, grade=grade or None, rereviewed_at=now
        )
        _history(entry, "재심 채택", EntryState.REJECTED, EntryState.ADOPTED, actor.id, reason)
    else:
        _transition(entry, EntryState.REJECTED, EntryState.REJECTED, rereviewed_at=now)
        _history(
            entry,
            "재심 기각(불채택 유지)",
            EntryState.REJECTED,
            EntryState.REJECTED,
            actor.id,
            reason,
        )
    record_audit(
        "contest_entry.rereview",
        "contest_entry",
        entry.id,
        after={"adopt": adopt},
        actor_id=actor.id,
    )


def track_implementation(
    entry: ContestEntry, actor, status: str, on: date | None, reason: str = ""
) -> None:
    """실시 tracking of an adopted entry: planned, then implemented (with its date)."""
    if not entry.is_winner:
        raise ContestError(
            "우수제안이나 채택된 응모작만 실시 현황을 기록할 수 있습니다.", conflict=True
        )
    if status not in IMPLEMENTATION_LABELS:
        raise ContestError("실시 현황을 고르세요.", "status")
    if status == "implemented" and on is None:
        raise ContestError("실시한 날짜를 입력하세요.", "implemented_on")
    if entry.implementation == "implemented":
        raise ContestError("이미 실시 완료로 기록했습니다.", conflict=True)
    entry.implementation = status
    entry.implemented_on = on if status == "implemented" else None
    label = IMPLEMENTATION_LABELS[status] + (
        f" ({on.isoformat()})" if on and status == "implemented" else ""
    )
    _history(entry, label, entry.state, entry.state, actor.id, (reason or "").strip())
    record_audit("contest_entry.implementation", "contest_entry", entry.id,
                 after={"status": status, "on": on.isoformat() if on else None}, actor_id=actor.id)  # fmt: skip


# --- reading --------------------------------------------------------------------------


def entries_of(contest: Contest, state: str | None = None) -> list[ContestEntry]:
    query = select(ContestEntry).where(ContestEntry.contest_id == contest.id)
    if state:
        query = query.where(ContestEntry.state == state)
    return list(db.session.scalars(query.order_by(ContestEntry.id)))


def entries_of_user(user_id: int) -> list[ContestEntry]:
    return list(
        db.session.scalars(
            select(ContestEntry)
            .where(ContestEntry.submitter_id == user_id)
            .order_by(ContestEntry.id.desc())
        )
    )


def winners_of(contest: Contest) -> list[ContestEntry]:
    rows = entries_of(contest)
    order = {g: i for i, g in enumerate(contest.grades)}
    winners = [e for e in rows if e.is_winner]
    return sorted(winners, key=lambda e: (order.get(e.grade or "", len(order)), e.id))


@dataclass
class ContestStatistics:
    received: int = 0
    valid: int = 0
    excluded: int = 0
    excluded_by_cause: dict[str, int] = field(default_factory=dict)
    by_relation: dict[str, int] = field(default_factory=dict)
    by_channel: dict[str, int] = field(default_factory=dict)
    by_state: dict[str, int] = field(default_factory=dict)
    excellent_by_grade: dict[str, int] = field(default_factory=dict)
    adopted_on_review: int = 0
    implemented: int = 0

    @property
    def residents(self) -> int:
        """주민 (관악구민 and people who work or study in Gwanak) as against officials."""
        return self.received - self.officials

    @property
    def officials(self) -> int:
        return self.by_relation.get("official", 0)


def contest_statistics(contest: Contest) -> ContestStatistics:
    """The card's figures for one contest, counted with a few GROUP BY queries."""
    stats = ContestStatistics()
    base = (
        select(func.count()).select_from(ContestEntry).where(ContestEntry.contest_id == contest.id)
    )

    def grouped(column, *where):
        query = (
            select(column, func.count())
            .where(ContestEntry.contest_id == contest.id, *where)
            .group_by(column)
        )
        return {key: n for key, n in db.session.execute(query) if key is not None}

    stats.received = db.session.scalar(base) or 0
    stats.by_state = grouped(ContestEntry.state)
    stats.excluded = stats.by_state.get(EntryState.EXCLUDED, 0)
    stats.valid = stats.received - stats.excluded
    stats.excluded_by_cause = {c: 0 for c in EXCLUSION_CAUSES} | grouped(
        ContestEntry.exclusion_cause
    )
    stats.by_relation = grouped(ContestEntry.relation)
    stats.by_channel = grouped(ContestEntry.channel)
    stats.excellent_by_grade = {g: 0 for g in contest.grades} | grouped(
        ContestEntry.grade, ContestEntry.state == EntryState.EXCELLENT
    )
    stats.adopted_on_review = stats.by_state.get(EntryState.ADOPTED, 0)
    stats.implemented = (
        db.session.scalar(base.where(ContestEntry.implementation == "implemented")) or 0
    )
    return stats


# --- privacy of attachments and live figures --------------------------------------------


def attachment_is_private(upload: Upload) -> bool:
    """An entry's file stays private until results are out, and then only winners' are shown."""
    row = db.session.execute(
        select(ContestEntry.state, Contest.results_published_at)
        .join(Contest, Contest.id == ContestEntry.contest_id)
        .where(ContestEntry.attachment_id == upload.id)
    ).first()
    if row is None:
        return False
    state, published = row
    return published is None or state not in (EntryState.EXCELLENT, EntryState.ADOPTED)


PRIVATE_CHECKS.append(attachment_is_private)


def may_see_entry(user, entry: ContestEntry) -> bool:
    from gwanak.core.permissions import may_edit

    if user is None or not user.is_authenticated:
        return False
    return entry.submitter_id == user.id or may_edit(user, entry)


@live_source("policy.contests_per_year", "창의제안 공모전 개최 수")
def contests_per_year(year: int) -> int:
    """Contests held in a year (a contest counts once its period has begun)."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Contest)
            .where(Contest.year == year, Contest.opens_on <= clock.today())
        )
        or 0
    )


def purge_expired_personal_data() -> int:
    """파기: once the retention period after the results has passed, keep only masked names
    and drop contacts and the link to the account. Idempotent; commits. Returns entries changed."""
    from gwanak.core.masking import mask_name

    years = get_setting("contest.retention_years")
    now = clock.now()
    changed = 0
    for contest in db.session.scalars(
        select(Contest).where(Contest.results_published_at.is_not(None))
    ):
        published = contest.results_published_at
        try:
            expires = published.replace(year=published.year + years)
        except ValueError:  # 29 February
            expires = published.replace(year=published.year + years, day=28)
        if now < expires:
            continue
        for entry in db.session.scalars(
            select(ContestEntry).where(ContestEntry.contest_id == contest.id)
        ):
            masked = mask_name(entry.submitter_name)
            if entry.submitter_name != masked or entry.submitter_contact or entry.submitter_id:
                entry.submitter_name, entry.submitter_contact, entry.submitter_id = masked, "", None
                changed += 1
    if changed:
        record_audit(
            "contest.purge_personal_data", "contest_entry", "*", after={"entries": changed}
        )
    db.session.commit()
    return changed
