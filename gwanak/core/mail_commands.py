"""`flask gwanak send-mail` and the daily job that delivers the outbox."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from gwanak.core.jobs import Job, run_job_command
from gwanak.core.mail import deliver_outbox, mail_due, smtp_configured


def deliver() -> dict[str, int]:
    return deliver_outbox().counts()


# Every run sends what is due (a retry's wait may end any time), so not once a day;
# last, so the mails the other jobs queued go out in the same run.
MAIL_JOB = Job("mail.deliver", "메일 발송", deliver, once_a_day=False, last=True)


@click.command("send-mail")
@with_appcontext
def send_mail_command():
    """Deliver the queued mail (cron, e.g. every 5 minutes); failures wait and retry."""
    if not smtp_configured():
        click.echo("SMTP_HOST가 설정되지 않아 메일을 보내지 않았습니다 (메일함에 보관).")
        return
    if not mail_due():
        # Not recorded: run every few minutes, an idle run would bury the real ones.
        click.echo("보낼 메일이 없습니다.")
        return
    run_job_command(
        MAIL_JOB.key,
        lambda c: (
            f"메일 {c['보냄']}통을 보냈습니다. 재시도 대기 {c['재시도 대기']}통, "
            f"발송 포기 {c['발송 포기']}통."
        ),
    )
