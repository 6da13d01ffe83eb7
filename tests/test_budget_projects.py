"""실행사업 현황: projects by year with money and progress; 자치행정과 edits them, audited."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import func, select

from gwanak.budget.models import BudgetProject, ProjectUpdate
from gwanak.core.audit import AuditEntry
from gwanak.core.extensions import db
from tests.factories import add_project
from tests.query_counter import count_queries

VALID = {
    "year": "2026",
    "title": "신림동 골목길 안심 반사경 설치",
    "summary": "어두운 골목에 반사경을 답니다.",
    "dong": "sillim",
    "department": "교통행정과",
    "budget": "30000000",
    "spent": "0",
    "progress": "0",
    "state": "ongoing",
}


def test_projects_show_by_year_with_a_total_budget_per_year(app, client):
    add_project(year=2024, title="낙성대 공원 쉼터", budget=10_000_000, state="done", progress=100)
    add_project(year=2025, budget=50_000_000)
    add_project(year=2025, title="청림동 어린이 안전 펜스", dong="cheongnim", budget=25_000_000)

    html = client.get("/budget/projects").get_data(as_text=True)
    assert "2025년 실행사업" in html  # the latest year by default
    assert "75,000,000원" in html and "10,000,000원" in html  # both years' totals
    assert "청림동 어린이 안전 펜스" in html
    assert "낙성대 공원 쉼터" not in html
    assert '<progress max="100" value="40">' in html

    html = client.get("/budget/projects?year=2024").get_data(as_text=True)
    assert "낙성대 공원 쉼터" in html and "완료" in html


def test_projects_filter_by_dong_and_state(app, client):
    add_project()
    add_project(title="청림동 어린이 안전 펜스", dong="cheongnim", state="carried_over")
    html = client.get("/budget/projects?year=2025&dong=cheongnim").get_data(as_text=True)
    assert "청림동 어린이 안전 펜스" in html and "산책로" not in html
    html = client.get("/budget/projects?year=2025&state=ongoing").get_data(as_text=True)
    assert "산책로" in html and "안전 펜스" not in html
    # Unknown filter values are ignored rather than failing.
    response = client.get("/budget/projects?year=2025&dong=<script>&state=zzz")
    assert response.status_code == 200
    assert "<script>" not in response.get_data(as_text=True)


def test_htmx_filter_answers_with_the_results_only(app, client):
    add_project()
    response = client.get("/budget/projects?year=2025", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="project-results"')
    assert "<html" not in html


def test_project_page_shows_dated_updates(app, client):
    project = add_project()
    db.session.add(
        ProjectUpdate(
            project_id=project.id, posted_on=datetime(2025, 5, 1).date(), body="설계 완료"
        )
    )
    db.session.commit()
    html = client.get(f"/budget/projects/{project.id}").get_data(as_text=True)
    assert "2025-05-01" in html and "설계 완료" in html
    assert client.get("/budget/projects/999").status_code == 404


def test_autonomy_staff_create_and_edit_a_project_audited(app, client, auth, users):
    auth.login(users.autonomy)
    response = client.post("/budget/projects/new", data=VALID)
    assert response.status_code == 303
    project = db.session.scalar(select(BudgetProject))
    assert project.budget == 30_000_000 and project.dong == "sillim"

    response = client.post(
        f"/budget/projects/{project.id}/edit",
        data=VALID | {"spent": "12000000", "progress": "55", "state": "ongoing"},
    )
    assert response.status_code == 303
    db.session.refresh(project)
    assert project.progress == 55
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == ["budget.project.create", "budget.project.edit"]
    assert entries[1].before["progress"] == 0 and entries[1].after["progress"] == 55

    response = client.post(
        f"/budget/projects/{project.id}/updates", data={"posted_on": "2026-04-02", "body": "착공"}
    )
    assert response.status_code == 303
    assert db.session.scalar(select(ProjectUpdate.body)) == "착공"
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "budget.project.update"))


def test_bad_project_input_is_refused_next_to_the_field(app, client, auth, users):
    auth.login(users.autonomy)
    cases = [
        ({"title": "   "}, "사업명을(를) 입력하세요."),
        ({"title": "가" * 121}, "120자 이하로 입력하세요."),
        ({"budget": "-5"}, "0원 이상"),
        ({"budget": "많이"}, "숫자만 입력하세요."),
        ({"progress": "120"}, "0부터 100 사이로"),
        ({"spent": "40000000"}, "집행액은 예산보다 클 수 없습니다."),
        ({"state": "hacked"}, "목록에 있는 값을 고르세요."),
        ({"dong": "gangnam"}, "목록에 있는 값을 고르세요."),
    ]
    for change, message in cases:
        response = client.post("/budget/projects/new", data=VALID | change)
        assert response.status_code == 422, change
        assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(BudgetProject)) is None
    project = add_project()
    response = client.post(f"/budget/projects/{project.id}/updates", data={"body": " "})
    assert response.status_code == 422
    assert db.session.scalar(select(ProjectUpdate)) is None


def test_html_in_a_project_summary_is_shown_as_text(app, client):
    project = add_project(summary="<script>alert(1)</script> 문의 010-1234-5678")
    html = client.get(f"/budget/projects/{project.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "010-1234-5678" not in html


def test_only_autonomy_staff_and_admins_edit_projects(app, client, auth, users):
    project = add_project()
    assert client.get("/budget/projects/new").status_code in (302, 401)
    for user in (users.resident, users.planning, users.boramae, users.mayor):
        auth.login(user)
        assert client.get("/budget/projects/new").status_code == 403
        assert client.post(f"/budget/projects/{project.id}/edit", data=VALID).status_code == 403
        assert (
            client.post(
                f"/budget/projects/{project.id}/updates",
                data={"posted_on": "2026-01-01", "body": "x"},
            ).status_code
            == 403
        )
        auth.logout()
    auth.login(users.admin)
    assert client.get(f"/budget/projects/{project.id}/edit").status_code == 200


def test_project_list_query_count_does_not_grow_with_rows(app, client):
    for n in range(10):
        add_project(title=f"사업 {n}")
    client.get("/budget/projects?year=2025")  # warm up the per-process visit counter
    with count_queries() as few:
        client.get("/budget/projects?year=2025")
    for n in range(90):
        add_project(title=f"추가 사업 {n}")
    with count_queries() as many:
        client.get("/budget/projects?year=2025")
    assert len(few) == len(many)


def test_an_update_added_through_htmx_answers_with_the_fragment_and_a_retry_adds_nothing(
    app, client, auth, users
):
    project = add_project()
    auth.login(users.autonomy)
    page = client.get(f"/budget/projects/{project.id}").get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([0-9a-f]+)"', page).group(1)
    data = {"posted_on": "2026-04-02", "body": "착공", "token": token}
    htmx = {"HX-Request": "true"}
    first = client.post(f"/budget/projects/{project.id}/updates", data=data, headers=htmx)
    html = first.get_data(as_text=True)
    assert first.status_code == 200 and 'id="project-updates"' in html and "착공" in html
    assert "<html" not in html
    fresh = re.search(r'name="token" type="hidden" value="([0-9a-f]+)"', html).group(1)
    assert fresh != token  # the swapped form carries a new token for the next note
    retry = client.post(f"/budget/projects/{project.id}/updates", data=data, headers=htmx)
    assert retry.status_code == 200
    without_js = client.post(f"/budget/projects/{project.id}/updates", data=data)
    assert without_js.status_code == 303
    assert db.session.scalar(select(func.count(ProjectUpdate.id))) == 1
    bad = client.post(
        f"/budget/projects/{project.id}/updates", data={"body": " ", "token": "x"}, headers=htmx
    )
    assert bad.status_code == 422 and "추진 경과을(를) 입력하세요" in bad.get_data(as_text=True)
