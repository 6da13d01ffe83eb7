"""`flask gwanak seed-demo`: every feature's demo seeder, in the manifest's order.

Each feature lists its seeders in `Feature.demo`; each seeder is idempotent and yields
lines to print. Accounts come first (the manifest installs accounts first), so later
seeders find the demo people they need.
"""

from __future__ import annotations

from collections.abc import Iterator

import click
from flask.cli import with_appcontext
from sqlalchemy import select, true

from gwanak.core.extensions import db
from gwanak.core.features import registry


def seed_demo() -> Iterator[str]:
    for _feature, seeder in registry().demo:
        lines = seeder()
        if lines:
            yield from lines
        db.session.commit()
    yield "데모 데이터 준비 완료."


def database_is_empty() -> bool:
    """True while no table of the app holds a row (a fresh `flask db upgrade`)."""
    return not any(
        db.session.execute(select(true()).select_from(table).limit(1)).first()
        for table in db.metadata.sorted_tables
    )


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="데이터베이스가 비어 있을 때만 넣음")
@with_appcontext
def seed_demo_command(if_empty: bool):
    """Fill the database with Korean demo content (safe to run again)."""
    if if_empty and not database_is_empty():
        click.echo("데이터가 이미 있어 데모 데이터를 넣지 않았습니다.")
        return
    for line in seed_demo():
        click.echo(line)
