"""창의제안 공모전 실무심사 by a department: 기획예산과 gives a group of entries to a
department, whose staff screen them; others may not."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from gwanak.accounts.models import Role
from gwanak.core.extensions import db
from gwanak.core.operations import OperationError
from gwanak.policy.contest import operations as ops
from gwanak.policy.contest.models import ContestEntry
from tests.factories import contest_entry, make_contest, make_user

DURING = datetime(2023, 6, 10, 3, 0)


@pytest.fixture
def entries(users, frozen):
    frozen(DURING)
    contest = make_contest()
    made = [
        contest_entry(contest, users.resident, "버스정류장 온열의자 설치"),
        contest_entry(contest, users.resident, "교차로 대각선 횡단보도"),
        contest_entry(contest, users.neighbour, "공원 음수대 정비"),
    ]
    return contest, made


def _fresh(entry) -> ContestEntry:
    db.session.expire_all()
    return db.session.get(ContestEntry, entry.id)


def test_a_group_goes_to_a_department_all_or_nothing(users, entries):
    contest, (bus, crossing, fountain) = entries
    traffic = make_user(Role.STAFF, name="교통 직원", department="교통행정과")
    with pytest.raises(OperationError) as refused:
        ops.assign_screening(contest, traffic, [bus.id], "교통행정과")
    assert refused.value.status == 403
    with pytest.raises(OperationError) as refused:
        ops.assign_screening(contest, users.planning, [bus.id], "우주개발과")
    assert refused.value.field == "department"
    ops.screen_entry(fountain, users.planning, "forward")
    with pytest.raises(OperationError) as refused:
        ops.assign_screening(contest, users.planning, [bus.id, fountain.id], "교통행정과")
    assert refused.value.status == 409 and _fresh(bus).screening_department is None
    assert ops.assign_screening(contest, users.planning, [bus.id, crossing.id], "교통행정과") == 2
    assert [e.id for e in ops.entries_to_screen("교통행정과")] == [bus.id, crossing.id]
    assert ops.may_screen(traffic, _fresh(bus))
    assert not ops.may_screen(make_user(Role.STAFF, department="공원녹지과"), _fresh(bus))


def test_web_assign_then_the_department_screens(client, auth, users, entries):
    contest, (bus, crossing, fountain) = entries
    traffic = make_user(Role.STAFF, name="교통 직원", department="교통행정과")
    parks = make_user(Role.STAFF, name="공원 직원", department="공원녹지과")
    auth.login(users.planning)
    queue = client.get(f"/policy/contest/staff/{contest.year}").get_data(as_text=True)
    assert 'form="screening-form"' in queue and "실무심사 부서 지정" in queue
    done = client.post(
        f"/policy/contest/staff/{contest.year}/screening",
        data={"department": "교통행정과", "entry": [str(bus.id), str(crossing.id)]},
    )
    assert done.status_code == 303
    assert _fresh(bus).screening_department == "교통행정과"
    auth.logout()
    auth.login(parks)
    assert client.get(f"/policy/contest/staff/entries/{bus.id}").status_code == 403
    screen = {"screen-decision": "duplicate", "screen-reason": "같은 내용"}
    assert (
        client.post(f"/policy/contest/staff/entries/{bus.id}/screen", data=screen).status_code
        == 403
    )
    assert _fresh(bus).state == "received"
    auth.logout()
    auth.login(traffic)
    mine = client.get("/policy/contest/staff/screening").get_data(as_text=True)
    assert "버스정류장 온열의자 설치" in mine and "공원 음수대 정비" not in mine
    assert client.get(f"/policy/contest/staff/entries/{fountain.id}").status_code == 403
    ok = client.post(
        f"/policy/contest/staff/entries/{bus.id}/screen", data={"screen-decision": "forward"}
    )
    assert ok.status_code == 303 and _fresh(bus).state == "forwarded"
    # Screening done, the committee's step is not theirs.
    decide = {"decide-decision": "rejected", "decide-reason": "예산 부족"}
    assert (
        client.post(f"/policy/contest/staff/entries/{bus.id}/decide", data=decide).status_code
        == 403
    )
    steps = db.session.scalars(select(ContestEntry).where(ContestEntry.id == bus.id)).one().events
    assert [s.step for s in steps][-2:] == ["실무심사 부서 지정", "실무심사 통과"]


def test_with_htmx_the_assignment_swaps_the_table_and_form(client, auth, users, entries):
    contest, (bus, crossing, fountain) = entries
    auth.login(users.planning)
    url = f"/policy/contest/staff/{contest.year}/screening"
    queue = client.get(f"/policy/contest/staff/{contest.year}?state=received").get_data(
        as_text=True
    )
    assert f'data-hx-post="{url}"' in queue and 'data-hx-target="#contest-entries"' in queue
    assert '<input type="hidden" name="state" value="received">' in queue
    hx = {"HX-Request": "true"}
    missing = client.post(url, data={"entry": [str(bus.id)]}, headers=hx)
    html = missing.get_data(as_text=True)
    assert missing.status_code == 422 and "<html" not in html
    assert "실무심사를 맡길 부서를 고르세요." in html and _fresh(bus).screening_department is None
    data = {
        "department": "교통행정과",
        "entry": [str(bus.id), str(crossing.id)],
        "state": "received",
    }
    done = client.post(url, data=data, headers=hx)
    html = done.get_data(as_text=True)
    assert done.status_code == 200 and "<html" not in html and 'id="contest-entries"' in html
    assert "응모작 2건의 실무심사를 교통행정과에 맡겼습니다." in html
    assert html.count("<td>교통행정과</td>") == 2
    assert _fresh(bus).screening_department == "교통행정과"
