"""주민자치회 동 pages: introduction, committee members, programmes and the 동's notices."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from gwanak.autonomy import operations as ops
from gwanak.autonomy.models import DongMember, DongProgramme
from gwanak.core.audit import AuditEntry
from gwanak.core.extensions import db
from gwanak.notices.boards import dong_notice_board
from tests.factories import notice


def test_a_dong_page_shows_members_programmes_and_its_notices(app, client, users):
    ops.save_member(None, "boramae", None, name="홍길동", role="회장", position=1)
    ops.save_member(None, "boramae", None, name="김영수", role="간사", position=2)
    ops.save_member(None, "sillim", None, name="신림위원", role="회장")
    ops.save_programme(
        None,
        "boramae",
        None,
        title="어르신 스마트폰 교실",
        schedule="매주 화 10:00",
        place="2층 강당",
    )
    notice(dong_notice_board("boramae"), None, "보라매 총회 안내")
    page = client.get("/autonomy/dongs/boramae").get_data(as_text=True)
    # Office holders' names are shown as staff entered them, not masked.
    assert "홍길동" in page and "김영수" in page and page.index("홍길동") < page.index("김영수")
    assert "신림위원" not in page
    assert "어르신 스마트폰 교실" in page and "2층 강당" in page
    assert "보라매 총회 안내" in page
    assert "위원 관리" not in page  # residents see no staff links


def test_dong_staff_manage_their_own_dong_with_audit(app, client, auth, users):
    auth.login(users.boramae)
    response = client.post(
        "/autonomy/dongs/boramae/members",
        data={"name": "박위원", "role": "부회장", "position": "2"},
    )
    assert response.status_code == 303
    member = db.session.scalar(select(DongMember))
    response = client.post(
        f"/autonomy/dongs/boramae/members/{member.id}/edit",
        data={"name": "박위원", "role": "회장", "position": "1"},
    )
    assert response.status_code == 303
    response = client.post(
        "/autonomy/dongs/boramae/programmes",
        data={
            "title": "마을 축제",
            "schedule": "10월",
            "place": "보라매공원",
            "description": "",
            "position": "0",
        },
    )
    assert response.status_code == 303
    page = client.get("/autonomy/dongs/boramae").get_data(as_text=True)
    assert "회장" in page and "마을 축제" in page and "위원 관리" in page
    programme = db.session.scalar(select(DongProgramme))
    assert (
        client.post(f"/autonomy/dongs/boramae/programmes/{programme.id}/delete").status_code == 303
    )
    assert client.post(f"/autonomy/dongs/boramae/members/{member.id}/delete").status_code == 303
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == [
        "dong_member.save",
        "dong_member.save",
        "dong_programme.save",
        "dong_programme.delete",
        "dong_member.delete",
    ]


def test_another_dongs_staff_get_403_and_autonomy_department_edits_all(app, client, auth, users):
    member = ops.save_member(None, "sillim", None, name="신림위원", role="회장")
    programme = ops.save_programme(None, "sillim", None, title="신림 강좌")
    auth.login(users.boramae)
    assert client.get("/autonomy/dongs/sillim/members").status_code == 403
    assert (
        client.post("/autonomy/dongs/sillim/members", data={"name": "x", "role": "y"}).status_code
        == 403
    )
    assert (
        client.post(
            f"/autonomy/dongs/sillim/members/{member.id}/edit", data={"name": "x", "role": "y"}
        ).status_code
        == 403
    )
    assert client.post(f"/autonomy/dongs/sillim/members/{member.id}/delete").status_code == 403
    assert (
        client.post(f"/autonomy/dongs/sillim/programmes/{programme.id}/delete").status_code == 403
    )
    # The id of another 동's member under my own 동's URL is simply not found.
    assert client.post(f"/autonomy/dongs/boramae/members/{member.id}/delete").status_code == 404
    auth.logout()
    for user in (users.resident, users.planning):
        auth.login(user)
        assert client.get("/autonomy/dongs/sillim/members").status_code == 403
        auth.logout()
    auth.login(users.autonomy)
    assert client.get("/autonomy/dongs/sillim/members").status_code == 200
    assert client.post(f"/autonomy/dongs/sillim/members/{member.id}/delete").status_code == 303
    assert db.session.scalar(select(DongMember.id)) is None


def test_unknown_dongs_and_ids_are_404(app, client, auth, users):
    auth.login(users.autonomy)
    assert client.get("/autonomy/dongs/nowhere").status_code == 404
    assert client.get("/autonomy/dongs/nowhere/members").status_code == 404
    assert client.get("/autonomy/dongs/boramae/members/999/edit").status_code == 404
    assert client.post("/autonomy/dongs/boramae/programmes/999/delete").status_code == 404


@pytest.mark.parametrize(
    "data, message",
    [
        ({"name": "", "role": "회장"}, "이름을(를) 입력하세요."),
        ({"name": "   ", "role": "회장"}, "이름을(를) 입력하세요."),
        ({"name": "가" * 41, "role": "회장"}, "40자 이하"),
        ({"name": "<b>홍</b>", "role": "회장"}, "HTML 태그는 쓸 수 없습니다"),
        ({"name": "홍길동 010-1234-5678", "role": "회장"}, "연락처"),
        ({"name": "홍길동", "role": "hong@example.com"}, "연락처"),
        ({"name": "홍길동", "role": "회장", "position": "-1"}, "0~999"),
    ],
)
def test_bad_member_input_is_refused_and_no_contact_details_are_stored(
    app, client, auth, users, data, message
):
    auth.login(users.boramae)
    response = client.post("/autonomy/dongs/boramae/members", data=data)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db.session.scalar(select(DongMember.id)) is None


def test_the_dong_index_links_all_21_dongs(app, client):
    page = client.get("/autonomy/dongs").get_data(as_text=True)
    assert page.count('href="/autonomy/dongs/') == 21


def test_dong_page_query_count_does_not_grow_with_members_and_notices(app, client, users):
    from tests.query_counter import count_queries

    def fill(start, count):
        for i in range(start, start + count):
            ops.save_member(None, "boramae", None, name=f"위원{i}", role="위원", position=i)
            notice(dong_notice_board("boramae"), None, f"공지{i}")

    fill(0, 3)
    client.get("/autonomy/dongs/boramae")  # warm up the per-process visit counter and footer
    with count_queries() as few:
        assert client.get("/autonomy/dongs/boramae").status_code == 200
    fill(3, 30)
    with count_queries() as many:
        assert "위원32" in client.get("/autonomy/dongs/boramae").get_data(as_text=True)
    assert len(few) == len(many)


def test_staff_edit_a_programme_and_a_refused_edit_keeps_the_old_one(app, client, auth, users):
    programme = ops.save_programme(None, "boramae", None, title="마을 축제", place="보라매공원")
    auth.login(users.boramae)
    url = f"/autonomy/dongs/boramae/programmes/{programme.id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert "프로그램 고치기" in page and 'value="마을 축제"' in page
    refused = client.post(url, data={"title": "마을 축제", "place": "hong@example.com"})
    assert refused.status_code == 422 and 'id="place-error"' in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(DongProgramme, programme.id).place == "보라매공원"
    saved = client.post(url, data={"title": "마을 축제", "place": "구민회관", "position": "1"})
    assert saved.status_code == 303 and saved.location.endswith(
        "/autonomy/dongs/boramae/programmes"
    )
