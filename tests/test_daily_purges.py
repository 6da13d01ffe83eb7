"""The periodic clean-ups `flask gwanak daily` runs: spent reset links and quiet log-in
throttles, notifications older than a year, one-time form tokens; a second run (the
next day, or --force) deletes nothing more."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from gwanak.accounts.models import LoginThrottle, PasswordResetToken
from gwanak.budget.models import ProjectUpdate
from gwanak.budget.operations import add_project_update
from gwanak.core.extensions import db
from gwanak.core.jobs import JobRun
from gwanak.participation import operations as part_ops
from gwanak.participation.models import Comment, Notification, Proposal
from tests.factories import add_project, proposal

START = datetime(2025, 1, 6, 1, 0)  # a Monday, 10:00 in Korea
LATER = datetime(2026, 1, 20, 1, 0)  # more than a year on


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _daily(runner, *extra):
    result = runner.invoke(args=["gwanak", "daily", *extra])
    assert result.exit_code == 0, result.output
    return result.output


def _notify(discussion_id: int, text: str) -> None:
    part_ops.notify_followers(discussion_id, "answered", "[온라인 관악청] 알림", text)
    db.session.commit()


def test_daily_purges_what_has_served_its_time_and_a_rerun_changes_nothing(
    app, users, frozen, runner
):
    frozen(START)
    old = proposal(users.resident, client_token="t-old-proposal")
    part_ops.follow(old.discussion, users.neighbour)
    part_ops.post_comment(old.discussion, users.neighbour, "저도 같은 생각입니다.")
    db.session.execute(
        Comment.__table__.update().values(client_token="t-old-comment")  # as a form leaves it
    )
    _notify(old.discussion_id, "오래된 알림")
    db.session.add_all(
        [
            PasswordResetToken(
                user_id=users.resident.id,
                token_hash="a" * 64,
                expires_at=START + timedelta(hours=1),
            ),
            LoginThrottle(key="b" * 64, failures=3, last_failure_at=START),
        ]
    )
    add_project_update(add_project(users.autonomy), date(2025, 1, 6), "착공했습니다.",
                       users.autonomy.id, client_token="t-old-update")  # fmt: skip
    db.session.commit()

    frozen(LATER)
    fresh = PasswordResetToken(
        user_id=users.resident.id, token_hash="c" * 64, expires_at=LATER + timedelta(hours=1)
    )
    db.session.add_all([fresh, LoginThrottle(key="d" * 64, failures=1, last_failure_at=LATER)])
    _notify(old.discussion_id, "새 알림")
    recent = proposal(users.neighbour, title="공원 벤치를 늘려 주세요", client_token="t-new")

    stale = _count(Notification, Notification.created_at < LATER - timedelta(days=365))
    kept = _count(Notification) - stale
    assert stale >= 1 and kept >= 1
    output = _daily(runner)
    assert f"1년 지난 알림·일회용 토큰 정리: 성공 (지난 알림 {stale}, 일회용 토큰 2)" in output
    assert (
        "만료된 재설정 링크·로그인 제한 기록 정리: 성공 (재설정 링크 1, 로그인 제한 기록 1)"
        in output
    )
    assert "추진 경과 일회용 토큰 정리: 성공 (일회용 토큰 1)" in output
    texts = [n.text for n in db.session.scalars(select(Notification))]
    assert "새 알림" in texts and "오래된 알림" not in texts
    after_first = len(texts)
    assert [t.token_hash for t in db.session.scalars(select(PasswordResetToken))] == ["c" * 64]
    assert [t.key for t in db.session.scalars(select(LoginThrottle))] == ["d" * 64]
    assert _count(Proposal, Proposal.client_token.is_not(None)) == 1
    assert db.session.get(Proposal, recent.id).client_token == "t-new"
    assert _count(Comment, Comment.client_token.is_not(None)) == 0
    assert _count(ProjectUpdate, ProjectUpdate.client_token.is_not(None)) == 0
    assert _count(ProjectUpdate) == 1  # the note itself stays

    output = _daily(runner, "--force")
    assert "(지난 알림 0, 일회용 토큰 0)" in output
    assert "(재설정 링크 0, 로그인 제한 기록 0)" in output
    assert "추진 경과 일회용 토큰 정리: 성공 (일회용 토큰 0)" in output
    assert _count(Notification) == after_first and _count(PasswordResetToken) == 1
    assert _count(JobRun, JobRun.job == "participation.prune", JobRun.outcome == "ok") == 2
