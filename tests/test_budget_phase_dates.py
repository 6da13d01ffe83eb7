"""주민참여예산: a proposal moves through its phases inside the round's dates and in order;
a move after a phase's last day needs the reason staff give, kept in the public history.
A round's own dates keep their order and past dates stay, unless staff give a reason,
shown in the round's history. Refusals are Korean and change nothing."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from gwanak.budget.models import BudgetProposal, BudgetRound, Phase
from gwanak.budget.proposal_operations import (
    ROUND_DATES,
    move_phase,
    phase_deadline,
    propose,
    round_history,
    save_round,
)
from gwanak.core.audit import AuditEntry
from gwanak.core.extensions import db
from gwanak.core.operations import OperationError
from gwanak.participation.models import TimelineEvent
from tests.factories import IN_PROPOSALS, IN_REVIEW, make_round

AFTER_REVIEW = datetime(2026, 5, 4, 3, 0)  # review ended 4/30
ON_VOTE_DAY = datetime(2026, 6, 1, 3, 0)  # the vote opened 6/1


def _proposal(users):
    budget_round = make_round()
    return propose(
        budget_round, users.resident, title="놀이터 그늘막", body="여름에 뜨겁습니다.",
        category="안전", dong="boramae", place="보라매공원", estimated_cost=12_000_000,
    )  # fmt: skip


def _phase(extra) -> str:
    db.session.rollback()
    db.session.expire_all()
    return db.session.get(BudgetProposal, extra.proposal_id).phase


def _phase_moves() -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.action == "budget.proposal.phase")
    )


def _round_saves() -> int:
    return db.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "budget.round.save")
    )


def test_each_phase_has_its_last_day_from_the_round(app, users, frozen):
    frozen(IN_PROPOSALS)
    extra = _proposal(users)
    assert phase_deadline(extra) == date(2026, 4, 30)
    frozen(IN_REVIEW)
    move_phase(extra, Phase.REVIEW, users.autonomy)
    move_phase(extra, Phase.DELIBERATION, users.autonomy, note="설치 가능")
    assert phase_deadline(extra) == date(2026, 5, 31)  # the day before the vote opens
    move_phase(extra, Phase.VOTING, users.autonomy)
    assert phase_deadline(extra) is None  # the outcome waits for the vote's close instead


def test_a_late_move_without_a_reason_is_refused_and_nothing_moves(app, users, frozen):
    frozen(IN_PROPOSALS)
    extra = _proposal(users)
    frozen(AFTER_REVIEW)
    with pytest.raises(OperationError) as refused:
        move_phase(extra, Phase.REVIEW, users.autonomy)
    assert refused.value.field == "late_reason"
    assert refused.value.message == (
        "'제안 접수' 단계는 차수 일정상 2026-04-30까지입니다. "
        "기한이 지난 뒤 '부서 검토'(으)로 옮기려면 그 사유를 적으세요."
    )
    assert _phase(extra) == Phase.SUBMITTED and _phase_moves() == 0

    move_phase(extra, Phase.REVIEW, users.autonomy, late_reason="접수 누락분을 뒤늦게 확인함")
    assert _phase(extra) == Phase.REVIEW
    history = db.session.scalars(
        select(TimelineEvent.note).where(TimelineEvent.event == "budget_phase")
    ).all()
    assert history == ["부서 검토 (기한 후 처리 사유: 접수 누락분을 뒤늦게 확인함)"]
    audit = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "budget.proposal.phase")
    )
    assert audit.after["late_reason"] == "접수 누락분을 뒤늦게 확인함"


def test_the_ballot_is_settled_before_the_vote_opens(app, users, frozen):
    frozen(IN_PROPOSALS)
    extra = _proposal(users)
    frozen(IN_REVIEW)
    move_phase(extra, Phase.REVIEW, users.autonomy)
    move_phase(extra, Phase.DELIBERATION, users.autonomy, note="설치 가능")
    frozen(ON_VOTE_DAY)
    with pytest.raises(OperationError, match="'분과 심의' 단계는 차수 일정상 2026-05-31까지"):
        move_phase(extra, Phase.VOTING, users.autonomy)
    with pytest.raises(OperationError, match="200자 이하"):
        move_phase(extra, Phase.VOTING, users.autonomy, late_reason="가" * 201)
    assert _phase(extra) == Phase.DELIBERATION


def test_out_of_order_stays_refused_even_with_a_reason(app, users, frozen):
    frozen(IN_PROPOSALS)
    extra = _proposal(users)
    frozen(AFTER_REVIEW)
    with pytest.raises(
        OperationError, match="'제안 접수' 단계에서 '주민 투표'\\(으\\)로 옮길 수 없습니다"
    ):
        move_phase(extra, Phase.VOTING, users.autonomy, late_reason="급함")
    assert _phase(extra) == Phase.SUBMITTED and _phase_moves() == 0


def test_staff_give_the_reason_on_the_page_without_javascript(app, users, frozen, client, auth):
    frozen(IN_PROPOSALS)
    extra = _proposal(users)
    frozen(AFTER_REVIEW)
    auth.login(users.autonomy)
    url = f"/budget/proposals/{extra.proposal_id}"
    page = client.get(url).get_data(as_text=True)
    assert 'name="late_reason"' in page and "2026-04-30까지입니다" in page
    refused = client.post(f"{url}/phase", data={"to": "review"})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'id="late_reason-error"' in text
    assert _phase(extra) == Phase.SUBMITTED
    done = client.post(f"{url}/phase", data={"to": "review", "late_reason": "담당자 교체로 늦어짐"})
    assert done.status_code == 303
    assert "기한 후 처리 사유: 담당자 교체로 늦어짐" in client.get(url).get_data(as_text=True)


def _dates(budget_round) -> dict:
    return {"year": budget_round.year} | {key: getattr(budget_round, key) for key in ROUND_DATES}


def test_round_dates_out_of_order_or_already_past_need_a_reason(app, users, frozen):
    frozen(IN_REVIEW)  # 2026-04-10: proposals closed 3/31, review runs to 4/30
    budget_round = make_round()
    audits = _round_saves()
    with pytest.raises(OperationError) as refused:
        save_round(budget_round, _dates(budget_round) | {"vote_starts": date(2026, 5, 20)},
                   users.autonomy.id)  # fmt: skip
    assert refused.value.field == "vote_starts"
    assert "주민 투표 시작(2026-05-20)이(가) 분과 심의 마감(2026-05-31)보다 빠릅니다" in (
        refused.value.message
    )
    with pytest.raises(OperationError) as refused:
        save_round(budget_round, _dates(budget_round) | {"proposal_ends": date(2026, 4, 3)},
                   users.autonomy.id)  # fmt: skip
    assert refused.value.field == "reason"
    assert "이미 지난 일정(제안 접수 마감 2026-03-31 → 2026-04-03)" in refused.value.message
    db.session.expire_all()
    assert db.session.get(BudgetRound, budget_round.id).proposal_ends == date(2026, 3, 31)
    assert _round_saves() == audits

    # Changing a date still ahead needs nothing; the past one goes through with a reason.
    save_round(budget_round, _dates(budget_round) | {"review_ends": date(2026, 5, 6)},
               users.autonomy.id)  # fmt: skip
    save_round(budget_round, _dates(budget_round) | {"proposal_ends": date(2026, 4, 3)},
               users.autonomy.id, reason="전산 장애로 3일 연장 접수함")  # fmt: skip
    history = round_history(db.session.get(BudgetRound, budget_round.id))
    assert [h.reason for h in history] == ["전산 장애로 3일 연장 접수함", None, None]
    assert history[0].changes == ["제안 접수 마감 2026-03-31 → 2026-04-03"]
    assert history[1].changes == ["부서 검토 마감 2026-04-30 → 2026-05-06"]
    assert history[2].changes == ["차수를 만들었습니다"]


def test_the_round_page_takes_the_reason_and_shows_the_history(app, users, frozen, client, auth):
    frozen(IN_REVIEW)
    budget_round = make_round()
    auth.login(users.autonomy)
    url = f"/budget/proposals/rounds/{budget_round.id}"
    form = {k: str(v) for k, v in _dates(budget_round).items()} | {"proposal_ends": "2026-04-03"}
    refused = client.post(url, data=form)
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'id="reason-error"' in text and "사유를 적으세요" in text
    assert (
        client.post(url, data=form | {"reason": "전산 장애로 3일 연장 접수함"}).status_code == 303
    )
    page = client.get(url).get_data(as_text=True)
    assert "변경 이력" in page and "사유: 전산 장애로 3일 연장 접수함" in page
    assert "제안 접수 마감 2026-03-31 → 2026-04-03" in page
