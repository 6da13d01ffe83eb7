"""연도별 협치과제: tasks per year with partners, state, results and dated updates."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from gwanak.core.audit import AuditEntry
from gwanak.core.extensions import db
from gwanak.governance import operations as ops
from gwanak.governance.models import GovernanceTask, TaskUpdate
from tests.factories import GOVERNANCE_TASK, make_task


def test_staff_add_a_task_and_dated_updates_and_residents_see_them_by_year(
    app, client, auth, users
):
    auth.login(users.autonomy)
    response = client.post("/governance/tasks/new", data=GOVERNANCE_TASK)
    assert response.status_code == 303
    detail = response.headers["Location"]
    response = client.post(
        detail + "/updates", data={"on_date": "2025-04-02", "body": "1차 운영위원회 개최"}
    )
    assert response.status_code == 303 and response.headers["Location"].endswith("#updates")
    client.post(detail + "/updates", data={"on_date": "2025-06-10", "body": "공간 개소"})
    auth.logout()
    make_task(2024, title="청년 정책 공동 설계", state="완료", result="청년 정책 3건 제안")

    page = client.get(detail).get_data(as_text=True)
    assert "관악사회적경제네트워크" in page and "추진중" in page
    assert page.index("2025-06-10") < page.index("2025-04-02")
    listing = client.get("/governance/tasks").get_data(as_text=True)
    assert "마을 공동체 공간 공동 운영" in listing and "청년 정책 공동 설계" not in listing
    listing = client.get("/governance/tasks?year=2024").get_data(as_text=True)
    assert "청년 정책 공동 설계" in listing and "2025년" in listing
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[:3] == ["task.create", "task.update.add", "task.update.add"]


def test_htmx_update_swaps_only_the_updates_section(app, client, auth, users):
    task = make_task()
    auth.login(users.autonomy)
    response = client.post(
        f"/governance/tasks/{task.id}/updates",
        data={"on_date": "2025-05-01", "body": "중간 점검"},
        headers={"HX-Request": "true"},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="updates"' in body and "<html" not in body
    assert "중간 점검" in body
    response = client.post(
        f"/governance/tasks/{task.id}/updates",
        data={"on_date": "", "body": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422 and "날짜를 입력하세요." in response.get_data(as_text=True)


def test_staff_edit_a_task_with_audit(app, client, auth, users):
    task = make_task()
    auth.login(users.autonomy)
    data = dict(GOVERNANCE_TASK, state="완료", result="공간 이용 1,200명")
    assert client.post(f"/governance/tasks/{task.id}/edit", data=data).status_code == 303
    db.session.expire_all()
    assert db.session.get(GovernanceTask, task.id).state == "완료"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "task.edit"))
    assert entry.before["state"] == "추진중" and entry.after["result"] == "공간 이용 1,200명"


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"title": ""}, "과제명을(를) 입력하세요."),
        ({"title": "  "}, "과제명을(를) 입력하세요."),
        ({"year": "abc"}, "연도"),
        ({"year": "1900"}, "2000~2100"),
        ({"state": "끝"}, "목록에 있는 값을 고르세요."),
        ({"department": ""}, "담당 부서을(를) 입력하세요."),
        ({"title": "가" * 151}, "150자 이하"),
    ],
)
def test_bad_tasks_are_refused(app, client, auth, users, changes, message):
    auth.login(users.autonomy)
    response = client.post("/governance/tasks/new", data=dict(GOVERNANCE_TASK, **changes))
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db.session.scalar(select(GovernanceTask.id)) is None


def test_others_cannot_edit_and_unknown_ids_are_404(app, client, auth, users):
    task = make_task()
    update = ops.add_task_update(task, None, date(2025, 1, 1), "시작")
    for user in (users.resident, users.planning, users.boramae):
        auth.login(user)
        assert client.post("/governance/tasks/new", data=GOVERNANCE_TASK).status_code == 403
        assert (
            client.post(f"/governance/tasks/{task.id}/edit", data=GOVERNANCE_TASK).status_code
            == 403
        )
        assert (
            client.post(
                f"/governance/tasks/{task.id}/updates", data={"on_date": "2025-01-02", "body": "x"}
            ).status_code
            == 403
        )
        assert (
            client.post(f"/governance/tasks/{task.id}/updates/{update.id}/delete").status_code
            == 403
        )
        auth.logout()
    auth.login(users.autonomy)
    assert client.get("/governance/tasks/999").status_code == 404
    assert client.post(f"/governance/tasks/{task.id}/updates/999/delete").status_code == 404
    other = make_task(title="다른 과제")
    assert (
        client.post(f"/governance/tasks/{other.id}/updates/{update.id}/delete").status_code == 404
    )
    assert client.post(f"/governance/tasks/{task.id}/updates/{update.id}/delete").status_code == 303
    assert db.session.scalar(select(TaskUpdate.id)) is None


def test_no_tasks_yet_shows_an_empty_year(app, client):
    page = client.get("/governance/tasks").get_data(as_text=True)
    assert "아직 없습니다" in page


def test_task_list_query_count_does_not_grow_with_tasks(app, client):
    from tests.query_counter import count_queries

    for i in range(3):
        make_task(title=f"과제 {i}")
    client.get("/governance/tasks")  # warm up the per-process visit counter and footer
    with count_queries() as few:
        assert client.get("/governance/tasks").status_code == 200
    for i in range(30):
        make_task(title=f"과제 {i + 3}")
    with count_queries() as many:
        assert "과제 32" in client.get("/governance/tasks").get_data(as_text=True)
    assert len(few) == len(many)


def test_the_back_office_links_to_governance_work_for_autonomy_staff_only(app, client, auth, users):
    auth.login(users.autonomy)
    assert "연도별 협치과제 추가" in client.get("/staff/").get_data(as_text=True)
    auth.logout()
    auth.login(users.planning)
    assert "연도별 협치과제 추가" not in client.get("/staff/").get_data(as_text=True)
