"""The organisation as data: departments loaded from organisation.json, staff belonging
to one, and the admin's rename, merge and retire with their history."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from sqlalchemy import func, select

from gwanak.accounts.models import Department, Role, User
from gwanak.accounts.operations import create_user
from gwanak.accounts.organisation import (
    find_department,
    history,
    load_organisation,
    merge_department,
    rename_department,
    retire_department,
)
from gwanak.core.extensions import db
from gwanak.core.menus import dongs, menus
from gwanak.core.operations import OperationError
from gwanak.participation.models import Proposal, ProposalState
from tests.factories import make_user, proposal


def _dept(name: str) -> Department:
    return db.session.scalar(select(Department).where(Department.name == name))


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_file_names_every_menu_owner_and_every_dong(app):
    data = json.loads(
        resources.files("gwanak.data").joinpath("organisation.json").read_text("utf-8")
    )
    names = {d["name"] for d in data["departments"]}
    assert {m.owner for m in menus()} <= names
    offices = [d for d in data["departments"] if d["kind"] == "과"]
    assert 30 <= len(offices) <= 40
    assert {d["dong"] for d in data["departments"] if d["kind"] == "동"} == {
        d.slug for d in dongs()
    }
    assert len({d["code"] for d in data["departments"]}) == len(data["departments"])


def test_loading_again_adds_nothing_and_keeps_a_rename(app, users):
    total = _count(Department)
    assert total == 55
    rename_department(_dept("교통행정과"), "교통정책과", None, users.admin)
    assert load_organisation() == 0
    assert _count(Department) == total
    assert _dept("교통행정과") is None


def test_load_organisation_command_is_idempotent(runner, app):
    result = runner.invoke(args=["gwanak", "load-organisation"])
    assert result.exit_code == 0
    assert "더할 부서가 없습니다" in result.output


def test_create_user_needs_a_department_that_exists(app):
    user = create_user(
        email="traffic@example.com",
        password="a-long-password",
        name="교통 직원",
        role=Role.STAFF,
        department="교통행정과",
    )
    assert user.department == "교통행정과"
    with pytest.raises(OperationError) as refused:
        create_user(
            email="nobody@example.com",
            password="a-long-password",
            name="없는 부서",
            role=Role.STAFF,
            department="우주개발과",
        )
    assert refused.value.field == "department"
    assert "알 수 없는 부서" in refused.value.message
    assert db.session.scalar(select(User).where(User.email == "nobody@example.com")) is None


def test_create_user_command_refuses_an_unknown_department(runner, app):
    args = ["gwanak", "create-user", "--email", "t@example.com", "--password", "a-long-password"]
    ok = runner.invoke(args=[*args, "--name", "교통", "--department", "교통행정과"])
    assert ok.exit_code == 0, ok.output
    refused = runner.invoke(
        args=["gwanak", "create-user", "--email", "u@example.com", "--password", "a-long-password",
              "--name", "우주", "--department", "우주개발과"]
    )  # fmt: skip
    assert refused.exit_code != 0
    assert "알 수 없는 부서" in refused.output


def test_rename_carries_staff_and_proposals_and_keeps_history(app, users):
    traffic = make_user(Role.STAFF, name="교통 직원", department="교통행정과")
    rename_department(_dept("교통행정과"), "교통정책과", "환경교통국", users.admin)
    db.session.expire_all()
    assert db.session.get(User, traffic.id).department == "교통정책과"
    renamed = _dept("교통정책과")
    assert renamed.former_names == ["교통행정과"]
    assert find_department("교통행정과").id == renamed.id
    (entry,) = history(renamed)
    assert entry.action == "department.rename"
    assert entry.before["name"] == "교통행정과"
    assert entry.after["moved"] == {"users.department": 1}


def test_rename_refuses_a_name_in_use(app, users):
    with pytest.raises(OperationError) as refused:
        rename_department(_dept("교통행정과"), "주차관리과", None, users.admin)
    assert refused.value.field == "name"
    assert _dept("교통행정과") is not None and history(_dept("교통행정과")) == []


def test_merge_moves_staff_and_open_proposals_only(app, users):
    parking = make_user(Role.STAFF, name="주차 직원", department="주차관리과")
    open_one = proposal(users.resident, "공영주차장 야간 개방")
    answered = proposal(users.resident, "거주자우선주차 배정 기준")
    for p in (open_one, answered):
        db.session.execute(
            Proposal.__table__.update()
            .where(Proposal.id == p.id)
            .values(department="주차관리과", state=ProposalState.REVIEW)
        )
    db.session.execute(
        Proposal.__table__.update()
        .where(Proposal.id == answered.id)
        .values(state=ProposalState.ANSWERED)
    )
    db.session.commit()
    moved = merge_department(_dept("주차관리과"), _dept("교통행정과"), users.admin)
    assert moved == {"proposals.department": 1, "users.department": 1}
    db.session.expire_all()
    assert db.session.get(User, parking.id).department == "교통행정과"
    assert db.session.get(Proposal, open_one.id).department == "교통행정과"
    assert db.session.get(Proposal, answered.id).department == "주차관리과"
    gone = _dept("주차관리과")
    assert (gone.active, gone.status_label) == (False, "통합")
    assert find_department("주차관리과").name == "교통행정과"
    assert [e.action for e in history(_dept("교통행정과"))] == ["department.absorb"]
    with pytest.raises(OperationError):
        merge_department(gone, _dept("교통행정과"), users.admin)


def test_retire_refuses_while_staff_remain(app, users):
    make_user(Role.STAFF, name="환경 직원", department="환경과")
    with pytest.raises(OperationError) as refused:
        retire_department(_dept("환경과"), users.admin)
    assert refused.value.status == 409
    assert _dept("환경과").active
    retire_department(_dept("의약과"), users.admin)
    assert _dept("의약과").status_label == "폐지"
    with pytest.raises(OperationError):
        create_user(
            email="x@example.com",
            password="a-long-password",
            name="의약",
            role=Role.STAFF,
            department="의약과",
        )


def test_admin_pages_rename_merge_retire_with_history(client, auth, users):
    make_user(Role.STAFF, name="주차 직원", department="주차관리과")
    auth.login(users.planning)
    assert client.get("/staff/organisation").status_code == 403
    assert client.post("/staff/organisation/traffic/rename", data={"name": "x"}).status_code == 403
    auth.logout()
    auth.login(users.admin)
    listing = client.get("/staff/organisation").get_data(as_text=True)
    assert "환경교통국" in listing and 'href="/staff/organisation/traffic"' in listing
    clash = client.post("/staff/organisation/traffic/rename", data={"name": "주차관리과"})
    assert clash.status_code == 422 and 'id="name-error"' in clash.get_data(as_text=True)
    ok = client.post(
        "/staff/organisation/traffic/rename", data={"name": "교통정책과", "group": "환경교통국"}
    )
    assert ok.status_code == 303
    merged = client.post("/staff/organisation/parking/merge", data={"into": "traffic"})
    assert merged.status_code == 303
    page = client.get("/staff/organisation/traffic").get_data(as_text=True)
    assert "예전 이름: 교통행정과" in page and "교통행정과 → 교통정책과" in page
    assert "다른 부서 통합해 옴: 주차관리과" in page and "주차 직원" in page
    gone = client.get("/staff/organisation/parking").get_data(as_text=True)
    assert "통합 →" in gone and "교통정책과(으)로" in gone
    refused = client.post("/staff/organisation/traffic/retire", follow_redirects=True)
    assert "소속 직원이 있는 부서는 폐지할 수 없습니다" in refused.get_data(as_text=True)
    assert _dept("교통정책과").active
    client.post("/staff/organisation/medicine/retire")
    assert _dept("의약과").status_label == "폐지"
    assert client.get("/staff/organisation/nowhere").status_code == 404


def test_a_renamed_menu_owner_keeps_its_menu_and_its_board(app, users):
    from gwanak.core.permissions import department, may_edit
    from gwanak.participation import operations as ops
    from tests.factories import gonggam, residents

    p = proposal(users.resident, "봉천역 자전거 보관대 증설")
    gonggam(p, residents(5))
    rename_department(_dept("기획예산과"), "기획조정과", None, users.admin)
    planner = db.session.get(User, users.planning.id)
    assert planner.department == "기획조정과"
    assert may_edit(planner, department("기획예산과"))  # the policy menu, named in menus.json
    assert not may_edit(db.session.get(User, users.autonomy.id), department("기획예산과"))
    p = db.session.get(Proposal, p.id)
    assert (p.department, ops.coordinator_of(p)) == ("기획조정과", "기획조정과")
    ops.assign_proposal(p, planner, department="교통행정과", reason="교통 시설 소관")


def test_admin_pages_with_htmx_swap_the_department_block(client, auth, users):
    auth.login(users.admin)
    headers = {"HX-Request": "true"}
    bad = client.post("/staff/organisation/traffic/rename", data={"name": ""}, headers=headers)
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422 and html.lstrip().startswith('<div id="manage">')
    assert 'id="name-error"' in html and "<html" not in html
    ok = client.post(
        "/staff/organisation/traffic/rename", data={"name": "교통정책과"}, headers=headers
    )
    html = ok.get_data(as_text=True)
    assert ok.status_code == 200 and "<h1>교통정책과</h1>" in html
    assert "부서 이름을 교통정책과(으)로 바꿨습니다." in html and 'id="announce"' in html
    make_user(Role.STAFF, name="환경 직원", department="환경과")
    refused = client.post("/staff/organisation/environment/retire", headers=headers)
    assert refused.status_code == 409 and "소속 직원이 있는 부서는" in refused.get_data(
        as_text=True
    )
    assert _dept("환경과").active
