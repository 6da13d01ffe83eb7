"""`flask gwanak daily`: every feature's jobs, once a day, each run recorded; a failing
job is recorded and the others still run; the back office shows each job's last run."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

import gwanak.participation.operations as participation_ops
from gwanak.budget.operations import register_for_class
from gwanak.core.extensions import db
from gwanak.core.features import Feature, Registry, RegistryError, registry
from gwanak.core.jobs import Job, JobRun, jobs
from gwanak.core.mail import OutboxMail
from tests.factories import make_class, make_user

NOW = datetime(2026, 3, 2, 0, 30)  # 09:30 in Korea
EXPECTED = [
    "accounts.purge_stale",
    "participation.expire",
    "participation.answer_reminders",
    "participation.prune",
    "cheong.purge",
    "contest.purge",
    "budget.school_reminders",
    "budget.update_tokens",
    "mail.deliver",
]


def _runs(job: str | None = None) -> list[JobRun]:
    query = select(JobRun).order_by(JobRun.id)
    if job:
        query = query.where(JobRun.job == job)
    return list(db.session.scalars(query))


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_features_declare_the_jobs_and_mail_goes_last(app):
    assert [job.key for job in jobs()] == EXPECTED
    assert set(registry().jobs) == set(EXPECTED)


def test_two_features_cannot_declare_one_job():
    table = Registry()
    table.add(Feature(name="a", jobs=(Job("x", "작업", dict),)))
    with pytest.raises(RegistryError, match="job 'x'"):
        table.add(Feature(name="b", jobs=(Job("x", "작업", dict),)))


def test_daily_runs_each_job_once_a_day_and_records_it(app, runner, frozen):
    frozen(NOW)
    soon = make_class(capacity=3, starts_in=timedelta(hours=20))
    resident = make_user(name="박예산")
    register_for_class(soon.id, resident)
    before = _count(OutboxMail)  # the registration's own confirmation

    result = runner.invoke(args=["gwanak", "daily"])
    assert result.exit_code == 0, result.output
    assert "예산학교 수업 알림: 성공 (알림 메일 1)" in result.output
    runs = _runs()
    assert [r.job for r in runs] == EXPECTED
    assert all(r.outcome == "ok" and r.finished_at == NOW for r in runs)
    assert all(str(r.run_on) == "2026-03-02" for r in runs)
    assert _runs("budget.school_reminders")[0].counts == {"알림 메일": 1}
    assert _count(OutboxMail) == before + 1

    frozen(NOW + timedelta(hours=3))
    again = runner.invoke(args=["gwanak", "daily"])
    assert again.exit_code == 0, again.output
    assert again.output.count("오늘 이미 실행했습니다") == len(EXPECTED) - 1
    # Only mail delivery runs on every call; nothing else was done twice.
    assert [r.job for r in _runs()] == EXPECTED + ["mail.deliver"]
    assert _count(OutboxMail) == before + 1

    frozen(NOW + timedelta(days=1))  # the next Korean day: every job runs again
    assert runner.invoke(args=["gwanak", "daily"]).exit_code == 0
    assert len(_runs()) == 2 * len(EXPECTED) + 1
    assert _runs("budget.school_reminders")[-1].counts == {"알림 메일": 0}  # reminded once
    assert _count(OutboxMail) == before + 1


def test_a_failing_job_is_recorded_and_the_others_still_run(app, runner, frozen, monkeypatch):
    frozen(NOW)

    def broken() -> int:
        db.session.add(OutboxMail(to_address="x@example.com", subject="반쯤", body="반쯤"))
        db.session.flush()
        raise RuntimeError("데이터베이스 연결이 끊겼습니다")

    monkeypatch.setattr(participation_ops, "expire_stale_proposals", broken)
    result = runner.invoke(args=["gwanak", "daily"])
    assert result.exit_code != 0
    assert "실패한 작업: 공감 모집 기간이 끝난 제안 닫기" in result.output
    runs = {r.job: r for r in _runs()}
    assert list(runs) == EXPECTED  # the others ran after it
    failed = runs["participation.expire"]
    assert failed.outcome == "failed" and failed.finished_at == NOW
    assert "RuntimeError: 데이터베이스 연결이 끊겼습니다" in failed.error
    assert all(r.outcome == "ok" for key, r in runs.items() if key != "participation.expire")
    assert _count(OutboxMail) == 0  # the failed job's half-done work was rolled back

    # A failed job is not done: the next run the same day tries it again.
    monkeypatch.undo()
    frozen(NOW + timedelta(hours=1))
    assert runner.invoke(args=["gwanak", "daily"]).exit_code == 0
    assert [r.outcome for r in _runs("participation.expire")] == ["failed", "ok"]
    assert len(_runs("cheong.purge")) == 1


def test_a_single_job_command_records_its_run_too(app, runner, frozen):
    frozen(NOW)
    result = runner.invoke(args=["gwanak", "proposals-expire"])
    assert result.exit_code == 0 and "0건" in result.output
    assert [(r.job, r.outcome, r.counts) for r in _runs()] == [
        ("participation.expire", "ok", {"닫은 제안": 0})
    ]


def test_admins_see_each_jobs_last_run(app, client, auth, users, runner, frozen, monkeypatch):
    frozen(NOW)
    runner.invoke(args=["gwanak", "daily"])
    monkeypatch.setattr(
        participation_ops,
        "send_answer_reminders",
        lambda: (_ for _ in ()).throw(RuntimeError("메일 서버 설정 오류")),
    )
    frozen(NOW + timedelta(days=1))
    runner.invoke(args=["gwanak", "daily"])
    auth.login(users.admin)
    index = client.get("/staff/").get_data(as_text=True)
    assert 'href="/staff/jobs"' in index
    response = client.get("/staff/jobs")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for job in jobs():
        assert job.label in page
    assert "예산학교 수업 알림" in page and "알림 메일 0" in page
    assert page.count("성공") == len(EXPECTED) - 1
    assert "실패" in page and "RuntimeError: 메일 서버 설정 오류" in page
    assert "2026-03-03 09:30" in page  # the latest run, in Korean time


@pytest.mark.parametrize("who", ["planning", "resident", "mayor"])
def test_the_job_page_is_for_admins_only(client, auth, users, who):
    auth.login(getattr(users, who))
    assert client.get("/staff/jobs").status_code == 403


def test_the_job_page_wants_a_login(client):
    assert client.get("/staff/jobs").status_code in (302, 401)


def test_the_job_page_before_any_run(client, auth, users):
    auth.login(users.admin)
    page = client.get("/staff/jobs").get_data(as_text=True)
    assert page.count("아직 실행한 적이 없습니다") == len(EXPECTED)


def test_daily_forgets_runs_older_than_a_year(app, runner, frozen):
    frozen(NOW)
    runner.invoke(args=["gwanak", "daily"])
    frozen(NOW + timedelta(days=200))
    runner.invoke(args=["gwanak", "daily"])
    assert len(_runs()) == 2 * len(EXPECTED)
    frozen(NOW + timedelta(days=366))
    runner.invoke(args=["gwanak", "daily"])
    assert {str(r.run_on) for r in _runs()} == {"2026-09-18", "2027-03-03"}
