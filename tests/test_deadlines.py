"""Answer deadlines, 공감 periods and reminders, with a frozen clock."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from gwanak.core.extensions import db
from gwanak.core.mail import OutboxMail
from gwanak.core.operations import OperationError
from gwanak.participation import operations as ops
from gwanak.participation.queries import deadline_stats, review_queue
from tests.factories import gonggam, proposal, residents

START = datetime(2026, 3, 2, 1, 0)


def _to_review(p, frozen, at):
    frozen(at)
    gonggam(p, residents(5))
    db.session.refresh(p)
    assert p.state == "review"


def test_an_unanswered_proposal_becomes_overdue_goes_first_and_counts_as_late(
    client, auth, users, frozen
):
    frozen(START)
    older = proposal(users.resident, title="먼저 들어왔지만 기한이 남은 제안")
    late = proposal(users.resident, title="기한을 넘길 제안")
    _to_review(late, frozen, START)
    _to_review(older, frozen, START + timedelta(days=10))

    frozen(START + timedelta(days=31))
    html = client.get(f"/policy/proposals/{late.id}").get_data(as_text=True)
    assert "답변 기한 초과" in html and "2026-04-01" in html  # due 30 days after review began
    assert "답변 기한 초과" not in client.get(f"/policy/proposals/{older.id}").get_data(
        as_text=True
    )
    assert [p.id for p in review_queue("기획예산과")] == [late.id, older.id]
    auth.login(users.planning)
    queue = client.get("/staff/participation/review").get_data(as_text=True)
    assert queue.index("기한을 넘길 제안") < queue.index("먼저 들어왔지만")
    stats = {s.department: s for s in deadline_stats()}["기획예산과"]
    assert (stats.overdue, stats.waiting, stats.late) == (1, 1, 0)

    client.post(
        f"/staff/participation/proposals/{late.id}",
        data={"outcome": "reference", "body": "참고하겠습니다."},
    )
    assert "답변 기한 초과" not in client.get(f"/policy/proposals/{late.id}").get_data(as_text=True)
    stats = {s.department: s for s in deadline_stats()}["기획예산과"]
    assert (stats.overdue, stats.late, stats.on_time, stats.median_days) == (0, 1, 0, 31.0)
    assert "기한 후 답변" in client.get("/staff/participation/stats").get_data(as_text=True)


def test_a_proposal_without_enough_gonggam_expires_after_its_period(client, runner, users, frozen):
    frozen(START)
    p = proposal(users.resident)
    ops.give_gonggam(p, users.neighbour)
    frozen(START + timedelta(days=30, minutes=1))
    # Shown as expired at once, and 공감 is refused …
    assert "기간 만료" in client.get(f"/policy/proposals/{p.id}").get_data(as_text=True)
    late_supporter = residents(1)[0]
    try:
        ops.give_gonggam(p, late_supporter)
    except OperationError as error:
        assert "모집 기간이 끝났거나" in error.message
    else:
        raise AssertionError("공감 after the period must be refused")
    # … and the scheduled job closes it for good, telling the author once.
    result = runner.invoke(args=["gwanak", "proposals-expire"])
    assert "1건" in result.output
    assert "0건" in runner.invoke(args=["gwanak", "proposals-expire"]).output
    db.session.refresh(p)
    assert p.state == "expired" and p.gonggam_count == 1
    mails = db.session.scalars(
        select(OutboxMail.subject).where(OutboxMail.to_user_id == users.resident.id)
    ).all()
    assert mails.count("[온라인 관악청] 제안의 공감 모집 기간이 끝났습니다") == 1


def test_reminders_go_to_the_department_once_before_the_due_date(runner, users, frozen):
    frozen(START)
    p = proposal(users.resident)
    _to_review(p, frozen, START)
    frozen(START + timedelta(days=20))
    assert "0건" in runner.invoke(args=["gwanak", "answer-reminders"]).output
    frozen(START + timedelta(days=26))
    assert "1건" in runner.invoke(args=["gwanak", "answer-reminders"]).output
    assert "0건" in runner.invoke(args=["gwanak", "answer-reminders"]).output
    to_planning = db.session.scalars(
        select(OutboxMail).where(OutboxMail.to_user_id == users.planning.id)
    ).all()
    assert len(to_planning) == 1 and "2026-04-01" in to_planning[0].body
    assert (
        db.session.scalar(select(OutboxMail).where(OutboxMail.to_user_id == users.audit.id)) is None
    )


def test_thresholds_are_settings_an_admin_changes(client, auth, users):
    auth.login(users.admin)
    html = client.get("/staff/settings").get_data(as_text=True)
    assert "부서 검토로 넘어가는 공감 수" in html
    form = {key: value for key, value in _current_settings(html).items()}
    form["board.policy.review_gonggam"] = "2"
    assert client.post("/staff/settings", data=form).status_code == 303
    auth.logout()
    p = proposal(users.resident)
    gonggam(p, residents(2))
    db.session.refresh(p)
    assert p.state == "review"


def _current_settings(html: str) -> dict[str, str]:
    import re

    return dict(
        re.findall(r'name="([a-z_.]+)" type="number" inputmode="numeric" value="(\d+)"', html)
    )
