"""The retention job (run by `flask gwanak daily`) and `flask --app app gwanak purge-expired`."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from gwanak.core.jobs import Job, run_job_command


def _purge() -> dict[str, int]:
    from gwanak.cheong.retention import purge_expired

    summary = purge_expired()
    return {"데이트 신청": summary["applications"], "방문자 해시": summary["visitor_hashes"]}


PURGE_JOB = Job("cheong.purge", "보유 기간이 지난 개인정보 파기 (소통데이트, 방문 기록)", _purge)


@click.command("purge-expired")
@with_appcontext
def purge_expired_command():
    """Remove personal data whose retention period is over (public records stay)."""
    run_job_command(
        PURGE_JOB.key,
        lambda c: (
            f"보유 기간이 지난 데이트 신청 {c['데이트 신청']}건의 개인정보를 지웠습니다. "
            f"지난 날의 방문자 해시 {c['방문자 해시']}개를 지웠습니다."
        ),
    )
