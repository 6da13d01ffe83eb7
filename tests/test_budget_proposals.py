"""사업 제안: a board of the participation engine with rounds, phases and a 주민 투표."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from gwanak.accounts.models import User
from gwanak.budget.models import (
    BudgetBallot,
    BudgetProject,
    BudgetProposal,
    BudgetRound,
    BudgetVote,
    Phase,
)
from gwanak.budget.proposal_operations import cast_vote, move_phase, propose
from gwanak.budget.proposals import BUDGET_BOARD
from gwanak.core.audit import AuditEntry
from gwanak.core.extensions import db
from gwanak.core.mail import OutboxMail
from gwanak.core.operations import OperationError
from gwanak.core.settings import set_setting
from gwanak.participation.models import Answer, Proposal
from gwanak.policy.board import POLICY_BOARD
from tests.conftest import is_postgres
from tests.factories import (
    AFTER_VOTE,
    IN_PROPOSALS,
    IN_REVIEW,
    IN_VOTE,
    make_round,
    make_user,
    proposal_in_voting,
)

FORM = {
    "title": "보라매공원 어린이 놀이터 그늘막",
    "body": "여름에 놀이터가 너무 뜨겁습니다. 그늘막을 설치해 주세요.",
    "category": "안전",
    "dong": "boramae",
    "place": "보라매공원 동문 놀이터",
    "estimated_cost": "30000000",
}


def test_resident_proposes_staff_move_it_residents_vote_and_the_selected_project_appears(
    app, client, auth, users, frozen
):
    """The must-show walk, without JavaScript: plain form posts and 303 redirects."""
    make_round()
    frozen(IN_PROPOSALS)
    auth.login(users.resident)
    response = client.post("/budget/proposals/new", data=FORM)
    assert response.status_code == 303
    extra = db.session.scalar(select(BudgetProposal))
    pid = extra.proposal_id
    assert extra.phase == Phase.SUBMITTED and extra.estimated_cost == 30_000_000
    assert extra.proposal.board == "budget" and extra.proposal.department == "자치행정과"
    page = client.get(f"/budget/proposals/{pid}").get_data(as_text=True)
    assert "보라매공원 동문 놀이터" in page and "30,000,000원" in page and "제안 접수" in page
    auth.logout()

    frozen(IN_REVIEW)
    auth.login(users.autonomy)
    steps = [
        {"to": "review"},
        {"to": "deliberation", "note": "설치 가능한 부지입니다."},
        {"to": "voting"},
    ]
    for step in steps:
        assert client.post(f"/budget/proposals/{pid}/phase", data=step).status_code == 303
    auth.logout()

    frozen(IN_VOTE)
    voters = [users.resident, users.neighbour, make_user(name="박주민")]
    for voter in voters:
        auth.login(voter)
        response = client.post(f"/budget/proposals/{pid}/vote")
        assert response.status_code == 303
        auth.logout()
    # Results stay hidden until the vote closes.
    assert "3표" not in client.get(f"/budget/proposals/{pid}").get_data(as_text=True)

    frozen(AFTER_VOTE)
    html = client.get("/budget/proposals?phase=voting").get_data(as_text=True)
    assert "투표 결과 <strong>3표</strong>" in html
    auth.login(users.autonomy)
    response = client.post(
        f"/budget/proposals/{pid}/phase", data={"to": "selected", "budget": "28000000"}
    )
    assert response.status_code == 303
    auth.logout()

    project = db.session.scalar(select(BudgetProject))
    assert project.proposal_id == pid and project.budget == 28_000_000 and project.year == 2027
    html = client.get("/budget/projects").get_data(as_text=True)
    assert "보라매공원 어린이 놀이터 그늘막" in html and "28,000,000원" in html
    # The outcome is the engine's published answer, and the author is told.
    answer = db.session.scalar(select(Answer))
    assert answer.outcome == "adopted" and "3표" in answer.body
    proposal = db.session.get(Proposal, pid)
    assert proposal.state == "answered"
    assert db.session.scalar(select(OutboxMail).where(OutboxMail.to_user_id == users.resident.id))
    page = client.get(f"/budget/proposals/{pid}").get_data(as_text=True)
    assert "선정" in page and "단계 변경" in page


def test_not_feasible_in_review_needs_a_reason_and_ends_not_selected(app, users, frozen):
    budget_round = make_round()
    frozen(IN_PROPOSALS)
    extra = propose(
        budget_round, users.resident, title="도로 확장", body="넓혀 주세요", category="교통",
        dong=None, place="관악로", estimated_cost=400_000_000,
    )  # fmt: skip
    frozen(IN_REVIEW)
    move_phase(extra, Phase.REVIEW, users.autonomy)
    with pytest.raises(OperationError, match="미선정 사유"):
        move_phase(extra, Phase.NOT_SELECTED, users.autonomy)
    move_phase(
        extra, Phase.NOT_SELECTED, users.autonomy, note="주민참여예산 범위를 넘는 대규모 공사"
    )
    db.session.refresh(extra)
    assert extra.phase == Phase.NOT_SELECTED and extra.feasible is False
    answer = db.session.scalar(select(Answer))
    assert answer.outcome == "rejected" and "대규모 공사" in answer.body
    assert db.session.scalar(select(BudgetProject)) is None


def test_phases_cannot_skip_or_go_back(app, client, auth, users, frozen):
    budget_round = make_round()
    frozen(IN_PROPOSALS)
    extra = propose(
        budget_round, users.resident, title="벤치", body="쉼터", category="복지",
        dong=None, place="도림천", estimated_cost=1_000_000,
    )  # fmt: skip
    auth.login(users.autonomy)
    response = client.post(f"/budget/proposals/{extra.proposal_id}/phase", data={"to": "voting"})
    assert response.status_code == 422  # not a choice from 제안 접수
    assert "목록에 있는 값을 고르세요." in response.get_data(as_text=True)
    with pytest.raises(OperationError):
        move_phase(extra, Phase.SELECTED, users.autonomy)
    assert db.session.get(BudgetProposal, extra.proposal_id).phase == Phase.SUBMITTED


def test_selecting_before_the_vote_closes_is_refused(app, users, frozen):
    extra = proposal_in_voting(make_round(), users.resident, frozen, users.autonomy)
    frozen(IN_VOTE)
    with pytest.raises(OperationError, match="투표가 끝난 뒤"):
        move_phase(extra, Phase.SELECTED, users.autonomy)


def test_only_autonomy_staff_move_phases_and_edit_rounds(app, client, auth, users, frozen):
    budget_round = make_round()
    frozen(IN_PROPOSALS)
    extra = propose(
        budget_round, users.resident, title="벤치", body="쉼터", category="복지",
        dong=None, place="도림천", estimated_cost=1_000_000,
    )  # fmt: skip
    for user in (users.resident, users.planning, users.boramae, users.mayor):
        auth.login(user)
        response = client.post(
            f"/budget/proposals/{extra.proposal_id}/phase", data={"to": "review"}
        )
        assert response.status_code == 403
        assert client.get("/budget/proposals/rounds").status_code == 403
        auth.logout()
    assert (
        db.session.scalar(select(AuditEntry).where(AuditEntry.action == "budget.proposal.phase"))
        is None
    )


def test_proposing_outside_the_dates_or_as_staff_is_refused(app, client, auth, users, frozen):
    make_round()
    frozen(IN_REVIEW)
    auth.login(users.resident)
    response = client.post("/budget/proposals/new", data=FORM)
    assert response.status_code == 409
    assert "제안 접수 기간이 아닙니다" in response.get_data(as_text=True)
    auth.logout()
    frozen(IN_PROPOSALS)
    auth.login(users.autonomy)
    assert client.post("/budget/proposals/new", data=FORM).status_code == 403
    assert db.session.scalar(select(func.count(Proposal.id))) == 0


def test_bad_proposal_input_is_refused_by_the_field(app, client, auth, users, frozen):
    make_round()
    frozen(IN_PROPOSALS)
    auth.login(users.resident)
    cases = [
        ({"title": "   "}, "사업명을(를) 입력하세요."),
        ({"title": "가" * 101}, "100자 이하로 입력하세요."),
        ({"body": "<script>alert(1)</script>"}, "HTML 태그는 쓸 수 없습니다."),
        ({"place": ""}, "사업 장소을(를) 입력하세요."),
        ({"estimated_cost": "0"}, "1원 이상으로 입력하세요."),
        ({"estimated_cost": "삼천만원"}, "숫자만 입력하세요."),
        ({"estimated_cost": "900000000"}, "500,000,000원 이하로"),
        ({"category": "우주"}, "목록에 있는 값을 고르세요."),
        ({"dong": "gangnam"}, "목록에 있는 값을 고르세요."),
    ]
    for change, message in cases:
        response = client.post("/budget/proposals/new", data=FORM | change)
        assert response.status_code == 422, change
        assert message in response.get_data(as_text=True), change
    assert db.session.scalar(select(func.count(Proposal.id))) == 0


def test_double_submit_with_the_same_token_makes_one_proposal(app, client, auth, users, frozen):
    make_round()
    frozen(IN_PROPOSALS)
    auth.login(users.resident)
    data = FORM | {"token": "abc123"}
    assert client.post("/budget/proposals/new", data=data).status_code == 303
    assert client.post("/budget/proposals/new", data=data).status_code == 303
    assert db.session.scalar(select(func.count(BudgetProposal.proposal_id))) == 1


def test_votes_outside_the_dates_are_refused(app, client, auth, users, frozen):
    extra = proposal_in_voting(make_round(), users.resident, frozen, users.autonomy)
    auth.login(users.neighbour)
    for moment in (datetime(2026, 5, 31, 3, 0), AFTER_VOTE):
        frozen(moment)
        response = client.post(f"/budget/proposals/{extra.proposal_id}/vote")
        assert response.status_code == 409
        assert "투표 기간이 아닙니다" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(BudgetVote.id))) == 0


def test_voting_twice_and_over_the_limit_is_refused(app, client, auth, users, frozen):
    budget_round = make_round()
    set_setting("budget.votes_per_resident", 2)
    db.session.commit()
    extras = [
        proposal_in_voting(budget_round, users.resident, frozen, users.autonomy, title=f"사업 {n}")
        for n in range(3)
    ]
    frozen(IN_VOTE)
    auth.login(users.neighbour)
    first, second, third = (f"/budget/proposals/{x.proposal_id}/vote" for x in extras)
    assert client.post(first).status_code == 303
    response = client.post(first)
    assert response.status_code == 409 and "이미 이 사업에 투표했습니다." in response.get_data(
        as_text=True
    )
    assert client.post(second).status_code == 303
    response = client.post(third)
    assert response.status_code == 409 and "2개까지" in response.get_data(as_text=True)
    # Taking one back frees a pick.
    assert client.post(first, data={"action": "withdraw"}).status_code == 303
    assert client.post(third).status_code == 303
    counts = [db.session.get(BudgetProposal, x.proposal_id).vote_count for x in extras]
    db.session.expire_all()
    counts = [db.session.get(BudgetProposal, x.proposal_id).vote_count for x in extras]
    assert counts == [0, 1, 1]
    assert db.session.scalar(select(BudgetBallot.used)) == 2


def test_anonymous_and_staff_cannot_vote_and_unknown_ids_are_404(app, client, auth, users, frozen):
    extra = proposal_in_voting(make_round(), users.resident, frozen, users.autonomy)
    frozen(IN_VOTE)
    response = client.post(f"/budget/proposals/{extra.proposal_id}/vote")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert (
        client.post(
            f"/budget/proposals/{extra.proposal_id}/vote", headers={"HX-Request": "true"}
        ).status_code
        == 401
    )
    auth.login(users.autonomy)
    assert client.post(f"/budget/proposals/{extra.proposal_id}/vote").status_code == 403
    assert client.get("/budget/proposals/9999").status_code == 404
    assert client.post("/budget/proposals/9999/vote").status_code == 404


def test_a_policy_proposal_is_not_a_budget_proposal(app, client, users):
    from gwanak.participation import operations as engine

    policy = engine.create_proposal(
        POLICY_BOARD, users.resident, title="정책", body="내용", category="복지"
    )
    assert client.get(f"/budget/proposals/{policy.id}").status_code == 404


def test_htmx_vote_answers_with_the_vote_block(app, client, auth, users, frozen):
    extra = proposal_in_voting(make_round(), users.resident, frozen, users.autonomy)
    frozen(IN_VOTE)
    auth.login(users.neighbour)
    response = client.post(
        f"/budget/proposals/{extra.proposal_id}/vote", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="vote"') and "투표함" in html


def test_comments_and_gonggam_come_from_the_engine(app, client, auth, users, frozen):
    extra = proposal_in_voting(make_round(), users.resident, frozen, users.autonomy)
    auth.login(users.neighbour)
    pid = extra.proposal_id
    assert client.post(f"/budget/proposals/{pid}/gonggam").status_code == 303
    response = client.post(
        f"/discussions/{extra.proposal.discussion_id}/comments", data={"body": "좋은 제안입니다"}
    )
    assert response.status_code == 303
    assert response.headers["Location"].startswith(f"/budget/proposals/{pid}")
    db.session.expire_all()
    assert db.session.get(Proposal, pid).gonggam_count == 1
    assert "좋은 제안입니다" in client.get(f"/budget/proposals/{pid}").get_data(as_text=True)


def test_the_budget_board_is_a_configuration_with_its_own_thresholds(app):
    set_setting("board.budget.mayor_commenters", 3)
    db.session.commit()
    assert BUDGET_BOARD.mayor_threshold == 3
    assert POLICY_BOARD.mayor_threshold == 100
    assert BUDGET_BOARD.review_by_gonggam is False


def test_staff_create_a_round_with_dates_in_order(app, client, auth, users):
    auth.login(users.autonomy)
    data = {
        "year": "2028",
        "proposal_starts": "2027-03-01",
        "proposal_ends": "2027-03-31",
        "review_ends": "2027-04-30",
        "deliberation_ends": "2027-05-31",
        "vote_starts": "2027-06-01",
        "vote_ends": "2027-06-10",
    }
    response = client.post("/budget/proposals/rounds", data=data | {"vote_ends": "2027-05-01"})
    assert response.status_code == 422
    assert "순서여야 합니다" in response.get_data(as_text=True)
    assert client.post("/budget/proposals/rounds", data=data).status_code == 303
    response = client.post("/budget/proposals/rounds", data=data)
    assert response.status_code == 422 and "이미 있습니다" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(BudgetRound.id))) == 1
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "budget.round.save"))


def test_proposal_list_query_count_does_not_grow_with_rows(app, client, users, frozen):
    from tests.query_counter import count_queries

    budget_round = make_round()
    frozen(IN_PROPOSALS)

    def add(n):
        for i in range(n):
            propose(
                budget_round, users.resident, title=f"사업 {i}", body="내용", category="안전",
                dong="boramae", place="어딘가", estimated_cost=1_000,
            )  # fmt: skip

    add(10)
    client.get("/budget/proposals")  # warm up the per-process visit counter
    with count_queries() as few:
        client.get("/budget/proposals")
    add(40)
    with count_queries() as many:
        client.get("/budget/proposals")
    assert len(few) == len(many)


@pytest.mark.skipif(not is_postgres(), reason="concurrency is exercised on PostgreSQL")
def test_concurrent_votes_respect_the_limit_and_uniqueness(app, frozen):
    autonomy = make_user("staff", name="자치", department="자치행정과")
    author = make_user(name="제안자")
    budget_round = make_round()
    set_setting("budget.votes_per_resident", 3)
    db.session.commit()
    extras = [
        proposal_in_voting(budget_round, author, frozen, autonomy, title=f"사업 {n}")
        for n in range(6)
    ]
    frozen(IN_VOTE)
    voter_ids = [make_user(name=f"투표{n}").id for n in range(2)]
    ids = [x.proposal_id for x in extras]
    # Each voter fires 6 votes at once (within the connection pool), the first one twice.
    jobs = [(v, pid) for v in voter_ids for pid in [*ids[:5], ids[0]]]
    barrier = threading.Barrier(len(jobs), timeout=30)
    outcomes: list[str] = []

    def vote(user_id: int, pid: int) -> None:
        with app.app_context():
            try:
                user = db.session.get(User, user_id)
                extra = db.session.get(BudgetProposal, pid)
                barrier.wait()
                cast_vote(extra, user)
                outcomes.append("ok")
            except OperationError:
                outcomes.append("refused")
            except threading.BrokenBarrierError:
                outcomes.append("barrier")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=vote, args=job) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 2 * 3 and "barrier" not in outcomes
    db.session.expire_all()
    for voter in voter_ids:
        assert db.session.scalar(select(func.count()).where(BudgetVote.user_id == voter)) == 3
        assert (
            db.session.scalar(select(BudgetBallot.used).where(BudgetBallot.user_id == voter)) == 3
        )
    total = db.session.scalar(select(func.sum(BudgetProposal.vote_count)))
    assert total == db.session.scalar(select(func.count(BudgetVote.id))) == 6
    db.engine.dispose()  # give the threads' connections back to the shared server


def test_home_page_shows_the_open_step_of_the_round(app, client, frozen):
    make_round()
    frozen(IN_PROPOSALS)
    assert "주민참여예산 사업 제안 접수 중" in client.get("/").get_data(as_text=True)
    frozen(IN_VOTE)
    assert "주민참여예산 주민 투표 중" in client.get("/").get_data(as_text=True)
    frozen(AFTER_VOTE)
    assert 'id="home-budget"' not in client.get("/").get_data(as_text=True)


def test_the_engine_expiry_job_leaves_a_budget_proposal_waiting_for_its_result(app, users, frozen):
    from gwanak.participation import operations as engine

    extra = proposal_in_voting(make_round(), users.resident, frozen, users.autonomy)
    frozen(AFTER_VOTE + timedelta(days=30))
    assert engine.expire_stale_proposals() == 0
    assert db.session.get(Proposal, extra.proposal_id).state == "gathering"


def test_the_budget_detail_page_keeps_its_counts_live_like_every_board(
    app, client, auth, users, frozen
):
    extra = proposal_in_voting(make_round(), users.resident, frozen, users.autonomy)
    counts_url = f"/budget/proposals/{extra.proposal_id}/counts"
    page = client.get(f"/budget/proposals/{extra.proposal_id}").get_data(as_text=True)
    assert f'data-hx-get="{counts_url}" data-hx-trigger="every 30s"' in page
    first = client.get(counts_url, headers={"HX-Request": "true"})
    assert first.status_code == 200 and first.headers["Cache-Control"] == "no-cache"
    html = first.get_data(as_text=True)
    # The poll swaps the contents of the live region, which stays in the page.
    assert 'name="seen"' in html and "<dd>0명</dd>" in html
    # A budget proposal is reviewed through its phases, not by 공감: no 공감 goal shown.
    assert "부서 검토까지" not in html
    unchanged = client.get(counts_url, headers={"If-None-Match": first.headers["ETag"]})
    assert unchanged.status_code == 304

    auth.login(users.neighbour)
    response = client.post(
        f"/budget/proposals/{extra.proposal_id}/gonggam", headers={"HX-Request": "true"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith('<form id="gonggam"')
    assert '<div id="counts" data-hx-swap-oob="innerHTML">' in html
    assert "<dt>공감</dt><dd>1명</dd>" in html
    changed = client.get(counts_url, headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and "<dd>1명</dd>" in changed.get_data(as_text=True)


def test_the_author_edits_or_withdraws_a_budget_proposal_only_while_it_waits_in_submission(
    app, client, auth, users, frozen
):
    budget_round = make_round()
    frozen(IN_PROPOSALS)
    first = propose(
        budget_round, users.resident, title="그늘막", body="필요합니다.", category="안전",
        dong=None, place="보라매공원", estimated_cost=10_000_000,
    )  # fmt: skip
    second = propose(
        budget_round, users.resident, title="벤치", body="쉼터", category="복지",
        dong=None, place="도림천", estimated_cost=1_000_000,
    )  # fmt: skip
    auth.login(users.resident)
    edit_url = f"/budget/proposals/{first.proposal_id}/edit"
    form = client.get(edit_url).get_data(as_text=True)
    assert 'value="보라매공원"' in form and 'value="10000000"' in form
    response = client.post(edit_url, data=FORM | {"estimated_cost": "900000000"})
    assert response.status_code == 422 and "500,000,000원 이하로" in response.get_data(as_text=True)
    assert client.post(edit_url, data=FORM).status_code == 303
    db.session.expire_all()
    edited = db.session.get(BudgetProposal, first.proposal_id)
    assert (edited.proposal.title, edited.place, edited.estimated_cost) == (
        FORM["title"],
        FORM["place"],
        30_000_000,
    )
    withdraw_url = f"/budget/proposals/{second.proposal_id}/withdraw"
    assert client.post(withdraw_url).status_code == 303
    assert "벤치" not in client.get("/budget/proposals").get_data(as_text=True)
    auth.logout()

    # Once 자치행정과 has taken it into 부서 검토, the author can change it no more.
    frozen(IN_REVIEW)
    move_phase(edited, Phase.REVIEW, users.autonomy)
    with pytest.raises(OperationError, match="철회한 제안"):
        move_phase(db.session.get(BudgetProposal, second.proposal_id), Phase.REVIEW, users.autonomy)
    auth.login(users.resident)
    page = client.get(f"/budget/proposals/{first.proposal_id}").get_data(as_text=True)
    assert "고치기" not in page and "제안 철회" not in page
    response = client.post(edit_url, data=FORM | {"title": "늦은 수정"}, follow_redirects=True)
    assert "부서 검토가 시작된 제안은 고칠 수 없습니다." in response.get_data(as_text=True)
    response = client.post(f"/budget/proposals/{first.proposal_id}/withdraw", follow_redirects=True)
    assert "부서 검토가 시작된 제안은 철회할 수 없습니다." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Proposal, first.proposal_id).title == FORM["title"]
    assert db.session.get(Proposal, first.proposal_id).state == "gathering"


def test_the_budget_list_filters_by_phase_and_answers_htmx_with_the_results(
    app, client, users, frozen
):
    budget_round = make_round()
    voting = proposal_in_voting(budget_round, users.resident, frozen, users.autonomy, "투표 사업")
    frozen(IN_PROPOSALS)
    propose(
        budget_round, users.resident, title="접수 사업", body="내용", category="안전",
        dong=None, place="어딘가", estimated_cost=1_000,
    )  # fmt: skip
    frozen(IN_VOTE)
    page = client.get("/budget/proposals").get_data(as_text=True)
    assert "투표 사업" in page and "접수 사업" in page and "주민 투표 (1)" in page
    response = client.get("/budget/proposals?phase=voting", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="results"')
    assert f'id="p-{voting.proposal_id}"' in html and "접수 사업" not in html
    # An unknown phase is no filter at all.
    page = client.get("/budget/proposals?phase=launched").get_data(as_text=True)
    assert "투표 사업" in page and "접수 사업" in page
