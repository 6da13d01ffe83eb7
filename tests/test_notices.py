"""공지사항: one notice board component, mounted in 주민참여예산, 협치관악 and each 동 page."""

from __future__ import annotations

import io
import threading

import pytest
from sqlalchemy import select

from gwanak.core.audit import AuditEntry
from gwanak.core.extensions import db
from gwanak.core.settings import set_setting
from gwanak.governance.pdf import tiny_pdf
from gwanak.notices import operations as ops
from gwanak.notices.boards import BUDGET_NOTICES, GOVERNANCE_NOTICES, dong_notice_board
from gwanak.notices.models import Notice
from tests.conftest import is_postgres
from tests.query_counter import count_queries


def _pdf(name: str = "안내문.pdf", data: bytes | None = None):
    return (io.BytesIO(data if data is not None else tiny_pdf("notice")), name)


def _post(client, url: str, **changes):
    data = {
        "title": "2025년 주민참여예산 설명회 안내",
        "body": "## 일시\n3월 5일 14시",
        "files": [],
    }
    data.update(changes)
    return client.post(url, data=data, content_type="multipart/form-data")


@pytest.mark.parametrize("menu", ["budget", "governance"])
def test_autonomy_staff_post_a_notice_with_a_file_and_residents_read_it(
    app, client, auth, users, menu
):
    auth.login(users.autonomy)
    response = _post(client, f"/{menu}/notices/new", files=[_pdf()])
    assert response.status_code == 303
    detail = response.headers["Location"]
    assert detail.startswith(f"/{menu}/notices/")
    auth.logout()

    page = client.get(detail).get_data(as_text=True)
    assert "2025년 주민참여예산 설명회 안내" in page and "<h2>일시</h2>" in page
    link = next(part.split('"')[0] for part in page.split('href="')[1:] if "/uploads/" in part)
    download = client.get(link)
    assert download.status_code == 200 and download.data.startswith(b"%PDF-")
    assert download.headers["Content-Disposition"].startswith("attachment")
    listing = client.get(f"/{menu}/notices").get_data(as_text=True)
    assert "2025년 주민참여예산 설명회 안내" in listing and "첨부 1" in listing
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "notice.create"))
    assert entry.actor_id == users.autonomy.id and entry.after["files"] == ["안내문.pdf"]


def test_pinned_notices_come_first_then_newest(app, client, users, frozen):
    from datetime import datetime

    for day, (title, pinned) in enumerate(
        [("오래된 고정 공지", True), ("보통 공지 1", False), ("보통 공지 2", False)], start=1
    ):
        frozen(datetime(2025, 3, day, 1))
        ops.create_notice(
            GOVERNANCE_NOTICES, users.autonomy.id, title=title, body_md="", pinned=pinned
        )
    page = client.get("/governance/notices").get_data(as_text=True)
    assert page.index("오래된 고정 공지") < page.index("보통 공지 2") < page.index("보통 공지 1")
    assert "고정</span>" in page


def test_the_boards_are_separate(app, client, users):
    ops.create_notice(BUDGET_NOTICES, users.autonomy.id, title="예산 공지", body_md="")
    ops.create_notice(
        dong_notice_board("boramae"), users.boramae.id, title="보라매 공지", body_md=""
    )
    assert "예산 공지" not in client.get("/governance/notices").get_data(as_text=True)
    assert "보라매 공지" not in client.get("/budget/notices").get_data(as_text=True)
    assert "보라매 공지" in client.get("/autonomy/dongs/boramae/notices").get_data(as_text=True)
    assert "보라매 공지" not in client.get("/autonomy/dongs/sillim/notices").get_data(as_text=True)
    notice = db.session.scalar(select(Notice).where(Notice.title == "예산 공지"))
    assert client.get(f"/governance/notices/{notice.id}").status_code == 404
    db.session.expire_all()
    assert db.session.get(Notice, notice.id).views == 0  # a wrong-board URL counts nothing


def test_a_reload_by_the_same_visitor_counts_once_a_new_visitor_counts_again(app, users):
    notice = ops.create_notice(GOVERNANCE_NOTICES, users.autonomy.id, title="조회 공지", body_md="")
    first, second = app.test_client(), app.test_client()
    for _ in range(3):
        assert first.get(f"/governance/notices/{notice.id}").status_code == 200
    page = second.get(f"/governance/notices/{notice.id}").get_data(as_text=True)
    assert "조회 2" in page
    db.session.expire_all()
    assert db.session.get(Notice, notice.id).views == 2


@pytest.mark.skipif(not is_postgres(), reason="concurrency is proven on PostgreSQL")
def test_concurrent_views_are_all_counted(app, users):
    notice = ops.create_notice(GOVERNANCE_NOTICES, users.autonomy.id, title="동시 조회", body_md="")
    url = f"/governance/notices/{notice.id}"
    errors = []

    def visit():
        try:
            for _ in range(5):
                assert app.test_client().get(url).status_code == 200
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=visit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    db.session.expire_all()
    assert db.session.get(Notice, notice.id).views == 40


def test_list_query_count_does_not_grow_with_rows(app, client, users):
    def fill(count):
        for i in range(count):
            notice = ops.create_notice(
                GOVERNANCE_NOTICES, users.autonomy.id, title=f"공지 {i}", body_md="",
                files=[_as_file(_pdf(f"첨부{i}.pdf"))],
            )  # fmt: skip
            assert notice.files

    set_setting("notices.per_page", 100)
    db.session.commit()
    fill(10)
    client.get("/governance/notices")  # warm up the per-process visit counter and footer
    with count_queries() as few:
        assert client.get("/governance/notices").status_code == 200
    fill(90)
    with count_queries() as many:
        page = client.get("/governance/notices").get_data(as_text=True)
    assert page.count("첨부 1") == 100
    assert len(few) == len(many)


def _as_file(pair):
    from werkzeug.datastructures import FileStorage

    stream, name = pair
    return FileStorage(stream=stream, filename=name)


def test_staff_edit_pin_and_remove_a_file_then_delete_with_audit(app, client, auth, users):
    notice = ops.create_notice(
        GOVERNANCE_NOTICES, users.autonomy.id, title="처음 제목", body_md="본문",
        files=[_as_file(_pdf("a.pdf"))],
    )  # fmt: skip
    file_id = notice.files[0].id
    auth.login(users.autonomy)
    response = client.post(
        f"/governance/notices/{notice.id}/edit",
        data={"title": "고친 제목", "body": "새 본문", "pinned": "y", "remove_file": str(file_id)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    db.session.expire_all()
    notice = db.session.get(Notice, notice.id)
    assert notice.title == "고친 제목" and notice.pinned and notice.files == []
    response = client.post(f"/governance/notices/{notice.id}/delete")
    assert response.status_code == 303
    assert client.get(f"/governance/notices/{notice.id}").status_code == 404
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["notice.create", "notice.edit", "notice.delete"]


def test_residents_and_other_departments_cannot_post(app, client, auth, users):
    response = _post(client, "/governance/notices/new")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    for user in (users.resident, users.planning, users.boramae):
        auth.login(user)
        assert _post(client, "/governance/notices/new").status_code == 403
        auth.logout()
    assert db.session.scalar(select(Notice.id)) is None


def test_dong_staff_post_only_on_their_own_dong_board(app, client, auth, users):
    auth.login(users.boramae)
    assert _post(client, "/autonomy/dongs/boramae/notices/new").status_code == 303
    assert _post(client, "/autonomy/dongs/sillim/notices/new").status_code == 403
    notice = ops.create_notice(
        dong_notice_board("sillim"), users.autonomy.id, title="신림", body_md=""
    )
    assert client.post(f"/autonomy/dongs/sillim/notices/{notice.id}/delete").status_code == 403
    auth.logout()
    auth.login(users.autonomy)
    assert _post(client, "/autonomy/dongs/sillim/notices/new").status_code == 303


def test_unknown_notices_and_dongs_are_404(app, client, auth, users):
    auth.login(users.autonomy)
    assert client.get("/governance/notices/999").status_code == 404
    assert client.get("/governance/notices/999/edit").status_code == 404
    assert client.post("/governance/notices/999/delete").status_code == 404
    assert client.get("/autonomy/dongs/nowhere/notices").status_code == 404


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"title": ""}, "제목을(를) 입력하세요."),
        ({"title": "   "}, "제목을(를) 입력하세요."),
        ({"title": "가" * 151}, "150자 이하"),
        ({"files": [_pdf("evil.pdf", b"<html><script>alert(1)</script></html>")]}, "허용되지 않는"),
        ({"files": [_pdf("setup.pdf", b"MZ\x90\x00" + b"\x00" * 100)]}, "허용되지 않는"),
        ({"files": [_pdf("real.hwp")]}, "확장자와 실제 파일 형식이 다릅니다"),
        ({"files": [_pdf("../../etc/passwd")]}, "확장자와 실제 파일 형식이 다릅니다"),
    ],
)
def test_bad_notices_are_refused_with_a_message_and_nothing_saved(
    app, client, auth, users, changes, message
):
    auth.login(users.autonomy)
    response = _post(client, "/governance/notices/new", **changes)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(Notice.id)) is None


def test_an_oversize_file_or_too_many_files_are_refused(app, client, auth, users):
    set_setting("notices.max_file_mb", 1)
    set_setting("notices.max_files", 2)
    db.session.commit()
    auth.login(users.autonomy)
    big = tiny_pdf() + b"0" * (1 << 20)
    response = _post(client, "/governance/notices/new", files=[_pdf("큰파일.pdf", big)])
    assert response.status_code == 422 and "너무 큽니다" in response.get_data(as_text=True)
    response = _post(
        client, "/governance/notices/new", files=[_pdf("1.pdf"), _pdf("2.pdf"), _pdf("3.pdf")]
    )
    assert response.status_code == 422 and "2개까지" in response.get_data(as_text=True)
    assert db.session.scalar(select(Notice.id)) is None


def test_a_path_trick_name_is_stored_under_a_generated_name(app, client, auth, users):
    auth.login(users.autonomy)
    response = _post(client, "/governance/notices/new", files=[_pdf("../../../evil.pdf")])
    assert response.status_code == 303
    notice = db.session.scalar(select(Notice))
    upload = notice.files[0].upload
    assert upload.original_name == "evil.pdf" and "/" not in upload.stored_name
    assert len(upload.stored_name) == 32


def test_htmx_gets_only_the_content_block(app, client, users):
    ops.create_notice(GOVERNANCE_NOTICES, users.autonomy.id, title="조각 공지", body_md="")
    fragment = client.get("/governance/notices", headers={"HX-Request": "true"}).get_data(
        as_text=True
    )
    assert "조각 공지" in fragment and "<html" not in fragment


def test_a_long_board_is_paged_and_pinned_notices_lead_page_one(app, client, users):
    set_setting("notices.per_page", 5)
    db.session.commit()
    for i in range(11):
        ops.create_notice(
            GOVERNANCE_NOTICES,
            users.autonomy.id,
            title=f"공지번호{i:02d}",
            body_md="",
            pinned=i == 0,
        )
    first = client.get("/governance/notices").get_data(as_text=True)
    assert first.index("공지번호00") < first.index("공지번호10") and 'rel="next"' in first
    third = client.get("/governance/notices?page=3").get_data(as_text=True)
    assert third.count("공지번호") == 1 and 'rel="next"' not in third and 'rel="prev"' in third
    assert "공지가 없습니다" in client.get("/governance/notices?page=9").get_data(as_text=True)
    assert client.get("/governance/notices?page=-3").status_code == 200


def test_every_notice_board_is_served_by_the_same_views_and_urls_stay_plain(app):
    from flask import url_for

    from gwanak.notices.routes import NOTICE_ROUTES

    for route in NOTICE_ROUTES:
        for prefix in ("budget.notice", "governance.notice", "autonomy.dong_notice"):
            assert app.view_functions[f"{prefix}_{route.name}"] is route.view
    with app.test_request_context():
        # The board's resolver rides in the rules' defaults, never in a URL.
        assert url_for("autonomy.dong_notice_detail", slug="boramae", nid=3) == (
            "/autonomy/dongs/boramae/notices/3"
        )
        assert url_for("governance.notice_list") == "/governance/notices"
