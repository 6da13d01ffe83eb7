"""협치관악 자료실: staff publish files; the store judges each file by its bytes."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from gwanak.core.audit import AuditEntry
from gwanak.core.extensions import db
from gwanak.core.settings import set_setting
from gwanak.core.uploads import Upload, upload_dir
from gwanak.governance.models import ArchiveItem
from gwanak.governance.pdf import tiny_pdf

NEW = "/governance/archive/new"


def _file(name: str, data: bytes | None = None):
    return (io.BytesIO(tiny_pdf("archive") if data is None else data), name)


def _post(client, url: str = NEW, **changes):
    data = {
        "title": "2025 협치회의 회의록",
        "category": "회의자료",
        "description": "3월 정기회의 회의록입니다.",
        "files": [_file("회의록.pdf")],
    }
    data.update(changes)
    return client.post(url, data=data, content_type="multipart/form-data")


def test_staff_publish_a_file_and_anyone_downloads_it_safely(app, client, auth, users):
    auth.login(users.autonomy)
    response = _post(client)
    assert response.status_code == 303
    detail = response.headers["Location"]
    auth.logout()
    page = client.get(detail).get_data(as_text=True)
    assert "2025 협치회의 회의록" in page and "회의자료" in page
    upload = db.session.scalar(select(Upload))
    assert upload.url in page
    # Stored outside the web root under a generated name, not the original.
    stored = upload_dir() / upload.stored_name
    assert stored.read_bytes().startswith(b"%PDF-")
    assert "static" not in str(stored) and upload.stored_name != "회의록.pdf"
    download = client.get(upload.url)
    assert download.status_code == 200
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''" in disposition
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    listing = client.get("/governance/archive?category=회의자료").get_data(as_text=True)
    assert "2025 협치회의 회의록" in listing
    assert "2025 협치회의 회의록" not in client.get("/governance/archive?category=보고서").get_data(
        as_text=True
    )
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "archive.create"))
    assert entry.after["files"] == ["회의록.pdf"]


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("page.html", b"<!doctype html><html><script>alert(1)</script></html>", "허용되지 않는"),
        ("page.pdf", b"<!doctype html><html><script>alert(1)</script></html>", "허용되지 않는"),
        ("setup.exe", b"MZ\x90\x00\x03" + b"\x00" * 200, "허용되지 않는"),
        ("report.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, "허용되지 않는"),
        ("script.pdf", b"#!/bin/sh\nrm -rf /\n", "허용되지 않는"),
        ("empty.pdf", b"", "빈 파일은 올릴 수 없습니다"),
        ("문서.hwp", None, "확장자와 실제 파일 형식이 다릅니다"),
        ("..\\..\\windows\\evil", None, "확장자와 실제 파일 형식이 다릅니다"),
    ],
)
def test_lying_executable_html_and_empty_files_are_refused_and_nothing_saved(
    app, client, auth, users, name, data, message
):
    auth.login(users.autonomy)
    response = _post(client, files=[_file(name, data)])
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(ArchiveItem.id)) is None
    assert db.session.scalar(select(Upload.id)) is None
    assert not any(upload_dir().iterdir())


def test_one_bad_file_among_good_ones_saves_nothing(app, client, auth, users):
    auth.login(users.autonomy)
    response = _post(client, files=[_file("good.pdf"), _file("bad.pdf", b"<html></html>")])
    assert response.status_code == 422 and "bad:" in response.get_data(as_text=True)
    assert db.session.scalar(select(Upload.id)) is None
    assert not any(upload_dir().iterdir())


def test_an_oversize_file_is_refused(app, client, auth, users):
    set_setting("archive.max_file_mb", 1)
    db.session.commit()
    auth.login(users.autonomy)
    response = _post(client, files=[_file("big.pdf", tiny_pdf() + b" " * (1 << 20))])
    assert response.status_code == 422 and "너무 큽니다" in response.get_data(as_text=True)
    assert db.session.scalar(select(ArchiveItem.id)) is None


def test_a_path_trick_in_the_name_never_reaches_the_disk_or_the_download(app, client, auth, users):
    auth.login(users.autonomy)
    response = _post(client, files=[_file("../../../../tmp/owned.pdf")])
    assert response.status_code == 303
    upload = db.session.scalar(select(Upload))
    assert upload.original_name == "owned.pdf"
    assert [p.name for p in upload_dir().iterdir()] == [upload.stored_name]
    assert client.get("/uploads/..%2F..%2Fetc%2Fpasswd/x.pdf").status_code == 404


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"title": ""}, "제목을(를) 입력하세요."),
        ({"title": "가" * 151}, "150자 이하"),
        ({"category": "없는분류"}, "목록에 있는 값을 고르세요."),
        ({"files": []}, "파일을 하나 이상"),
    ],
)
def test_bad_fields_are_refused_next_to_the_field(app, client, auth, users, changes, message):
    auth.login(users.autonomy)
    response = _post(client, **changes)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db.session.scalar(select(ArchiveItem.id)) is None


def test_only_autonomy_staff_publish_edit_and_delete(app, client, auth, users):
    auth.login(users.autonomy)
    detail = _post(client).headers["Location"]
    item_id = int(detail.rsplit("/", 1)[1])
    auth.logout()
    for user in (users.resident, users.planning, users.boramae):
        auth.login(user)
        assert _post(client).status_code == 403
        assert client.get(f"/governance/archive/{item_id}/edit").status_code == 403
        assert client.post(f"/governance/archive/{item_id}/delete").status_code == 403
        auth.logout()
    auth.login(users.autonomy)
    assert client.get("/governance/archive/999").status_code == 404
    assert client.post("/governance/archive/999/delete").status_code == 404
    response = client.post(
        f"/governance/archive/{item_id}/edit",
        data={
            "title": "고친 회의록",
            "category": "보고서",
            "description": "",
            "files": [_file("추가.pdf")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    item = db.session.get(ArchiveItem, item_id)
    db.session.refresh(item)
    assert item.title == "고친 회의록" and len(item.files) == 2
    assert client.post(f"/governance/archive/{item_id}/delete").status_code == 303
    assert client.get(detail).status_code == 404
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["archive.create", "archive.edit", "archive.delete"]


def test_removing_the_last_file_is_refused(app, client, auth, users):
    auth.login(users.autonomy)
    item_id = int(_post(client).headers["Location"].rsplit("/", 1)[1])
    file_id = db.session.get(ArchiveItem, item_id).files[0].id
    response = client.post(
        f"/governance/archive/{item_id}/edit",
        data={"title": "t", "category": "보고서", "remove_file": str(file_id)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and "파일을 하나 이상" in response.get_data(as_text=True)
    db.session.expire_all()
    assert len(db.session.get(ArchiveItem, item_id).files) == 1


def test_archive_list_query_count_does_not_grow_with_rows(app, client, users):
    from gwanak.core.settings import set_setting as _set
    from gwanak.governance import operations as ops
    from tests.query_counter import count_queries

    _set("archive.per_page", 100)
    db.session.commit()

    def fill(count):
        from werkzeug.datastructures import FileStorage

        for i in range(count):
            ops.create_archive_item(
                users.autonomy.id, title=f"자료 {i}", description="", category="보고서",
                files=[FileStorage(io.BytesIO(tiny_pdf()), filename=f"{i}.pdf")],
            )  # fmt: skip

    fill(10)
    client.get("/governance/archive")  # warm up the per-process visit counter and footer
    with count_queries() as few:
        assert client.get("/governance/archive").status_code == 200
    fill(90)
    with count_queries() as many:
        page = client.get("/governance/archive").get_data(as_text=True)
    assert page.count("파일 1개") == 100
    assert len(few) == len(many)
