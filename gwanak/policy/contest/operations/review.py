"""Review of an entry: 실무심사, the committee's decision, 재심 and 실시 tracking.

State changes are compare-and-set updates (`UPDATE … WHERE state = expected`), so two
staff acting on the same entry at once cannot both succeed."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from gwanak.accounts.organisation import department_staff, require_active
from gwanak.core import clock
from gwanak.core.audit import record_audit
from gwanak.core.extensions import db
from gwanak.core.mail import mail_user
from gwanak.core.operations import OperationError
from gwanak.core.permissions import may_edit
from gwanak.policy.contest.models import (
    EXCLUSION_CAUSES,
    IMPLEMENTATION_LABELS,
    ContestEntry,
    EntryState,
)
from gwanak.policy.contest.operations.entries import record_step


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
        raise OperationError("다른 직원이 먼저 처리했거나 처리할 수 없는 단계입니다.", status=409)
    db.session.refresh(entry)


def _need_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise OperationError("사유를 입력하세요.", field="reason")
    if len(reason) > 1000:
        raise OperationError("사유는 1,000자 이하로 입력하세요.", field="reason")
    return reason


def _check_open_for_review(entry: ContestEntry) -> None:
    if entry.contest.results_published_at is not None:
        raise OperationError("결과를 발표한 뒤에는 심사 결과를 바꿀 수 없습니다.", status=409)


def _move(entry: ContestEntry, actor, to: str, step: str, reason: str, **values) -> None:
    """Move the entry from the state it was checked in to `to` (compare-and-set), with
    its history line."""
    before = entry.state
    _transition(entry, before, to, **values)
    record_step(entry, step, before, to, actor.id, reason)


def _done(entry: ContestEntry, actor, action: str, after: dict) -> None:
    record_audit(f"contest_entry.{action}", "contest_entry", entry.id, after=after,
                 actor_id=actor.id)  # fmt: skip
    db.session.commit()


def may_screen(user, entry: ContestEntry) -> bool:
    """기획예산과 (and admins) screen every entry; a department the entry was given to
    screens it while it waits for 실무심사."""
    if may_edit(user, entry):
        return True
    return bool(
        entry.screening_department
        and entry.state == EntryState.RECEIVED
        and getattr(user, "role", None) == "staff"
        and not user.office_dong
        and user.department == entry.screening_department
    )


def assign_screening(contest, actor, entry_ids: list[int], department: str) -> int:
    """기획예산과 gives a group of entries waiting for 실무심사 to a department, whose
    staff then screen them. All or nothing; returns how many. Commits."""
    if not may_edit(actor, contest):
        raise OperationError(
            "공모전 담당 부서 직원만 실무심사 부서를 정할 수 있습니다.", status=403
        )
    target = require_active(department, "department").name
    ids = sorted({int(i) for i in entry_ids})
    if not ids:
        raise OperationError("실무심사를 맡길 응모작을 고르세요.", field="entry")
    entries = db.session.scalars(
        select(ContestEntry).where(ContestEntry.id.in_(ids), ContestEntry.contest_id == contest.id)
    ).all()
    if len(entries) != len(ids) or any(e.state != EntryState.RECEIVED for e in entries):
        raise OperationError("접수 상태인 이 공모전의 응모작만 맡길 수 있습니다.", status=409)
    _check_open_for_review(entries[0])
    moved = db.session.execute(
        update(ContestEntry)
        .where(ContestEntry.id.in_(ids), ContestEntry.state == EntryState.RECEIVED)
        .values(screening_department=target)
        .execution_options(synchronize_session=False)
    ).rowcount
    if moved != len(ids):
        db.session.rollback()
        raise OperationError("그사이 다른 직원이 실무심사한 응모작이 있습니다.", status=409)
    for entry in entries:
        record_step(entry, "실무심사 부서 지정", entry.state, entry.state, actor.id, target)
    record_audit("contest_entry.screening_department", "contest", contest.id,
                 after={"entries": ids, "department": target}, actor_id=actor.id)  # fmt: skip
    for person in department_staff(target):
        mail_user(
            person,
            "[온라인 관악청] 창의제안 공모전 실무심사 요청",
            f"{contest.year}년 공모전 응모작 {len(ids)}건의 실무심사가 {target}에 배정되었습니다.",
        )
    db.session.commit()
    return len(ids)


def screen_entry(entry: ContestEntry, actor, decision: str, reason: str = "") -> None:
    """실무심사: exclude as 중복 (duplicate) or 비제안 (non_proposal), or forward to the committee."""
    _check_open_for_review(entry)
    if entry.state != EntryState.RECEIVED:
        raise OperationError("접수 상태의 응모작만 실무심사할 수 있습니다.", status=409)
    if decision == "forward":
        _move(entry, actor, EntryState.FORWARDED, "실무심사 통과", (reason or "").strip())
    elif decision in EXCLUSION_CAUSES:
        _move(entry, actor, EntryState.EXCLUDED, f"실무심사 제외({EXCLUSION_CAUSES[decision]})",
              _need_reason(reason), exclusion_cause=decision)  # fmt: skip
    else:
        raise OperationError("실무심사 결과를 고르세요.", field="decision")
    _done(entry, actor, "screen", {"decision": decision})


def decide_entry(
    entry: ContestEntry, actor, decision: str, grade: str = "", reason: str = ""
) -> None:
    """제안심사위원회: 우수제안 with a grade of the contest's list, or 불채택 with a reason."""
    _check_open_for_review(entry)
    if entry.state != EntryState.FORWARDED:
        raise OperationError("심사위원회에 회부된 응모작만 심사할 수 있습니다.", status=409)
    if decision == "excellent":
        if grade not in entry.contest.grades:
            raise OperationError("창안등급을 고르세요.", field="grade")
        _move(entry, actor, EntryState.EXCELLENT, f"제안심사위원회 우수제안({grade})",
              (reason or "").strip(), grade=grade)  # fmt: skip
    elif decision == "rejected":
        _move(entry, actor, EntryState.REJECTED, "제안심사위원회 불채택", _need_reason(reason))
    else:
        raise OperationError("심사 결과를 고르세요.", field="decision")
    _done(entry, actor, "decide", {"decision": decision, "grade": grade or None})


def rereview_entry(
    entry: ContestEntry, actor, adopt: bool, grade: str = "", reason: str = ""
) -> None:
    """재심 of a 불채택 entry, once: it becomes 채택 (optionally with a grade) or stays 불채택."""
    _check_open_for_review(entry)
    if entry.state != EntryState.REJECTED:
        raise OperationError("불채택된 응모작만 재심할 수 있습니다.", status=409)
    if entry.rereviewed_at is not None:
        raise OperationError("이미 재심한 응모작입니다.", status=409)
    reason = _need_reason(reason)
    if grade and grade not in entry.contest.grades:
        raise OperationError("창안등급을 고르세요.", field="grade")
    now = clock.now()
    if adopt:
        _move(entry, actor, EntryState.ADOPTED, "재심 채택", reason, grade=grade or None,
              rereviewed_at=now)  # fmt: skip
    else:
        _move(entry, actor, EntryState.REJECTED, "재심 기각(불채택 유지)", reason,
              rereviewed_at=now)  # fmt: skip
    _done(entry, actor, "rereview", {"adopt": adopt})


def track_implementation(
    entry: ContestEntry, actor, status: str, on: date | None, reason: str = ""
) -> None:
    """실시 tracking of an adopted entry: planned, then implemented (with its date)."""
    if not entry.is_winner:
        raise OperationError(
            "우수제안이나 채택된 응모작만 실시 현황을 기록할 수 있습니다.", status=409
        )
    if status not in IMPLEMENTATION_LABELS:
        raise OperationError("실시 현황을 고르세요.", field="status")
    if status == "implemented" and on is None:
        raise OperationError("실시한 날짜를 입력하세요.", field="implemented_on")
    if entry.implementation == "implemented":
        raise OperationError("이미 실시 완료로 기록했습니다.", status=409)
    entry.implementation = status
    entry.implemented_on = on if status == "implemented" else None
    label = IMPLEMENTATION_LABELS[status] + (
        f" ({on.isoformat()})" if on and status == "implemented" else ""
    )
    record_step(entry, label, entry.state, entry.state, actor.id, (reason or "").strip())
    _done(entry, actor, "implementation", {"status": status, "on": on.isoformat() if on else None})


PRIZE_MAX = 100_000_000  # 1억 원: no 창의제안 prize comes near it; a typo does


def record_prize_payment(
    entry: ContestEntry, actor, paid_on: date | None, amount: int | None, reason: str = ""
) -> None:
    """시상금 지급: the day and the amount paid to a winner, after the results are out.
    Recording it again corrects it, with a reason (the history keeps both)."""
    if not entry.is_winner:
        raise OperationError(
            "우수제안이나 채택된 응모작만 시상금을 기록할 수 있습니다.", status=409
        )
    published = entry.contest.results_published_at
    if published is None:
        raise OperationError("결과를 발표한 뒤에 시상금 지급을 기록할 수 있습니다.", status=409)
    if paid_on is None:
        raise OperationError("지급일을 입력하세요.", field="paid_on")
    if paid_on > clock.today():
        raise OperationError("지급일은 오늘보다 늦을 수 없습니다.", field="paid_on")
    if paid_on < clock.to_kst(published).date():
        raise OperationError("지급일이 결과 발표일보다 빠릅니다.", field="paid_on")
    if amount is None or not 0 < amount <= PRIZE_MAX:
        raise OperationError("지급액을 1원 이상 1억 원 이하로 입력하세요.", field="amount")
    reason = (reason or "").strip()
    correcting = entry.prize_paid_on is not None
    if correcting:
        reason = _need_reason(reason)
        if (entry.prize_paid_on, entry.prize_amount) == (paid_on, amount):
            raise OperationError("기록된 지급 내용과 같습니다.", field="amount")
    before = (
        {"paid_on": entry.prize_paid_on.isoformat(), "amount": entry.prize_amount}
        if correcting
        else None
    )
    entry.prize_paid_on = paid_on
    entry.prize_amount = amount
    step = f"시상금 지급{' 정정' if correcting else ''} ({paid_on.isoformat()}, {amount:,}원)"
    record_step(entry, step, entry.state, entry.state, actor.id, reason)
    record_audit("contest_entry.prize", "contest_entry", entry.id, before=before,
                 after={"paid_on": paid_on.isoformat(), "amount": amount}, actor_id=actor.id)  # fmt: skip
    db.session.commit()
