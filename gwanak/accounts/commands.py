"""`flask --app app gwanak create-user`: staff, mayor and admin accounts are made here or
by an admin in the back office, never by self sign-up."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from gwanak.accounts.models import Role


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--password", required=True, help="10자 이상")
@click.option("--name", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.STAFF.value)
@click.option("--department", default=None, help="부서 이름 (예: 기획예산과)")
@click.option("--dong", "office_dong", default=None, help="동 주민센터 직원이면 동 slug")
@with_appcontext
def create_user_command(email, password, name, role, department, office_dong):
    """Create a staff, mayor, admin (or resident) account."""
    from gwanak.accounts.operations import create_user
    from gwanak.core.operations import OperationError

    try:
        user = create_user(
            email=email,
            password=password,
            name=name,
            role=role,
            department=department,
            office_dong=office_dong,
        )
    except OperationError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"만들었습니다: #{user.id} {user.email} ({user.role_label} {user.affiliation})")


@click.command("load-organisation")
@with_appcontext
def load_organisation_command():
    """Add the departments of gwanak/data/organisation.json not stored yet (idempotent)."""
    from gwanak.accounts.organisation import load_organisation

    added = load_organisation()
    click.echo(f"부서 {added}곳을 더했습니다." if added else "더할 부서가 없습니다.")
