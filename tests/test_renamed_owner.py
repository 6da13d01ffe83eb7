"""A menu owner renamed through the organisation keeps its powers: menus.json still
names it by its old name, and the checks accept the name it had before."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from gwanak.accounts.models import Department, User
from gwanak.accounts.organisation import rename_department
from gwanak.core.extensions import db
from gwanak.policy.asks import operations as asks
from tests.factories import make_agenda

OPEN_DAY = datetime(2026, 3, 10, 3, 0)  # 2026-03-10 12:00 KST


def _rename(old: str, new: str, admin) -> None:
    found = db.session.scalar(select(Department).where(Department.name == old))
    rename_department(found, new, None, admin)


def test_renamed_planning_staff_still_post_and_manage_agendas(app, users, frozen, client, auth):
    frozen(OPEN_DAY)
    before = make_agenda(users.planning)
    _rename("기획예산과", "기획재정과", users.admin)
    planning = db.session.get(User, users.planning.id)
    assert planning.department == "기획재정과"
    assert asks.may_post(planning, "general") and asks.may_post(planning, "governance")
    after = make_agenda(planning, title="낙성대공원 반려견 놀이터, 필요할까요?")
    assert after.department == "기획재정과"
    auth.login(planning)
    assert client.get("/policy/asks/new").status_code == 200
    for agenda in (before, after):
        assert client.get(f"/policy/asks/{agenda.id}/manage").status_code == 200


def test_renamed_autonomy_staff_still_post_governance_agendas_only(app, users, frozen):
    frozen(OPEN_DAY)
    _rename("자치행정과", "자치협력과", users.admin)
    autonomy = db.session.get(User, users.autonomy.id)
    assert asks.may_post(autonomy, "governance") and not asks.may_post(autonomy, "general")
    assert make_agenda(autonomy, kind="governance", poll=None).department == "자치협력과"


def test_renamed_planning_staff_still_see_and_run_the_contest(app, users, client, auth):
    _rename("기획예산과", "기획재정과", users.admin)
    auth.login(db.session.get(User, users.planning.id))
    assert "창의제안 공모전 관리" in client.get("/staff/").get_data(as_text=True)
    assert client.get("/policy/contest/staff").status_code == 200
