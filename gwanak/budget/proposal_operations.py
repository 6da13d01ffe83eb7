"""사업 제안: the budget board of the participation engine, its rounds, phases and vote.

The proposal itself (title, body, field as category, 동, author, comments, 공감,
the published answer) is the engine's `Proposal`, created by the engine's
`create_proposal`; this module adds only what a budget project needs
(`BudgetProposal`: round, estimated cost, place, phase, feasibility, votes) and the
phases 제안 접수 → 부서 검토 → 분과 심의 → 주민 투표 → 선정 / 미선정, moved by 자치행정과.
The final outcome is published through the engine's `answer_proposal` (선정 = 채택,
미선정 = 불채택), so the proposal's answer, timeline, audit and author mail are the
engine's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from gwanak.accounts.organisation import department_staff, require_active
from gwanak.budget.models import (
    OWNER_DEPARTMENT,
    PHASE_LABELS,
    BudgetBallot,
    BudgetProject,
    BudgetProposal,
    BudgetRound,
    BudgetVote,
    Phase,
    ProjectState,
)
from gwanak.core import clock
from gwanak.core.audit import AuditEntry, record_audit
from gwanak.core.extensions import db
from gwanak.core.mail import mail_user
from gwanak.core.operations import OperationError
from gwanak.core.permissions import may_edit
from gwanak.core.settings import SettingSpec, get_setting
from gwanak.participation import operations as engine
from gwanak.participation.boards import board
from gwanak.participation.models import (
    BoardSlug,
    Outcome,
    Proposal,
    ProposalState,
    TimelineEvent,
)

# Rules as data: installed by this feature (Feature.settings).
SETTINGS = (
    SettingSpec(
        "budget.votes_per_resident",
        "주민참여예산 주민 투표: 1인당 고를 수 있는 사업 수",
        5,
        minimum=1,
        maximum=50,
        owner_department=OWNER_DEPARTMENT,  # the board's limits: 자치행정과 changes them too
    ),
    SettingSpec(
        "budget.max_estimated_cost",
        "주민참여예산 사업 제안: 사업비 상한(원)",
        500_000_000,
        minimum=1_000_000,
        owner_department=OWNER_DEPARTMENT,
    ),
)

# The timeline event this board writes (Feature.timeline_labels).
TIMELINE_LABELS = {"budget_phase": "단계 변경", "budget_reviewer": "사업부서 지정"}


def may_review(user, extra: BudgetProposal) -> bool:
    """자치행정과 (and admins) manage every phase; a 사업부서's staff the review of the
    proposals handed to them."""
    if may_edit(user, extra):
        return True
    return bool(
        extra.review_department
        and Phase(extra.phase) == Phase.REVIEW
        and getattr(user, "role", None) == "staff"
        and not user.office_dong
        and user.department == extra.review_department
    )


def assign_reviewer(extra: BudgetProposal, staff, department: str, reason: str) -> BudgetProposal:
    """자치행정과 hands a proposal's feasibility review (부서 검토) to a 사업부서, with a
    public reason; allowed until the review ends. Commits."""
    if not may_edit(staff, extra):
        raise OperationError("자치행정과 직원만 사업부서를 정할 수 있습니다.", status=403)
    current = Phase(extra.phase)
    if (
        current not in (Phase.SUBMITTED, Phase.REVIEW)
        or extra.proposal.state == ProposalState.WITHDRAWN
    ):
        raise OperationError("부서 검토가 끝나기 전에만 사업부서를 정할 수 있습니다.", status=409)
    target = require_active(department, "department").name
    if target == extra.review_department:
        raise OperationError(f"이미 {target}에서 검토하고 있습니다.", field="department")
    reason = (reason or "").strip()
    if not reason:
        raise OperationError("지정 사유를 입력하세요.", field="reason")
    if len(reason) > 200:
        raise OperationError("지정 사유는 200자 이하로 입력하세요.", field="reason")
    moved = db.session.execute(
        update(BudgetProposal)
        .where(BudgetProposal.proposal_id == extra.proposal_id, BudgetProposal.phase == current)
        .values(review_department=target)
        .execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:
        db.session.rollback()
        raise OperationError("그사이 단계가 바뀌었습니다. 새로 고쳐 확인하세요.", status=409)
    before = extra.review_department
    db.session.add(
        TimelineEvent(
            discussion_id=extra.proposal.discussion_id, event="budget_reviewer", actor_id=staff.id,
            note=f"{target}: {reason}", created_at=clock.now(),
        )
    )  # fmt: skip
    record_audit(
        "budget.proposal.reviewer", "proposal", extra.proposal_id,
        before={"review_department": before}, after={"review_department": target, "reason": reason},
        actor_id=staff.id,
    )  # fmt: skip
    for person in department_staff(target):
        mail_user(
            person,
            f"[온라인 관악청] 주민참여예산 사업 검토 요청: {extra.proposal.title}",
            f"'{extra.proposal.title}' 제안의 사업 가능 여부 검토가 {target}에 배정되었습니다.",
        )
    db.session.commit()
    db.session.refresh(extra)
    return extra


# Which phase may follow which, when staff move a proposal by hand.
NEXT_PHASES = {
    Phase.SUBMITTED: (Phase.REVIEW,),
    Phase.REVIEW: (Phase.DELIBERATION, Phase.NOT_SELECTED),  # feasible / not feasible
    Phase.DELIBERATION: (Phase.VOTING, Phase.NOT_SELECTED),
    Phase.VOTING: (Phase.SELECTED, Phase.NOT_SELECTED),
}


def current_round() -> BudgetRound | None:
    """The round whose dates contain today, else the latest one."""
    today = clock.today()
    found = db.session.scalar(
        select(BudgetRound)
        .where(BudgetRound.proposal_starts <= today, BudgetRound.vote_ends >= today)
        .order_by(BudgetRound.year.desc())
        .limit(1)
    )
    return found or db.session.scalar(
        select(BudgetRound).order_by(BudgetRound.year.desc()).limit(1)
    )


# A round's dates, in the order its steps follow each other.
ROUND_DATES = (
    "proposal_starts",
    "proposal_ends",
    "review_ends",
    "deliberation_ends",
    "vote_starts",
    "vote_ends",
)


ROUND_DATE_LABELS = {
    "proposal_starts": "제안 접수 시작",
    "proposal_ends": "제안 접수 마감",
    "review_ends": "부서 검토 마감",
    "deliberation_ends": "분과 심의 마감",
    "vote_starts": "주민 투표 시작",
    "vote_ends": "주민 투표 마감",
}
ROUND_REASON_MAX = 300


def _round_exceptions(budget_round: BudgetRound | None, data: dict) -> tuple[str, str] | None:
    """What in the new dates needs a stated reason, with the field to show it by: phases
    out of order, or changing a date already past (or into the past) of a round."""
    for earlier, later in zip(ROUND_DATES, ROUND_DATES[1:], strict=False):
        if data[later] < data[earlier]:
            return (
                f"{ROUND_DATE_LABELS[later]}({data[later]})이(가) {ROUND_DATE_LABELS[earlier]}"
                f"({data[earlier]})보다 빠릅니다. 단계 날짜는 제안 접수 → 부서 검토 → 분과 심의 → "
                "주민 투표 순서여야 합니다. 그래도 이렇게 정하려면 사유를 적으세요.",
                later,
            )
    if budget_round is not None:
        today = clock.today()
        for key in ROUND_DATES:
            old, new = getattr(budget_round, key), data[key]
            if old != new and (old < today or new < today):
                return (
                    f"이미 지난 일정({ROUND_DATE_LABELS[key]} {old} → {new})을 바꾸려면 "
                    "사유를 적으세요. 사유는 차수 변경 이력에 공개됩니다.",
                    "reason",
                )
    return None


def save_round(
    budget_round: BudgetRound | None, data: dict, actor_id: int, reason: str | None = None
) -> BudgetRound:
    """Create or change a round's dates; audited. Phases in order (제안 접수 → 부서 검토 →
    분과 심의 → 주민 투표) and no change to dates already past, unless staff state a
    reason: it is kept in the audit and shown in the round's history. Commits."""
    reason = (reason or "").strip() or None
    exception = _round_exceptions(budget_round, data)
    if exception and not reason:
        message, field = exception
        raise OperationError(message, field=field)
    if reason and len(reason) > ROUND_REASON_MAX:
        raise OperationError(f"사유는 {ROUND_REASON_MAX}자 이하로 입력하세요.", field="reason")
    clash = db.session.scalar(
        select(BudgetRound.id).where(
            BudgetRound.year == data["year"],
            BudgetRound.id != (budget_round.id if budget_round else -1),
        )
    )
    if clash:
        raise OperationError(f"{data['year']}년도 차수가 이미 있습니다.", field="year")
    before = budget_round.snapshot() if budget_round else None
    if budget_round is None:
        budget_round = BudgetRound()
        db.session.add(budget_round)
    for key in ("year", *ROUND_DATES):
        setattr(budget_round, key, data[key])
    db.session.flush()
    after = budget_round.snapshot() | ({"reason": reason} if reason else {})
    record_audit(
        "budget.round.save", "budget_round", budget_round.id, before=before,
        after=after, actor_id=actor_id,
    )  # fmt: skip
    db.session.commit()
    return budget_round


@dataclass
class RoundChange:
    at: datetime
    actor: str
    changes: list[str]
    reason: str | None


def round_history(budget_round: BudgetRound) -> list[RoundChange]:
    """The round's date changes, newest first: who, when, what, and the stated reason."""
    entries = db.session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.object_type == "budget_round",
            AuditEntry.object_id == str(budget_round.id),
            AuditEntry.action == "budget.round.save",
        )
        .order_by(AuditEntry.id.desc())
    )
    history = []
    for entry in entries:
        before, after = entry.before or {}, entry.after or {}
        changes = [
            f"{ROUND_DATE_LABELS[key]} {before.get(key)} → {after.get(key)}"
            for key in ROUND_DATES
            if before and before.get(key) != after.get(key)
        ]
        history.append(
            RoundChange(
                at=entry.created_at,
                actor=entry.actor.name if entry.actor else "시스템",
                changes=changes or (["차수를 만들었습니다"] if not before else []),
                reason=after.get("reason"),
            )
        )
    return history


def propose(
    budget_round: BudgetRound,
    author,
    *,
    title: str,
    body: str,
    category: str,
    dong: str | None,
    place: str,
    estimated_cost: int,
    client_token: str | None = None,
) -> BudgetProposal:
    """A resident proposes a project in the round's 제안 접수 dates.

    The engine adds the proposal (its checks, discussion and timeline) in the same
    transaction as the budget row; a double submit (same token) returns the first
    proposal. Commits once.
    """
    if not budget_round.accepting_proposals(clock.today()):
        raise OperationError(
            f"지금은 제안 접수 기간이 아닙니다. ({budget_round.proposal_starts} ~ {budget_round.proposal_ends})",
            status=409,
        )
    place = _check_project(place, estimated_cost)
    proposal = engine.add_proposal(
        board(BoardSlug.BUDGET), author, title=title, body=body, category=category,
        dong=dong, client_token=client_token,
    )  # fmt: skip
    existing = db.session.get(BudgetProposal, proposal.id)
    if existing is not None:  # the double submit of a proposal already made
        return existing
    # 공감 stays open through the round, and the engine's expiry job must not close a
    # budget proposal as "공감 부족" while staff are still confirming the vote result:
    # its outcome comes from the phases, so give it a year past the vote.
    proposal.gathering_ends_at = _end_of(budget_round.vote_ends) + timedelta(days=365)
    extra = BudgetProposal(
        proposal_id=proposal.id,
        round_id=budget_round.id,
        estimated_cost=estimated_cost,
        place=place,
        phase=Phase.SUBMITTED,
        phase_changed_at=clock.now(),
    )
    db.session.add(extra)
    db.session.commit()
    return extra


def _check_project(place: str, estimated_cost: int) -> str:
    """A project's place and cost as the rules want them (the place, stripped)."""
    place = (place or "").strip()
    if not place:
        raise OperationError("사업 장소를 입력하세요.", field="place")
    limit = get_setting("budget.max_estimated_cost")
    if not (0 < estimated_cost <= limit):
        raise OperationError(
            f"사업비는 1원 이상 {limit:,}원 이하로 입력하세요.", field="estimated_cost"
        )
    return place


def edit_proposal(
    extra: BudgetProposal,
    author,
    *,
    title: str,
    body: str,
    category: str,
    dong: str | None,
    place: str,
    estimated_cost: int,
) -> BudgetProposal:
    """The author edits a proposal while it waits in 제안 접수 and, as on every board,
    before its first 공감 or comment. All of it or nothing. Commits."""
    if extra.proposal.author_id != getattr(author, "id", None):
        raise OperationError("다른 사람의 제안은 고칠 수 없습니다.", status=403)
    place = _check_project(place, estimated_cost)
    # Compare-and-set on the phase: staff moving it to 부서 검토 meanwhile wins.
    changed = db.session.execute(
        update(BudgetProposal)
        .where(
            BudgetProposal.proposal_id == extra.proposal_id,
            BudgetProposal.phase == Phase.SUBMITTED,
        )
        .values(place=place, estimated_cost=estimated_cost)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.rollback()
        raise OperationError("부서 검토가 시작된 제안은 고칠 수 없습니다.", status=409)
    try:  # the engine's edit commits both, or refuses and nothing is kept
        engine.edit_proposal(
            extra.proposal, author, title=title, body=body, category=category, dong=dong
        )
    except OperationError:
        db.session.rollback()
        raise
    db.session.refresh(extra)
    return extra


def withdraw_proposal(extra: BudgetProposal, author) -> None:
    """The author withdraws a proposal while it waits in 제안 접수 (staff then cannot
    move it on). Commits."""
    if extra.phase != Phase.SUBMITTED:
        raise OperationError("부서 검토가 시작된 제안은 철회할 수 없습니다.", status=409)
    engine.withdraw_proposal(extra.proposal, author)


def _end_of(day) -> object:
    """The last moment of a Korean date, as naive UTC."""
    from datetime import datetime

    return datetime.combine(day + timedelta(days=1), datetime.min.time()) - timedelta(hours=9)


LATE_REASON_MAX = 200


def _timeline_note(to: Phase, note: str | None, late: str | None) -> str:
    """The history line (500 characters at most), keeping the late reason whole."""
    late_part = f" (기한 후 처리 사유: {late})" if late else ""
    text = PHASE_LABELS[to] + (f" — {note}" if note else "")
    return text[: 500 - len(late_part)] + late_part


def phase_deadline(extra: BudgetProposal) -> date | None:
    """The last day, by the round's calendar, to move the proposal out of its phase:
    review by the end of 부서 검토, the ballot settled the day before the vote opens."""
    budget_round = extra.round
    current = Phase(extra.phase)
    if current in (Phase.SUBMITTED, Phase.REVIEW):
        return budget_round.review_ends
    if current == Phase.DELIBERATION:
        return min(budget_round.deliberation_ends, budget_round.vote_starts - timedelta(days=1))
    return None


def _late_reason(extra: BudgetProposal, to: Phase, late_reason: str | None) -> str | None:
    """A move after its phase's last day needs the reason staff give (kept in the history)."""
    deadline = phase_deadline(extra)
    if deadline is None or clock.today() <= deadline:
        return None
    reason = (late_reason or "").strip()
    if not reason:
        raise OperationError(
            f"'{PHASE_LABELS[Phase(extra.phase)]}' 단계는 차수 일정상 {deadline}까지입니다. "
            f"기한이 지난 뒤 '{PHASE_LABELS[to]}'(으)로 옮기려면 그 사유를 적으세요.",
            field="late_reason",
        )
    if len(reason) > LATE_REASON_MAX:
        raise OperationError(f"사유는 {LATE_REASON_MAX}자 이하로 입력하세요.", field="late_reason")
    return reason


def move_phase(
    extra: BudgetProposal,
    to: str,
    staff,
    *,
    note: str | None = None,
    budget: int | None = None,
    late_reason: str | None = None,
) -> BudgetProposal:
    """자치행정과 staff move a proposal to its next phase.

    부서 검토 ends feasible (→ 분과 심의) or not (→ 미선정, a reason required); 선정 and
    미선정 after the vote wait for the close and publish the result through the engine's
    answer; 선정 also creates the 실행사업 with its budget. The move is a compare-and-set
    on the phase, so two staff clicking at once move it once. A move after the round's
    date for the phase (`phase_deadline`) needs `late_reason`, kept in the proposal's
    public history and the audit. Commits.
    """
    to = Phase(to)
    current = Phase(extra.phase)
    if extra.proposal.state == ProposalState.WITHDRAWN:
        raise OperationError("제안자가 철회한 제안입니다.", status=409)
    if to not in NEXT_PHASES.get(current, ()):
        raise OperationError(
            f"'{PHASE_LABELS[current]}' 단계에서 '{PHASE_LABELS[to]}'(으)로 옮길 수 없습니다.",
            status=409,
        )
    note = (note or "").strip() or None
    if note and len(note) > 500:
        raise OperationError("사유는 500자 이하로 입력하세요.", field="note")
    if to == Phase.NOT_SELECTED and current != Phase.VOTING and not note:
        raise OperationError("미선정 사유를 입력하세요.", field="note")
    today = clock.today()
    if current == Phase.VOTING and not extra.round.voting_closed(today):
        raise OperationError("주민 투표가 끝난 뒤에 결과를 확정할 수 있습니다.", status=409)
    late = _late_reason(extra, to, late_reason)
    now = clock.now()
    values: dict = {"phase": to, "phase_changed_at": now}
    if current == Phase.REVIEW:
        values.update(feasible=to == Phase.DELIBERATION, review_note=note)
    moved = db.session.execute(
        update(BudgetProposal)
        .where(BudgetProposal.proposal_id == extra.proposal_id, BudgetProposal.phase == current)
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:
        db.session.rollback()
        raise OperationError(
            "다른 직원이 먼저 단계를 바꾸었습니다. 새로 고쳐 확인하세요.", status=409
        )
    db.session.add(
        TimelineEvent(
            discussion_id=extra.proposal.discussion_id, event="budget_phase", actor_id=staff.id,
            note=_timeline_note(to, note, late), created_at=now,
        )
    )  # fmt: skip
    record_audit(
        "budget.proposal.phase", "proposal", extra.proposal_id, before={"phase": current},
        after={"phase": to, "note": note, "late_reason": late}, actor_id=staff.id,
    )  # fmt: skip
    if to in (Phase.SELECTED, Phase.NOT_SELECTED):
        db.session.flush()
        _publish_outcome(extra, to, staff, note, budget)  # followers hear of the answer
    else:
        engine.notify_followers(
            extra.proposal.discussion_id,
            "budget_phase",
            "[온라인 관악청] 주민참여예산 제안의 단계가 바뀌었습니다",
            f"'{extra.proposal.title}' 제안이 '{PHASE_LABELS[to]}' 단계로 넘어갔습니다.",
            actor_id=staff.id,
        )
    db.session.commit()
    db.session.refresh(extra)
    return extra


def _publish_outcome(extra: BudgetProposal, to: Phase, staff, note, budget) -> None:
    """선정 / 미선정 published as the engine's department answer (채택 / 불채택)."""
    proposal: Proposal = extra.proposal
    if to == Phase.SELECTED:
        amount = budget if budget is not None else extra.estimated_cost
        if amount <= 0:
            db.session.rollback()
            raise OperationError("선정 사업의 예산을 1원 이상으로 입력하세요.", field="budget")
        project = BudgetProject(
            year=extra.round.year, title=proposal.title, summary=proposal.body,
            dong=proposal.dong, department=OWNER_DEPARTMENT, budget=amount, spent=0,
            progress=0, state=ProjectState.ONGOING, proposal_id=proposal.id,
        )  # fmt: skip
        db.session.add(project)
        db.session.flush()
        record_audit(
            "budget.project.create", "budget_project", project.id, after=project.snapshot(),
            actor_id=staff.id,
        )  # fmt: skip
        body = (
            f"주민 투표 {extra.vote_count:,}표로 {extra.round.year}년도 주민참여예산 사업에 "
            f"선정되었습니다. 예산 {amount:,}원으로 실행사업 현황에서 추진 상황을 알려 드립니다."
        )
        outcome = Outcome.ADOPTED
    else:
        body = f"{extra.round.year}년도 주민참여예산 사업에 선정되지 않았습니다." + (
            f" 사유: {note}" if note else f" (주민 투표 {extra.vote_count:,}표)"
        )
        outcome = Outcome.REJECTED
    # The engine answers proposals under review; a budget proposal reaches its answer
    # through the phases, so it enters the engine's review state at this moment.
    proposal.state = ProposalState.REVIEW
    proposal.review_started_at = clock.now()
    db.session.flush()
    try:
        engine.record_answer(proposal, staff, outcome=outcome, body=body, reason=note)
    except OperationError:
        db.session.rollback()  # the phase moved above is undone with it
        raise


def cast_vote(extra: BudgetProposal, user) -> BudgetVote:
    """One vote per resident and proposal, at most `budget.votes_per_resident` per round.

    Exact under concurrency: the ballot row's `used` moves by one atomic conditional
    UPDATE (the limit holds however many requests arrive at once), and a unique
    constraint refuses a second vote for the same proposal (its increment is rolled
    back with it). Commits.
    """
    if not user.is_authenticated:
        raise OperationError("로그인한 주민만 투표할 수 있습니다.", status=401)
    if not user.is_resident:
        raise OperationError("주민 계정으로만 투표할 수 있습니다.", status=403)
    # Votes count confirmed accounts only (the board's level, at least e-mail).
    engine.require_participant(user, board(BoardSlug.BUDGET).participation_level)
    budget_round = extra.round
    today = clock.today()
    if extra.phase != Phase.VOTING:
        raise OperationError("주민 투표 단계의 사업에만 투표할 수 있습니다.", status=409)
    if not budget_round.voting_open(today):
        raise OperationError(
            f"투표 기간이 아닙니다. 투표 기간은 {budget_round.vote_starts} ~ {budget_round.vote_ends}입니다.",
            status=409,
        )
    limit = get_setting("budget.votes_per_resident")
    _ensure_ballot(budget_round.id, user.id)
    taken = db.session.execute(
        update(BudgetBallot)
        .where(
            BudgetBallot.round_id == budget_round.id,
            BudgetBallot.user_id == user.id,
            BudgetBallot.used < limit,
        )
        .values(used=BudgetBallot.used + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if taken != 1:
        db.session.rollback()
        raise OperationError(
            f"한 사람이 고를 수 있는 사업은 {limit}개까지입니다. 다른 사업의 투표를 취소한 뒤 고르세요.",
            status=409,
        )
    vote = BudgetVote(round_id=budget_round.id, proposal_id=extra.proposal_id, user_id=user.id)
    db.session.add(vote)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise OperationError("이미 이 사업에 투표했습니다.", status=409) from None
    db.session.execute(
        update(BudgetProposal)
        .where(BudgetProposal.proposal_id == extra.proposal_id)
        .values(vote_count=BudgetProposal.vote_count + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return vote


def withdraw_vote(extra: BudgetProposal, user) -> None:
    """Take one's vote back during the voting dates (frees one pick). Commits."""
    if not extra.round.voting_open(clock.today()) or extra.phase != Phase.VOTING:
        raise OperationError("투표 기간에만 투표를 취소할 수 있습니다.", status=409)
    removed = db.session.execute(
        delete(BudgetVote).where(
            BudgetVote.proposal_id == extra.proposal_id, BudgetVote.user_id == user.id
        )
    ).rowcount
    if removed != 1:
        db.session.rollback()
        raise OperationError("이 사업에 투표한 적이 없습니다.", status=409)
    db.session.execute(
        update(BudgetBallot)
        .where(BudgetBallot.round_id == extra.round_id, BudgetBallot.user_id == user.id)
        .values(used=BudgetBallot.used - 1)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(BudgetProposal)
        .where(BudgetProposal.proposal_id == extra.proposal_id)
        .values(vote_count=BudgetProposal.vote_count - 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _ensure_ballot(round_id: int, user_id: int) -> None:
    """The resident's ballot row, created once even when two first votes race."""
    if db.session.scalar(
        select(BudgetBallot.id).where(
            BudgetBallot.round_id == round_id, BudgetBallot.user_id == user_id
        )
    ):
        return
    try:
        with db.session.begin_nested():
            db.session.add(BudgetBallot(round_id=round_id, user_id=user_id, used=0))
    except IntegrityError:
        pass  # the other request made it


def my_votes(round_id: int, user) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        db.session.scalars(
            select(BudgetVote.proposal_id).where(
                BudgetVote.round_id == round_id, BudgetVote.user_id == user.id
            )
        )
    )
