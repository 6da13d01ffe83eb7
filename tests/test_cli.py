"""CLI: staff accounts and demo data."""

from __future__ import annotations

from sqlalchemy import func, select

from gwanak.accounts.models import User
from gwanak.core.extensions import db
from gwanak.manifesto.models import Pledge
from gwanak.manifesto.rates import pledge_report
from gwanak.pages.models import Page


def test_create_user_makes_a_staff_account_with_a_department(runner):
    result = runner.invoke(
        args=[
            "gwanak",
            "create-user",
            "--email",
            "s@example.com",
            "--password",
            "staff-password-1",
            "--name",
            "박주무관",
            "--role",
            "staff",
            "--department",
            "기획예산과",
        ]  # fmt: skip
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "s@example.com"))
    assert user.role == "staff" and user.department == "기획예산과"


def test_create_user_for_a_dong_office_and_bad_input(runner):
    ok = runner.invoke(
        args=[
            "gwanak",
            "create-user",
            "--email",
            "d@example.com",
            "--password",
            "staff-password-1",
            "--name",
            "동직원",
            "--role",
            "staff",
            "--dong",
            "sillim",
        ]  # fmt: skip
    )
    assert ok.exit_code == 0, ok.output
    assert (
        db.session.scalar(select(User.office_dong).where(User.email == "d@example.com")) == "sillim"
    )
    no_department = runner.invoke(
        args=[
            "gwanak",
            "create-user",
            "--email",
            "x@example.com",
            "--password",
            "staff-password-1",
            "--name",
            "x",
            "--role",
            "staff",
        ]  # fmt: skip
    )
    assert no_department.exit_code != 0 and "부서" in no_department.output
    taken = runner.invoke(
        args=[
            "gwanak",
            "create-user",
            "--email",
            "d@example.com",
            "--password",
            "staff-password-1",
            "--name",
            "x",
            "--role",
            "admin",
        ]  # fmt: skip
    )
    assert taken.exit_code != 0 and "이미 가입된" in taken.output


def test_seed_demo_fills_every_page_and_is_idempotent(runner):
    first = runner.invoke(args=["gwanak", "seed-demo"])
    assert first.exit_code == 0, first.output
    counts = (
        db.session.scalar(select(func.count(User.id))),
        db.session.scalar(select(func.count(Page.id))),
    )
    # The menus' 12 pages, the 21 동 pages and the 4 site pages the footer links to.
    assert counts[1] == 12 + 21 + 4
    second = runner.invoke(args=["gwanak", "seed-demo"])
    assert second.exit_code == 0, second.output
    assert (
        db.session.scalar(select(func.count(User.id))),
        db.session.scalar(select(func.count(Page.id))),
    ) == counts


def test_seed_demo_loads_the_pledge_card_once(runner, app):
    assert "공약 카드 6-1-1" in runner.invoke(args=["gwanak", "seed-demo"]).output
    count = db.session.scalar(select(func.count(Pledge.id)))
    assert count >= 1
    assert "공약 카드" not in runner.invoke(args=["gwanak", "seed-demo"]).output
    assert db.session.scalar(select(func.count(Pledge.id))) == count
    card = db.session.scalar(select(Pledge).where(Pledge.code == "6-1-1"))
    assert str(pledge_report(card, this_year=2023).total_rate) == "20.0"  # as the card prints


def test_demo_accounts_can_log_in(runner, client, app):
    from pathlib import Path

    runner.invoke(args=["gwanak", "seed-demo"])
    note = Path(app.config["DEMO_ACCOUNTS_FILE"]).read_text(encoding="utf-8")
    password = note.split("비밀번호: ", 1)[1].split()[0]
    response = client.post(
        "/auth/login", data={"email": "kim@demo.gwanak.example", "password": password}
    )
    assert response.status_code == 303
    assert "김철우님" in client.get("/").get_data(as_text=True)
