"""`flask --app app gwanak school-reminders`: the 예산학교 reminder run a scheduler calls."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.command("school-reminders")
@with_appcontext
def school_reminders_command():
    """Mail registered residents before their 예산학교 class (once each; safe to rerun)."""
    from gwanak.budget.operations import send_class_reminders

    sent = 0
    for line in send_class_reminders():
        click.echo(line)
        sent += 1
    click.echo(f"예산학교 알림 메일 {sent}통을 보냈습니다.")
