"""The 예산학교 reminder job (run by `flask gwanak daily`) and
`flask --app app gwanak school-reminders`."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from gwanak.core.jobs import Job, run_job_command


def _remind() -> dict[str, int]:
    from gwanak.budget.operations import send_class_reminders

    return {"알림 메일": sum(1 for _ in send_class_reminders())}


REMINDER_JOB = Job("budget.school_reminders", "예산학교 수업 알림", _remind)


def _forget_tokens() -> dict[str, int]:
    from gwanak.budget.operations import forget_update_tokens

    return {"일회용 토큰": forget_update_tokens()}


TOKEN_JOB = Job("budget.update_tokens", "추진 경과 일회용 토큰 정리", _forget_tokens)


@click.command("school-reminders")
@with_appcontext
def school_reminders_command():
    """Mail registered residents before their 예산학교 class (once each; safe to rerun)."""
    run_job_command(
        REMINDER_JOB.key, lambda c: f"예산학교 알림 메일 {c['알림 메일']}통을 보냈습니다."
    )
