"""Who may edit what: each role against each kind of page."""

from __future__ import annotations

import pytest

from gwanak.core.permissions import department, may_edit
from gwanak.pages.operations import ensure_page

CASES = [
    # (user, page key, allowed)
    ("admin", "budget/about", True),
    ("autonomy", "budget/about", True),
    ("planning", "budget/about", False),
    ("audit", "budget/about", False),
    ("mayor", "budget/about", False),
    ("resident", "budget/about", False),
    ("planning", "manifesto/vision", True),
    ("planning", "policy/guide", True),
    ("audit", "cheong/about", True),
    ("planning", "cheong/about", False),
    ("boramae", "autonomy/dongs/boramae", True),
    ("boramae", "autonomy/dongs/sillim", False),
    ("boramae", "autonomy/about", False),
    ("autonomy", "autonomy/dongs/sillim", True),
    ("planning", "autonomy/dongs/boramae", False),
]


@pytest.mark.parametrize(("who", "key", "allowed"), CASES)
def test_each_role_against_each_kind_of_page(app, client, auth, users, who, key, allowed):
    ensure_page(key, "제목", "본문")
    from gwanak.core.extensions import db

    db.session.commit()
    user = getattr(users, who)
    assert may_edit(user, department(None)) is (who == "admin")
    auth.login(user)
    edit = client.get(f"/staff/pages/{key}/edit")
    assert edit.status_code == (200 if allowed else 403)
    save = client.post(f"/staff/pages/{key}/edit", data={"title": "새 제목", "body": "새 본문"})
    assert save.status_code == (303 if allowed else 403)


def test_signed_out_visitors_are_sent_to_log_in(client):
    response = client.get("/staff/pages/budget/about/edit")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    post = client.post("/staff/pages/budget/about/edit", data={"title": "x"})
    assert post.status_code == 302 and "/auth/login" in post.headers["Location"]


def test_back_office_doors(client, auth, users):
    for who, staff_status, admin_status in [
        ("resident", 403, 403),
        ("mayor", 200, 403),
        ("planning", 200, 403),
        ("admin", 200, 200),
    ]:
        auth.login(getattr(users, who))
        assert client.get("/staff/").status_code == staff_status, who
        for path in (
            "/staff/users",
            "/staff/outbox",
            "/staff/jobs",
            "/staff/audit",
            "/staff/settings",
        ):
            assert client.get(path).status_code == admin_status, (who, path)
        auth.logout()


def test_staff_of_a_dong_only_list_their_own_page(client, auth, users):
    auth.login(users.boramae)
    html = client.get("/staff/pages/").get_data(as_text=True)
    assert "/staff/pages/autonomy/dongs/boramae/edit" in html
    assert "/staff/pages/autonomy/dongs/sillim/edit" not in html
    assert "/staff/pages/budget/about/edit" not in html


@pytest.mark.parametrize(
    ("who", "status"),
    [("resident", 200), ("planning", 403), ("boramae", 403), ("mayor", 403), ("admin", 403)],
)
def test_only_residents_pass_the_resident_door(app, users, who, status):
    from flask_login import login_user
    from werkzeug.exceptions import HTTPException

    from gwanak.core.permissions import resident_required

    @resident_required
    def apply():
        return "신청서", 200

    with app.test_request_context("/"):
        login_user(getattr(users, who))
        try:
            answered = apply()[1]
        except HTTPException as refused:
            answered = refused.code
    assert answered == status


def test_staff_see_no_resident_only_date_pages(client, auth, users):
    auth.login(users.audit)
    assert client.get("/cheong/date-apply/mine").status_code == 403


# A link shown to someone must work for them (the live crawl checks every link; these
# are the ones it once found leading to 403).


@pytest.mark.parametrize("who", ["anonymous", "resident", "planning", "boramae", "mayor", "admin"])
def test_only_visitors_and_residents_are_offered_the_proposal_form(client, auth, users, who):
    if who != "anonymous":
        auth.login(getattr(users, who))
    offered = who in ("anonymous", "resident")
    for board in ("policy", "governance"):
        page = client.get(f"/{board}/proposals").get_data(as_text=True)
        assert (f'href="/{board}/proposals/new"' in page) is offered, board
    assert ('href="/policy/proposals/new"' in client.get("/").get_data(as_text=True)) is offered


def test_a_dong_office_review_queue_lists_only_what_it_may_answer(client, auth, users):
    from gwanak.participation import operations as ops
    from tests.factories import proposal, residents

    waiting = proposal(users.resident, title="공원에 그늘막 설치")
    for neighbour in residents(5):
        ops.give_gonggam(waiting, neighbour)
    auth.login(users.planning)
    assert "공원에 그늘막 설치" in client.get("/staff/participation/review").get_data(as_text=True)
    auth.logout()
    auth.login(users.boramae)
    queue = client.get("/staff/participation/review").get_data(as_text=True)
    assert f"/staff/participation/proposals/{waiting.id}" not in queue


def test_back_office_links_lead_only_where_the_viewer_may_go(client, auth, users):
    auth.login(users.mayor)
    assert 'href="/manifesto/manage"' not in client.get("/staff/").get_data(as_text=True)
    auth.logout()
    auth.login(users.planning)
    assert 'href="/manifesto/manage"' in client.get("/staff/").get_data(as_text=True)
    auth.logout()
    auth.login(users.autonomy)
    rounds = client.get("/budget/proposals/rounds").get_data(as_text=True)
    assert 'href="/staff/settings"' not in rounds
    auth.logout()
    auth.login(users.admin)
    assert 'href="/staff/settings"' in client.get("/budget/proposals/rounds").get_data(as_text=True)


def test_the_admin_pages_through_accounts(client, auth, users):
    from gwanak.staff.routes import PAGE_SIZE
    from tests.factories import residents

    residents(PAGE_SIZE)
    auth.login(users.admin)
    first = client.get("/staff/users").get_data(as_text=True)
    assert 'href="/staff/users?page=2"' in first
    second = client.get("/staff/users?page=2").get_data(as_text=True)
    assert 'href="/staff/users?page=1"' in second and "?page=3" not in second
