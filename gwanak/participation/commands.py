"""Scheduled jobs of the engine, for cron or a systemd timer."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from gwanak.participation import operations as ops


@click.command("proposals-expire")
@with_appcontext
def proposals_expire_command():
    """Close as 기간 만료 the proposals whose 공감 period ended."""
    click.echo(f"기간 만료로 닫은 제안: {ops.expire_stale_proposals()}건")


@click.command("answer-reminders")
@with_appcontext
def answer_reminders_command():
    """Remind departments of answers falling due (once per proposal)."""
    click.echo(f"답변 기한 알림을 보낸 제안: {ops.send_answer_reminders()}건")


@click.command("reindex")
@with_appcontext
def reindex_command():
    """Rebuild the search index (two-character bigrams) of every proposal."""
    click.echo(f"검색 색인을 다시 만든 제안: {ops.reindex_proposals()}건")
