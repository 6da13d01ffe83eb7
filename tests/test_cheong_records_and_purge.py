"""Meeting records with photos, and the retention purge that keeps the public record."""

from __future__ import annotations

import io
import json
from datetime import date, datetime

import pytest
from PIL import Image
from sqlalchemy import select, text

from gwanak.cheong import operations as ops
from gwanak.cheong.models import DateApplication, DatePhoto, DateRecord, DateStateChange
from gwanak.core.audit import AuditEntry
from gwanak.core.extensions import db
from gwanak.core.settings import set_setting
from gwanak.core.uploads import Upload, upload_dir
from tests.factories import date_application, held_date

NOW = datetime(2026, 11, 25, 1, 0)


def _image(kind: str = "JPEG", size=(3000, 2000)) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (30, 120, 200))
    if kind == "JPEG":
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # camera make: must not survive
        image.save(buffer, kind, exif=exif)
    else:
        image.save(buffer, kind)
    return buffer.getvalue()


@pytest.fixture
def record(app, users, frozen):
    frozen(NOW)
    # The body holds a phone number: the purge must take it away.
    application = held_date(
        users.resident, users.audit, body="밤길이 어둡습니다. 010-1111-2222 로 연락 주세요."
    )
    return ops.save_record(
        None, users.audit, title="산책로 조명 이야기", held_on=date(2026, 11, 26),
        discussed="조명을 늘리기로 했습니다.", actions="- 보안등 12개", publish=True,
        application=application,
    )  # fmt: skip


def test_a_photo_is_resized_stripped_of_exif_and_shown_with_its_alt_text(
    client, auth, users, record
):
    auth.login(users.audit)
    response = client.post(
        f"/cheong/staff/records/{record.id}/photos",
        data={
            "photo": (io.BytesIO(_image()), "meeting.jpg"),
            "alt": "구청장과 주민이 공원을 걷는 모습",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    photo = db.session.scalar(select(DatePhoto))
    assert (photo.width, photo.height) == (1280, 853)
    stored = upload_dir() / photo.upload.stored_name
    with Image.open(stored) as image:
        assert image.size == (1280, 853)
        assert 0x010F not in image.getexif()
    assert photo.upload.size == stored.stat().st_size
    auth.logout()
    page = client.get(f"/cheong/dates/{record.id}").get_data(as_text=True)
    assert 'alt="구청장과 주민이 공원을 걷는 모습"' in page and 'width="1280"' in page
    assert client.get(photo.upload.url).status_code == 200
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "date_record.photo_add")
    )
    assert entry.actor_id == users.audit.id


@pytest.mark.parametrize(
    ("data", "name", "alt", "message"),
    [
        (None, "meeting.jpg", "", "사진 설명"),
        (None, "meeting.jpg", "   ", "사진 설명"),
        (None, "meeting.jpg", "가" * 201, "200자 이하"),
        (b"<html><script>alert(1)</script>", "meeting.jpg", "사진", "허용되지 않는"),
        (b"%PDF-1.7\n", "meeting.pdf", "사진", "허용되지 않는"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 64, "broken.jpg", "사진", "읽을 수 없습니다"),
    ],
)
def test_bad_photos_are_refused_and_nothing_is_kept(
    client, auth, users, record, data, name, alt, message
):
    auth.login(users.audit)
    response = client.post(
        f"/cheong/staff/records/{record.id}/photos",
        data={"photo": (io.BytesIO(data or _image("PNG", (40, 30))), name), "alt": alt},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(DatePhoto)) is None
    assert db.session.scalar(select(Upload)) is None


def test_photos_of_an_unpublished_record_stay_private(client, auth, users, record):
    auth.login(users.audit)
    client.post(
        f"/cheong/staff/records/{record.id}/photos",
        data={"photo": (io.BytesIO(_image("PNG", (40, 30))), "a.png"), "alt": "회의 모습"},
        content_type="multipart/form-data",
    )
    client.post(
        f"/cheong/staff/records/{record.id}",
        data={"title": record.title, "held_on": "2026-11-26", "discussed": "초안으로 되돌림"},
    )
    photo = db.session.scalar(select(DatePhoto))
    assert client.get(photo.upload.url).status_code == 200  # its staff still see it
    auth.logout()
    assert client.get(photo.upload.url).status_code == 404
    assert client.get(f"/cheong/dates/{record.id}").status_code == 404


def test_a_renamed_owner_still_sees_the_photos_of_an_unpublished_record(
    client, auth, users, record
):
    from gwanak.accounts.models import Department, User
    from gwanak.accounts.organisation import rename_department

    auth.login(users.audit)
    client.post(
        f"/cheong/staff/records/{record.id}/photos",
        data={"photo": (io.BytesIO(_image("PNG", (40, 30))), "a.png"), "alt": "회의 모습"},
        content_type="multipart/form-data",
    )
    client.post(
        f"/cheong/staff/records/{record.id}",
        data={"title": record.title, "held_on": "2026-11-26", "discussed": "초안으로 되돌림"},
    )
    url = db.session.scalar(select(DatePhoto)).upload.url
    auth.logout()
    owner = db.session.scalar(select(Department).where(Department.name == "감사담당관"))
    rename_department(owner, "감사관", None, users.admin)
    auth.login(db.session.get(User, users.audit.id))
    assert client.get(url).status_code == 200


def test_staff_of_another_department_cannot_edit_records(client, auth, users, record):
    auth.login(users.planning)
    assert client.get(f"/cheong/staff/records/{record.id}").status_code == 403
    assert (
        client.post(f"/cheong/staff/records/{record.id}/follow-ups", data={"body": "x"}).status_code
        == 403
    )
    assert client.get("/cheong/staff/records/999").status_code == 404


def test_follow_ups_are_published_on_the_record(client, auth, users, record):
    auth.login(users.audit)
    assert (
        client.post(
            f"/cheong/staff/records/{record.id}/follow-ups", data={"body": "  "}
        ).status_code
        == 422
    )
    response = client.post(
        f"/cheong/staff/records/{record.id}/follow-ups",
        data={"body": "보안등 6개를 먼저 설치했습니다. <script>x</script>"},
    )
    assert response.status_code == 303
    auth.logout()
    page = client.get(f"/cheong/dates/{record.id}").get_data(as_text=True)
    assert "보안등 6개를 먼저 설치했습니다" in page and "<script>x" not in page


def test_purge_removes_personal_data_and_keeps_the_public_record(
    app, client, users, record, frozen, runner
):
    set_setting("cheong.retention_days", 30)
    db.session.commit()
    # A second application, still open: never purged, whatever its age.
    open_one = date_application(users.neighbour, "아직 진행 중", phone="010-7777-8888")
    board_before = client.get("/cheong/date-board").get_data(as_text=True)
    record_before = client.get(f"/cheong/dates/{record.id}").get_data(as_text=True)

    frozen(datetime(2026, 12, 20, 1, 0))  # 25 days after closing: too early
    result = runner.invoke(args=["gwanak", "purge-expired"])
    assert "0건" in result.output
    frozen(datetime(2027, 1, 10, 1, 0))  # 46 days after closing
    result = runner.invoke(args=["gwanak", "purge-expired"])
    assert result.exit_code == 0 and "1건" in result.output

    db.session.expire_all()
    purged = db.session.get(DateApplication, record.application_id)
    assert purged.phone is None and purged.applicant_id is None and purged.body is None
    assert purged.preferences == [] and purged.consented_at is None
    actors = db.session.scalars(
        select(DateStateChange.actor_id).where(DateStateChange.application_id == purged.id)
    ).all()
    assert users.resident.id not in actors
    # Nothing personal anywhere in the application's rows.
    with db.engine.connect() as conn:
        for table in ("date_applications", "date_state_changes", "date_records"):
            rows = conn.execute(
                text(
                    f"SELECT * FROM {table} WHERE {'id' if table == 'date_applications' else 'application_id'} = :id"
                ),
                {"id": purged.id},
            ).all()
            dump = json.dumps([list(map(str, r)) for r in rows], ensure_ascii=False)
            for secret in ("010-1234-5678", "1111-2222", "김철우", users.resident.email):
                assert secret not in dump, (table, secret)
    # Still open → untouched.
    db.session.refresh(open_one)
    assert open_one.phone == "010-7777-8888" and open_one.applicant_id == users.neighbour.id
    # The public record is unchanged.
    frozen(NOW)
    board_after = client.get("/cheong/date-board").get_data(as_text=True)
    record_after = client.get(f"/cheong/dates/{record.id}").get_data(as_text=True)
    for fragment in ("산책로 조명", "김*우", "보라매동", "완료", "2026-11-26"):
        assert fragment in board_before and fragment in board_after
    assert (
        record_before.split("<main", 1)[1].split("</main>")[0]
        == record_after.split("<main", 1)[1].split("</main>")[0]
    )
    assert db.session.get(DateRecord, record.id).is_published
    entry = db.session.scalar(
        select(AuditEntry)
        .where(AuditEntry.action == "cheong.purge_expired")
        .order_by(AuditEntry.id.desc())
    )
    assert entry.after["applications"] == 1
    # Running again does nothing more.
    frozen(datetime(2027, 1, 10, 1, 0))
    assert "0건" in runner.invoke(args=["gwanak", "purge-expired"]).output
