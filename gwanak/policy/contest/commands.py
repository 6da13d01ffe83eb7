"""The contest retention job (run by `flask gwanak daily`) and
`flask --app app gwanak purge-contest-data`: destroy contest entrants' personal data
whose retention period has passed."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from gwanak.core.jobs import Job, run_job_command


def _purge() -> dict[str, int]:
    from gwanak.policy.contest.operations import purge_expired_personal_data

    return {"파기한 응모": purge_expired_personal_data()}


PURGE_JOB = Job("contest.purge", "창의제안 응모자 개인정보 파기", _purge)


@click.command("purge-contest-data")
@with_appcontext
def purge_contest_data_command():
    """Mask names and drop contacts of contest entries past their retention period."""
    run_job_command(
        PURGE_JOB.key,
        lambda c: f"보유 기간이 지난 창의제안 응모자 개인정보 {c['파기한 응모']}건을 파기했습니다.",
    )
