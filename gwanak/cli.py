"""`flask --app app gwanak …` commands."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

gwanak_cli = AppGroup("gwanak", help="온라인 관악청 관리 명령")


@gwanak_cli.command("create-user")
@click.option("--email", required=True)
@click.option("--password", required=True, help="10자 이상")
@click.option("--name", required=True)
@click.option("--role", type=click.Choice(["resident", "staff", "mayor", "admin"]), default="staff")
@click.option("--department", default=None, help="감사담당관 · 기획예산과 · 자치행정과")
@click.option("--dong", "office_dong", default=None, help="동 주민센터 직원이면 동 slug")
def create_user_command(email, password, name, role, department, office_dong):
    """Create a staff, mayor, admin (or resident) account."""
    from gwanak.accounts.operations import AccountError, create_user

    try:
        user = create_user(
            email=email,
            password=password,
            name=name,
            role=role,
            department=department,
            office_dong=office_dong,
        )
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"만들었습니다: #{user.id} {user.email} ({user.role_label} {user.affiliation})")


@gwanak_cli.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="이미 계정이 있으면 아무것도 하지 않음")
def seed_demo_command(if_empty: bool):
    """Fill the database with Korean demo content (safe to run again)."""
    from sqlalchemy import select

    from gwanak.accounts.models import User
    from gwanak.core.extensions import db
    from gwanak.demo import seed_demo

    if if_empty and db.session.scalar(select(User.id).limit(1)) is not None:
        click.echo("데이터가 이미 있어 데모 데이터를 넣지 않았습니다.")
        return

    for line in seed_demo():
        click.echo(line)


def register_cli(app: Flask) -> None:
    app.cli.add_command(gwanak_cli)
    # Features register further commands on gwanak_cli at import time.
    import gwanak.commands  # noqa: F401
