"""정책참여 이벤트: the monthly ranking, confirming winners, payouts, budget, CSV."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from gwanak.accounts.models import Role
from gwanak.core.extensions import db
from gwanak.core.live_figures import live_figure
from gwanak.core.operations import OperationError
from gwanak.participation import operations as part_ops
from gwanak.policy.asks import operations as asks_ops
from gwanak.policy.board import POLICY_BOARD
from gwanak.policy.event import operations as ops
from gwanak.policy.event.models import EventMonth, EventWinner
from tests.conftest import make_user
from tests.query_counter import statements_for

MAY = 202405


def kst(day: int, hour: int = 12, month: int = 5) -> datetime:
    """A moment of 2024-<month>-<day> in Korean time, as naive UTC."""
    return datetime(2024, month, day, hour) - (datetime(2024, 1, 1, 9) - datetime(2024, 1, 1))


def propose(frozen, who, day, hour=12, month=5, title="제안"):
    frozen(kst(day, hour, month))
    return part_ops.create_proposal(
        POLICY_BOARD, who, title=title, body="내용입니다.", category="환경"
    )


def comment(frozen, who, discussion, day, hour=12):
    frozen(kst(day, hour))
    return part_ops.post_comment(discussion, who, "의견입니다.")


def build_may(users, frozen):
    """A month with ties, hidden and deleted items, a former resident now staff,
    and posts just outside the month's edges (Korean time)."""
    people = {k: make_user(name=n) for k, n in
              [("a", "안민수"), ("b", "배수진"), ("c", "차은우"), ("d", "도하나"), ("e", "은지호"),
               ("f", "f김하늘"), ("g", "구본희"), ("h", "한서연"), ("s", "심직원")]}  # fmt: skip
    p = people
    for day in (2, 6, 10):
        propose(frozen, p["a"], day)  # A: 3, last on the 10th
    for day in (3, 5, 8):
        propose(frozen, p["b"], day)  # B: 3, last on the 8th → ahead of A
    c_posts = [propose(frozen, p["c"], day) for day in (4, 9, 12, 18)]
    part_ops.hide_proposal(c_posts[0], users.planning, "욕설")  # C: 2 visible, last on the 12th
    for day in (1, 5):
        propose(frozen, p["d"], day)  # D: 2, last on the 5th → ahead of C
    propose(frozen, p["e"], 30, 23, month=4)  # 2024-04-30 23:00 KST: April
    for hour in (0, 1):
        propose(frozen, p["e"], 1, hour, month=6)  # 2024-06-01 KST: June
    propose(frozen, p["e"], 31, 23)  # one in May
    for day in (2, 3, 4, 5, 6):
        propose(frozen, p["s"], day)  # five, but the account is staff now

    frozen(kst(1, 9))
    agenda = asks_ops.post_agenda(
        users.planning,
        asks_ops.AgendaFields("general", "의제", "내용", date(2024, 5, 1), date(2024, 5, 31)),
    )
    db.session.commit()
    target = c_posts[1].discussion
    f_comments = [comment(frozen, p["f"], agenda.discussion, day) for day in (3, 7, 11, 15)]
    part_ops.delete_comment(f_comments[0], p["f"])  # F: 3, last on the 15th
    for day in (2, 9, 14):
        comment(frozen, p["g"], target, day)  # G: 3, last on the 14th → ahead of F
    h_comments = [comment(frozen, p["h"], agenda.discussion, day) for day in range(1, 6)]
    for c in h_comments[:3]:
        part_ops.hide_comment(c, users.planning, "광고")  # H: 2
    hidden_target = c_posts[3].discussion
    for day in (13, 14, 15, 16):
        comment(frozen, p["a"], hidden_target, day)
    frozen(kst(20))
    part_ops.hide_proposal(c_posts[3], users.planning, "개인정보")  # A's 4 comments stop counting
    for day in range(2, 8):
        comment(frozen, p["s"], agenda.discussion, day)
    people["s"].role = Role.STAFF
    people["s"].department = "기획예산과"
    db.session.commit()
    return people


def test_one_month_ranking_picks_exactly_three_proposers_and_two_commenters(app, users, frozen):
    p = build_may(users, frozen)
    frozen(datetime(2024, 6, 3))
    ranking = ops.rank_month(MAY)
    assert [(r.name, r.count) for r in ranking.winners("proposal")] == [
        ("배수진", 3),
        ("안민수", 3),
        ("도하나", 2),
    ]
    assert [(r.name, r.count) for r in ranking.proposals[3:5]] == [("차은우", 2), ("은지호", 1)]
    assert [(r.name, r.count) for r in ranking.winners("comment")] == [
        ("구본희", 3),
        ("f김하늘", 3),
    ]
    assert [(r.name, r.count) for r in ranking.comments[2:]] == [("한서연", 2)]
    assert p["s"].id not in {r.user_id for r in ranking.proposals + ranking.comments}

    record = ops.confirm_month(MAY, users.planning)
    assert record.winner_count == 5
    assert [(w.category, w.rank, w.user.name, w.amount) for w in record.winners] == [
        ("proposal", 1, "배수진", 20000), ("proposal", 2, "안민수", 20000), ("proposal", 3, "도하나", 20000),
        ("comment", 1, "구본희", 20000), ("comment", 2, "f김하늘", 20000),
    ]  # fmt: skip
    with pytest.raises(OperationError, match="이미 확정"):
        ops.confirm_month(MAY, users.planning)


def test_a_month_can_have_no_winner_and_the_minimum_is_a_setting(app, users, frozen):
    from gwanak.core.settings import set_setting

    resident = make_user(name="김하나")
    propose(frozen, resident, 10)
    set_setting("event.min_proposals", 2)
    db.session.commit()
    frozen(datetime(2024, 6, 2))
    assert ops.rank_month(MAY).winners("proposal") == []
    record = ops.confirm_month(202308, users.planning)  # 2023-08: no winner, as on the card
    assert record.winner_count == 0
    assert live_figure("policy.event_months_per_year", 2023) == 1


def test_months_outside_the_period_or_not_finished_are_refused(app, users, frozen):
    frozen(datetime(2024, 5, 20))
    with pytest.raises(OperationError, match="끝난 뒤"):
        ops.confirm_month(MAY, users.planning)
    with pytest.raises(OperationError, match="기간이 아닙니다"):
        ops.confirm_month(202206, users.planning)
    assert db.session.query(EventMonth).count() == 0


def test_payouts_budget_and_csv(app, users, frozen, client, auth):
    build_may(users, frozen)
    frozen(datetime(2024, 6, 3))
    ops.confirm_month(MAY, users.planning)
    winner = db.session.query(EventWinner).filter_by(category="comment", rank=1).one()
    auth.login(users.planning)
    bad = client.post(f"/policy/event/staff/winners/{winner.id}/payout", data={"paid_on": ""})
    assert bad.status_code == 303 and db.session.get(EventWinner, winner.id).paid_on is None
    ok = client.post(
        f"/policy/event/staff/winners/{winner.id}/payout", data={"paid_on": "2024-06-03"}
    )
    assert ok.status_code == 303
    again = client.post(
        f"/policy/event/staff/winners/{winner.id}/payout",
        data={"paid_on": "2024-06-03"},
        follow_redirects=True,
    )
    assert "이미 지급을 기록했습니다" in again.get_data(as_text=True)
    budget = ops.budget_of(2024)
    assert (budget.paid, budget.confirmed, budget.budget) == (20000, 100000, 1_200_000)
    page = client.get("/policy/event/staff?month=2024-05").get_data(as_text=True)
    assert "지급 20,000원 / 예산 1,200,000원" in page
    csv_text = client.get("/policy/event/staff/2024-05.csv").get_data(as_text=True)
    lines = csv_text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("월,부문,순위,이름,건수")
    assert "2024-05,댓글 우수,1,구본희,3" in csv_text and "2024-06-03" in csv_text
    auth.logout()
    public = client.get("/policy/event").get_data(as_text=True)
    assert "구*희 (댓글 우수)" in public and "구본희" not in public and "2024년 5월" in public


@pytest.mark.parametrize("who", ["autonomy", "resident", "boramae", "mayor"])
def test_only_the_planning_department_runs_the_event(app, users, client, auth, frozen, who):
    frozen(datetime(2024, 6, 3))
    auth.login(getattr(users, who))
    assert client.get("/policy/event/staff").status_code == 403
    assert client.post("/policy/event/staff/2024-05/confirm").status_code == 403
    assert client.get("/policy/event/staff/2024-05.csv").status_code == 403
    assert db.session.query(EventMonth).count() == 0


def test_confirming_on_the_web_and_bad_months(app, users, client, auth, frozen):
    build_may(users, frozen)
    frozen(datetime(2024, 6, 3))
    auth.login(users.planning)
    assert client.get("/policy/event/staff?month=2024-13").status_code == 404
    assert client.post("/policy/event/staff/2024-05/confirm").status_code == 303
    assert db.session.get(EventMonth, MAY).winner_count == 5
    page = client.post("/policy/event/staff/2024-05/confirm", follow_redirects=True).get_data(
        as_text=True
    )
    assert "이미 확정했습니다" in page


def test_the_public_winners_page_uses_the_same_queries_for_few_and_many_months(
    app, users, frozen, client
):
    frozen(datetime(2026, 7, 2))

    def confirm_with_winners(months):
        for month in months:
            start, _ = ops.month_bounds(month)
            for n in range(3):
                frozen(start + (datetime(2024, 1, 2) - datetime(2024, 1, 1)) * (n + 1))
                part_ops.create_proposal(POLICY_BOARD, make_user(name=f"주민{month}{n}"), title="제안",
                                         body="내용", category="환경")  # fmt: skip
            frozen(datetime(2026, 7, 2))
            ops.confirm_month(month, users.planning)

    confirm_with_winners([202207, 202208])
    db.session.expire_all()
    few = statements_for(client, "/policy/event")
    confirm_with_winners([202209, 202210, 202211, 202212, 202301, 202302])
    db.session.expire_all()
    assert statements_for(client, "/policy/event") == few


@pytest.mark.skipif(
    not __import__("tests.conftest").conftest.is_postgres(), reason="PostgreSQL only"
)
def test_two_staff_confirming_a_month_at_once_confirm_it_once(app, users, frozen):
    import threading

    build_may(users, frozen)
    frozen(datetime(2024, 6, 3))
    staff_id = users.planning.id
    results = []

    def confirm():
        with app.app_context():
            from gwanak.accounts.models import User

            try:
                ops.confirm_month(MAY, db.session.get(User, staff_id))
                results.append("ok")
            except OperationError:
                results.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=confirm) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "refused", "refused", "refused"]
    assert db.session.query(EventWinner).count() == 5


def test_each_confirmed_winner_is_mailed_once(app, users, frozen):
    from sqlalchemy import select

    from gwanak.core.mail import OutboxMail

    p = build_may(users, frozen)
    frozen(datetime(2024, 6, 3))
    ops.confirm_month(MAY, users.planning)
    with pytest.raises(OperationError):
        ops.confirm_month(MAY, users.planning)  # refused: nobody is told twice
    mails = db.session.scalars(
        select(OutboxMail).where(OutboxMail.subject.contains("당첨")).order_by(OutboxMail.id)
    ).all()
    winners = [p[k] for k in "badgf"]
    assert [m.to_user_id for m in mails] == [w.id for w in winners]
    assert {m.subject for m in mails} == {
        "[온라인 관악청] 2024년 5월 정책참여 이벤트에 당첨되셨습니다"
    }
    assert "'제안 우수' 부문" in mails[0].body and "20,000원" in mails[0].body
    assert "'댓글 우수' 부문" in mails[-1].body and "/policy/event" in mails[-1].body
    assert all(m.sent_at is None for m in mails)  # queued; `send-mail` delivers them
