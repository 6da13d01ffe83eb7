"""`flask --app app gwanak purge-contest-data`: destroy contest entrants' personal data
whose retention period has passed (run it from cron, e.g. monthly)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.command("purge-contest-data")
@with_appcontext
def purge_contest_data_command():
    """Mask names and drop contacts of contest entries past their retention period."""
    from gwanak.policy.contest.operations import purge_expired_personal_data

    changed = purge_expired_personal_data()
    click.echo(f"보유 기간이 지난 창의제안 응모자 개인정보 {changed}건을 파기했습니다.")
