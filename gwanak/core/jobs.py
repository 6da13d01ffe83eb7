"""Periodic jobs: what `flask gwanak daily` runs, and the record of each run.

Each feature declares its jobs (`Feature.jobs`); `daily` runs them in manifest order
(mail delivery last, so it sends what the others queued). A job is a function that
does its work, commits, and returns its counts. Running `daily` twice in a day does
nothing twice: a job that already succeeded today (Korean date) is skipped, and every
job is idempotent by itself too (it claims what it handles), so two runs at once or a
rerun after a crash are safe. One job failing is recorded and does not stop the others.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import JSON, String, Text, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from gwanak.core import clock
from gwanak.core.extensions import db


@dataclass(frozen=True)
class Job:
    """A periodic job. `run()` commits its own work and returns counts to record
    (label → number). `once_a_day`: `daily` skips it after today's successful run;
    False for jobs that should run on every call (mail delivery, which only ever
    sends what is still due). `last`: run after the others."""

    key: str
    label: str
    run: Callable[[], Mapping[str, int] | None]
    once_a_day: bool = True
    last: bool = False


class JobRun(db.Model):
    """One run of one job."""

    __tablename__ = "job_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(60), index=True)
    run_on: Mapped[date] = mapped_column(index=True)  # Korean date of the start
    started_at: Mapped[datetime] = mapped_column(default=clock.now)
    finished_at: Mapped[datetime | None]
    outcome: Mapped[str] = mapped_column(String(10), default="running")  # running|ok|failed
    counts: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    error: Mapped[str | None] = mapped_column(Text)

    OUTCOMES = {"running": "실행 중", "ok": "성공", "failed": "실패"}

    @property
    def outcome_label(self) -> str:
        return self.OUTCOMES.get(self.outcome, self.outcome)


# Runs older than this are deleted by `daily`: the page shows the latest, a year of
# history is plenty to see when something began to fail.
KEEP_RUNS = timedelta(days=365)


def jobs() -> list[Job]:
    """The registered jobs in the order `daily` runs them."""
    from gwanak.core.features import registry

    listed = list(registry().jobs.values())
    return [job for job in listed if not job.last] + [job for job in listed if job.last]


def job(key: str) -> Job:
    from gwanak.core.features import registry

    return registry().jobs[key]


def run_job(one: Job) -> JobRun:
    """Run one job now and record the run. Never raises: a failure is rolled back and
    recorded (outcome 'failed', the error), so the caller can go on with other jobs."""
    started = clock.now()
    record = JobRun(job=one.key, run_on=clock.to_kst(started).date(), started_at=started)
    db.session.add(record)
    db.session.commit()
    record_id = record.id
    try:
        counts = dict(one.run() or {})
    except Exception as exc:  # noqa: BLE001 - recorded; the other jobs still run
        db.session.rollback()
        current_app.logger.exception("job %s failed", one.key)
        record = db.session.get(JobRun, record_id)
        record.outcome = "failed"
        record.error = f"{type(exc).__name__}: {exc}\n\n{traceback.format_exc(limit=8)}"[:4000]
    else:
        record = db.session.get(JobRun, record_id)
        record.outcome = "ok"
        record.counts = {str(k): int(v) for k, v in counts.items()}
    record.finished_at = clock.now()
    db.session.commit()
    return record


def done_today(one: Job) -> bool:
    return (
        db.session.scalar(
            select(JobRun.id)
            .where(JobRun.job == one.key, JobRun.run_on == clock.today(), JobRun.outcome == "ok")
            .limit(1)
        )
        is not None
    )


def run_daily(force: bool = False) -> list[tuple[Job, JobRun | None]]:
    """Run every job once (None: skipped, it already ran today)."""
    results: list[tuple[Job, JobRun | None]] = []
    for one in jobs():
        if one.once_a_day and not force and done_today(one):
            results.append((one, None))
            continue
        results.append((one, run_job(one)))
    db.session.execute(delete(JobRun).where(JobRun.started_at < clock.now() - KEEP_RUNS))
    db.session.commit()
    return results


def last_runs() -> list[tuple[Job, JobRun | None]]:
    """Each registered job with its latest run (for the back office)."""
    latest = {}
    for one in jobs():
        latest[one.key] = db.session.scalars(
            select(JobRun).where(JobRun.job == one.key).order_by(JobRun.id.desc()).limit(1)
        ).first()
    return [(one, latest[one.key]) for one in jobs()]


def describe(run: JobRun) -> str:
    counts = ", ".join(f"{k} {v}" for k, v in run.counts.items()) or "-"
    if run.outcome == "failed":
        return f"실패: {(run.error or '').splitlines()[0] if run.error else ''}"
    return counts


def echo_run(one: Job, run: JobRun | None) -> None:
    if run is None:
        click.echo(f"- {one.label}: 오늘 이미 실행했습니다 (건너뜀)")
    else:
        click.echo(f"- {one.label}: {run.outcome_label} ({describe(run)})", err=run.outcome != "ok")


@click.command("daily")
@click.option("--force", is_flag=True, help="오늘 이미 실행한 작업도 다시 실행")
@with_appcontext
def daily_command(force: bool):
    """Run every periodic job (cron, once a day); a job done today is skipped."""
    results = run_daily(force=force)
    for one, run in results:
        echo_run(one, run)
    failed = [one.label for one, run in results if run is not None and run.outcome == "failed"]
    if failed:
        raise click.ClickException(f"실패한 작업: {', '.join(failed)}")


def run_job_command(key: str, message: Callable[[dict[str, int]], str]) -> None:
    """What a single job's command does: run it now, print what it did, fail loudly."""
    run = run_job(job(key))
    if run.outcome != "ok":
        raise click.ClickException(describe(run))
    click.echo(message(run.counts))
