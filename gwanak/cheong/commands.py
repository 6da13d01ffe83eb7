"""`flask --app app gwanak purge-expired`."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.command("purge-expired")
@with_appcontext
def purge_expired_command():
    """Remove personal data whose retention period is over (public records stay)."""
    from gwanak.cheong.retention import purge_expired

    summary = purge_expired()
    click.echo(
        f"보유 기간이 지난 데이트 신청 {summary['applications']}건의 개인정보를 지웠습니다. "
        f"지난 날의 방문자 해시 {summary['visitor_hashes']}개를 지웠습니다."
    )
