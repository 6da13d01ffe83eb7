"""Scheduled jobs of the engine (run by `flask gwanak daily`), and a command for each."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from gwanak.core.jobs import Job, run_job_command
from gwanak.core.operations import OperationError
from gwanak.participation import operations as ops
from gwanak.participation.legacy_import import import_proposals

EXPIRE_JOB = Job(
    "participation.expire",
    "공감 모집 기간이 끝난 제안 닫기",
    lambda: {"닫은 제안": ops.expire_stale_proposals()},
)
REMINDER_JOB = Job(
    "participation.answer_reminders",
    "답변 기한 알림",
    lambda: {"알림을 보낸 제안": ops.send_answer_reminders()},
)
PRUNE_JOB = Job(
    "participation.prune",
    "1년 지난 알림·일회용 토큰 정리",
    ops.prune_old_records,
)
JOBS = (EXPIRE_JOB, REMINDER_JOB, PRUNE_JOB)


@click.command("proposals-expire")
@with_appcontext
def proposals_expire_command():
    """Close as 기간 만료 the proposals whose 공감 period ended."""
    run_job_command(EXPIRE_JOB.key, lambda c: f"기간 만료로 닫은 제안: {c['닫은 제안']}건")


@click.command("answer-reminders")
@with_appcontext
def answer_reminders_command():
    """Remind departments of answers falling due (once per proposal)."""
    run_job_command(
        REMINDER_JOB.key, lambda c: f"답변 기한 알림을 보낸 제안: {c['알림을 보낸 제안']}건"
    )


@click.command("reindex")
@with_appcontext
def reindex_command():
    """Rebuild the search index (two-character bigrams) of every proposal."""
    click.echo(f"검색 색인을 다시 만든 제안: {ops.reindex_proposals()}건")


@click.command("import-proposals")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def import_proposals_command(path: str):
    """Import the old portal's proposals from a CSV file (docs/import-proposals.md).

    All or nothing: any bad row and nothing is written. Rows already imported (same
    legacy_id) are skipped, so the same file can be imported again."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        text = handle.read()
    try:
        result = import_proposals(text)
    except OperationError as error:
        click.echo("가져오지 않았습니다. 파일을 고친 뒤 다시 실행하세요:", err=True)
        click.echo(error.message, err=True)
        raise SystemExit(1) from None
    click.echo(
        f"이전 포털 제안 {len(result.imported)}건을 가져왔습니다"
        f" (이미 가져온 {len(result.skipped)}건은 건너뜀)."
    )
