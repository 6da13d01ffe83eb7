"""데이트: a resident applies, staff of 감사담당관 move it through its states, the board shows it."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from gwanak.accounts.models import Role
from gwanak.cheong import operations as ops
from gwanak.cheong.models import DateApplication, DateRecord, DateState, DateStateChange
from gwanak.core.audit import AuditEntry
from gwanak.core.extensions import db
from gwanak.core.mail import OutboxMail
from gwanak.core.workdays import is_working_day
from tests.factories import date_application, make_user
from tests.query_counter import statements_for

# Wednesday 2026-11-25, 10:00 KST.
NOW = datetime(2026, 11, 25, 1, 0)
DEC_3_EVENING = datetime(2026, 12, 3, 8, 0)  # 17:00 KST on the day of a 15:00 meeting
GOOD = {
    "title": "보라매공원 산책로 조명",
    "body": "밤에 산책로가 어두워 위험합니다. 조명을 늘려 주세요.",
    "group_size": "3",
    "date1": "2026-12-01",  # Tuesday
    "slot1": "오전",
    "date2": "2026-12-02",  # Wednesday
    "slot2": "오후",
    "date3": "",
    "slot3": "",
    "phone": "010-1234-5678",
    "consent": "y",
}


@pytest.fixture
def world(app, users, frozen):
    frozen(NOW)
    return users


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _apply(client, auth, user, **changes):
    auth.login(user)
    return client.post("/cheong/date-apply", data=GOOD | changes)


def test_working_days_skip_weekends_and_korean_holidays():
    assert is_working_day(date(2026, 12, 1))
    assert not is_working_day(date(2026, 11, 28))  # Saturday
    assert not is_working_day(date(2026, 12, 25))  # 성탄절
    assert not is_working_day(date(2027, 2, 9))  # 대체공휴일(설날)
    assert not is_working_day(date(2026, 10, 5))  # 대체공휴일(개천절)


def test_a_resident_applies_and_sees_it_on_their_page(client, auth, world):
    response = _apply(client, auth, world.resident)
    assert response.status_code == 303
    application = db.session.scalar(select(DateApplication))
    assert application.state == DateState.RECEIVED
    assert application.masked_name == "김*우"
    assert application.phone == "010-1234-5678"
    assert application.consented_at is not None
    mine = client.get("/cheong/date-apply/mine").get_data(as_text=True)
    assert "보라매공원 산책로 조명" in mine and "접수" in mine
    mail = db.session.scalar(select(OutboxMail))
    assert mail.to_user_id == world.resident.id and "신청 접수" in mail.subject


def test_anonymous_visitors_read_how_to_apply_but_must_log_in(client, world):
    page = client.get("/cheong/date-apply").get_data(as_text=True)
    assert "개인정보 수집·이용 안내" in page and "보유 기간" in page and "로그인" in page
    refused = client.post("/cheong/date-apply", data=GOOD)
    assert refused.status_code == 302 and "/auth/login" in refused.headers["Location"]
    assert _count(DateApplication) == 0


def test_staff_accounts_cannot_apply(client, auth, world):
    assert _apply(client, auth, world.audit).status_code == 403


@pytest.mark.parametrize(
    ("changes", "field_message"),
    [
        ({"date1": "2026-11-20"}, "내일 이후"),  # past
        ({"date1": "2026-11-25"}, "내일 이후"),  # today
        ({"date1": "2026-11-28"}, "주말"),  # Saturday
        ({"date2": "2026-12-25"}, "성탄절"),  # holiday
        ({"date1": "2027-06-01"}, "까지 고를 수"),  # too far ahead
        ({"date1": "어제"}, "형식으로 입력"),
        ({"date2": "2026-12-01", "slot2": "오전"}, "두 번"),  # duplicate choice
        ({"slot1": "새벽"}, "목록에 있는 시간대"),
        ({"phone": "12345"}, "전화번호 형식"),
        ({"phone": "010-1234-56789"}, "전화번호 형식"),
        ({"phone": "<b>010</b>"}, "전화번호 형식"),
        ({"consent": ""}, "동의해야"),
        ({"title": ""}, "입력하세요"),
        ({"title": "   "}, "입력하세요"),
        ({"title": "가" * 101}, "100자 이하"),
        ({"body": "가" * 2001}, "2,000자 이하"),
        ({"group_size": "0"}, "참석 인원"),
        ({"group_size": "11"}, "참석 인원"),
        ({"group_size": "many"}, "숫자로 입력"),
    ],
)
def test_bad_applications_are_refused_with_a_message_and_nothing_saved(
    client, auth, world, changes, field_message
):
    response = _apply(client, auth, world.resident, **changes)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert field_message in html
    assert 'class="error"' in html or "error-summary" in html
    assert _count(DateApplication) == 0
    assert _count(OutboxMail) == 0


def test_html_in_an_application_is_shown_as_text(client, auth, world):
    _apply(client, auth, world.resident, title="<script>alert(1)</script>", publish_body="y")
    board = client.get("/cheong/date-board").get_data(as_text=True)
    assert "<script>alert(1)" not in board and "&lt;script&gt;" in board


def test_a_double_submit_makes_one_application(client, auth, world):
    assert _apply(client, auth, world.resident).status_code == 303
    second = client.post("/cheong/date-apply", data=GOOD)
    assert second.status_code == 422
    assert "이미 접수" in second.get_data(as_text=True)
    assert _count(DateApplication) == 1


def test_a_resident_changes_then_cancels_before_scheduling(client, auth, world):
    _apply(client, auth, world.resident)
    application = db.session.scalar(select(DateApplication))
    form = client.get(f"/cheong/date-apply/{application.id}").get_data(as_text=True)
    assert 'value="2026-12-01"' in form
    response = client.post(
        f"/cheong/date-apply/{application.id}",
        data=GOOD | {"title": "산책로 조명과 CCTV", "consent": ""},
    )
    assert response.status_code == 303
    db.session.refresh(application)
    assert application.title == "산책로 조명과 CCTV"
    assert client.post(f"/cheong/date-apply/{application.id}/cancel").status_code == 303
    db.session.refresh(application)
    assert application.state == DateState.CANCELLED
    assert [c.to_state for c in application.changes] == ["received", "received", "cancelled"]
    assert _count(OutboxMail) == 3


def test_another_residents_application_is_forbidden(client, auth, world):
    _apply(client, auth, world.resident)
    application = db.session.scalar(select(DateApplication))
    auth.logout()
    auth.login(world.neighbour)
    assert client.get(f"/cheong/date-apply/{application.id}").status_code == 403
    assert client.post(f"/cheong/date-apply/{application.id}/cancel").status_code == 403
    assert client.post(f"/cheong/date-apply/{application.id}", data=GOOD).status_code == 403
    assert client.get("/cheong/date-apply/999").status_code == 404
    db.session.refresh(application)
    assert application.state == DateState.RECEIVED


def test_staff_of_another_department_cannot_touch_the_queue(client, auth, world):
    _apply(client, auth, world.resident)
    application = db.session.scalar(select(DateApplication))
    for user in (world.planning, world.boramae, world.resident, world.mayor):
        auth.logout()
        auth.login(user)
        assert client.get("/cheong/staff/dates").status_code == 403
        assert client.get(f"/cheong/staff/dates/{application.id}").status_code == 403
        assert client.post(f"/cheong/staff/dates/{application.id}/review").status_code == 403
        assert (
            client.post(
                f"/cheong/staff/dates/{application.id}/schedule",
                data={"day": "2026-12-01", "at": "14:00", "place": "구청장실"},
            ).status_code
            == 403
        )
    db.session.refresh(application)
    assert application.state == DateState.RECEIVED
    assert _count(AuditEntry) == 0


def test_out_of_order_state_changes_are_refused_with_a_reason(client, auth, world):
    _apply(client, auth, world.resident)
    application = db.session.scalar(select(DateApplication))
    auth.logout()
    auth.login(world.audit)
    response = client.post(f"/cheong/staff/dates/{application.id}/complete")
    assert response.status_code == 409
    assert "완료&#39;(으)로 바꿀 수 없습니다" in response.get_data(as_text=True)
    assert client.get(f"/cheong/staff/records/new?application={application.id}").status_code == 409
    client.post(f"/cheong/staff/dates/{application.id}/decline", data={"reason": "중복 신청"})
    assert client.post(f"/cheong/staff/dates/{application.id}/review").status_code == 409
    response = client.post(
        f"/cheong/staff/dates/{application.id}/schedule",
        data={"day": "2026-12-01", "at": "14:00", "place": "구청장실"},
    )
    assert response.status_code == 409
    db.session.refresh(application)
    assert application.state == DateState.DECLINED
    # The applicant can no longer cancel or change a closed application.
    auth.logout()
    auth.login(world.resident)
    client.post(f"/cheong/date-apply/{application.id}/cancel")
    assert client.post(f"/cheong/date-apply/{application.id}", data=GOOD).status_code == 409
    db.session.refresh(application)
    assert application.state == DateState.DECLINED


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"day": "2026-11-01", "at": "14:00", "place": "구청장실"}, "지난 날짜"),
        ({"day": "", "at": "14:00", "place": "구청장실"}, "형식으로 입력"),
        ({"day": "2026-12-01", "at": "25:00", "place": "구청장실"}, "14:00 형식"),
        ({"day": "2026-12-01", "at": "14:00", "place": "  "}, "입력하세요"),
        ({"day": "2026-12-01", "at": "14:00", "place": "가" * 101}, "100자 이하"),
    ],
)
def test_bad_schedules_are_refused(client, auth, world, data, message):
    _apply(client, auth, world.resident)
    application = db.session.scalar(select(DateApplication))
    auth.logout()
    auth.login(world.audit)
    response = client.post(f"/cheong/staff/dates/{application.id}/schedule", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    db.session.refresh(application)
    assert application.state == DateState.RECEIVED


def test_decline_needs_a_reason(client, auth, world):
    _apply(client, auth, world.resident)
    application = db.session.scalar(select(DateApplication))
    auth.logout()
    auth.login(world.audit)
    for reason in ("", "   ", "가" * 501):
        response = client.post(
            f"/cheong/staff/dates/{application.id}/decline", data={"reason": reason}
        )
        assert response.status_code == 422
    db.session.refresh(application)
    assert application.state == DateState.RECEIVED


def test_every_state_change_is_mailed_recorded_and_audited(client, auth, world, frozen):
    _apply(client, auth, world.resident)
    application = db.session.scalar(select(DateApplication))
    auth.logout()
    auth.login(world.audit)
    base = f"/cheong/staff/dates/{application.id}"
    assert client.post(f"{base}/review").status_code == 303
    assert (
        client.post(
            f"{base}/schedule", data={"day": "2026-12-03", "at": "15:00", "place": "구청장실"}
        ).status_code
        == 303
    )
    frozen(DEC_3_EVENING)
    assert client.post(f"{base}/complete").status_code == 303
    db.session.refresh(application)
    assert application.state == DateState.HELD
    states = [c.to_state for c in application.changes]
    assert states == ["received", "reviewing", "scheduled", "held"]
    subjects = [m.subject for m in db.session.scalars(select(OutboxMail).order_by(OutboxMail.id))]
    assert len(subjects) == 4 and "일정 확정" in subjects[2]
    assert all(m.to_user_id == world.resident.id for m in db.session.scalars(select(OutboxMail)))
    actions = [e.action for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions == ["date.review", "date.schedule", "date.complete"]
    assert all(e.actor_id == world.audit.id for e in db.session.scalars(select(AuditEntry)))


def test_must_show_without_js_apply_schedule_board_complete_publish(client, auth, world, frozen):
    """The issue's walk, with plain form posts and redirects only."""
    assert _apply(client, auth, world.resident).status_code == 303
    application = db.session.scalar(select(DateApplication))
    auth.logout()
    auth.login(world.audit)
    queue = client.get("/cheong/staff/dates").get_data(as_text=True)
    assert "보라매공원 산책로 조명" in queue
    response = client.post(
        f"/cheong/staff/dates/{application.id}/schedule",
        data={"day": "2026-12-03", "at": "15:00", "place": "관악구청 구청장실"},
    )
    assert response.status_code == 303
    auth.logout()
    board = client.get("/cheong/date-board").get_data(as_text=True)
    assert "일정확정" in board and "김*우" in board and "2026-12-03" in board
    assert "김철우" not in board
    assert "010" not in board and "5678" not in board
    assert world.resident.email not in board
    assert "밤에 산책로가" not in board  # the body stays private unless published

    auth.login(world.audit)
    frozen(DEC_3_EVENING)
    assert client.post(f"/cheong/staff/dates/{application.id}/complete").status_code == 303
    response = client.post(
        f"/cheong/staff/records/new?application={application.id}",
        data={
            "title": "보라매공원 산책로 조명 이야기",
            "held_on": "2026-12-03",
            "discussed": "산책로 **조명**을 늘리는 방안을 이야기했습니다.",
            "actions": "- 2027년 상반기 조명 12개 설치",
            "publish": "y",
        },
    )
    assert response.status_code == 303
    auth.logout()
    dates = client.get("/cheong/dates").get_data(as_text=True)
    assert "보라매공원 산책로 조명 이야기" in dates
    record = db.session.scalar(select(DateRecord))
    detail = client.get(f"/cheong/dates/{record.id}").get_data(as_text=True)
    assert "<strong>조명</strong>" in detail and "조명 12개" in detail
    assert "010-1234-5678" not in detail


def test_unpublished_records_are_hidden_from_the_public(client, auth, world):
    auth.login(world.audit)
    client.post(
        "/cheong/staff/records/new",
        data={"title": "비공개 기록", "held_on": "2026-11-20", "discussed": "초안"},
    )
    record = db.session.scalar(select(DateRecord))
    assert not record.is_published
    assert client.get(f"/cheong/dates/{record.id}").status_code == 200
    auth.logout()
    assert client.get(f"/cheong/dates/{record.id}").status_code == 404
    assert "비공개 기록" not in client.get("/cheong/dates").get_data(as_text=True)
    assert client.get("/cheong/dates/999").status_code == 404


def test_board_filters_by_state_and_month_and_counts_meetings_this_year(
    client, auth, world, frozen
):
    resident = world.resident
    apps = []
    for n in range(3):
        apps.append(date_application(resident, f"주제 {n}", group_size=1))
    ops.schedule(
        apps[0], world.audit, day=date(2026, 11, 26), at=datetime(1, 1, 1, 14).time(), place="구청"
    )
    frozen(datetime(2026, 11, 26, 8, 0))
    ops.complete(apps[0], world.audit)
    ops.decline(apps[1], world.audit, "다른 창구로 안내")
    board = client.get("/cheong/date-board").get_data(as_text=True)
    assert "2026년에 만난 횟수: <strong>1회</strong>" in board
    held = client.get("/cheong/date-board?state=held").get_data(as_text=True)
    assert "주제 0" in held and "주제 1" not in held and "주제 2" not in held
    assert "주제 0" in client.get("/cheong/date-board?month=2026-11").get_data(as_text=True)
    assert "주제 0" not in client.get("/cheong/date-board?month=2026-10").get_data(as_text=True)
    # Unknown filters are ignored, not errors.
    assert client.get("/cheong/date-board?state=zzz&month=bad").status_code == 200
    # htmx asks for the rows only.
    fragment = client.get("/cheong/date-board?state=held", headers={"HX-Request": "true"})
    text = fragment.get_data(as_text=True)
    assert "<html" not in text and "주제 0" in text and "<table" in text


def test_board_query_count_does_not_grow_with_rows(client, world):
    def add(n: int) -> None:
        for i in range(n):
            db.session.add(
                DateApplication(
                    applicant_id=world.resident.id,
                    masked_name="김*우",
                    dong="boramae",
                    title=f"주제 {i}",
                    body="내용",
                    preferences=[],
                    phone="010-1111-2222",
                    state=DateState.RECEIVED,
                )  # fmt: skip
            )
        db.session.commit()

    add(10)
    client.get("/cheong/date-board")  # warm caches (salts, settings)
    ten = statements_for(client, "/cheong/date-board")
    add(90)
    hundred = statements_for(client, "/cheong/date-board")
    assert ten == hundred


def test_staff_queue_filters(client, auth, world):
    _apply(client, auth, world.resident)
    auth.logout()
    auth.login(world.audit)
    assert "산책로" in client.get("/cheong/staff/dates?state=received").get_data(as_text=True)
    assert "산책로" not in client.get("/cheong/staff/dates?state=held").get_data(as_text=True)
    assert "산책로" in client.get("/cheong/staff/dates?q=산책로").get_data(as_text=True)
    assert "산책로" not in client.get("/cheong/staff/dates?q=도서관").get_data(as_text=True)
    assert client.get("/cheong/staff/dates/999").status_code == 404


def test_admin_may_work_the_queue_too(client, auth, world):
    _apply(client, auth, world.resident)
    application = db.session.scalar(select(DateApplication))
    auth.logout()
    auth.login(world.admin)
    assert client.post(f"/cheong/staff/dates/{application.id}/review").status_code == 303
    assert db.session.scalar(select(func.count(DateStateChange.id))) == 2


def test_a_deleted_applicant_gets_no_mail(app, world):
    other = make_user(Role.RESIDENT, name="박민수")
    application = date_application(other, "주제", phone="010 2222 3333")
    assert application.phone == "010-2222-3333"
    other.deleted_at = NOW
    db.session.commit()
    ops.start_review(application, world.audit)
    assert _count(OutboxMail) == 1


def test_the_staff_index_links_to_the_queue_for_audit_staff_only(client, auth, world):
    auth.login(world.audit)
    assert "소통데이트 신청 처리" in client.get("/staff/").get_data(as_text=True)
    auth.logout()
    auth.login(world.planning)
    page = client.get("/staff/").get_data(as_text=True)
    assert "소통데이트 신청 처리" not in page and "방문 통계" in page


def test_no_phone_in_the_board_even_when_typed_into_a_published_body(client, auth, world):
    _apply(
        client, auth, world.resident, publish_body="y",
        body="제 번호는 010-9876-5432 입니다. 연락 주세요.",
    )  # fmt: skip
    auth.logout()
    board = client.get("/cheong/date-board").get_data(as_text=True)
    assert "9876" not in board
    assert not re.search(r"010-\d{4}-\d{4}", board)


def test_records_list_query_count_does_not_grow_with_rows(client, world):
    def add(n: int) -> None:
        for i in range(n):
            application = DateApplication(
                applicant_id=world.resident.id, masked_name="김*우", dong="boramae",
                title=f"주제 {i}", body="내용", preferences=[], state=DateState.HELD,
            )  # fmt: skip
            db.session.add(
                DateRecord(
                    application=application,
                    title=f"기록 {i}",
                    held_on=date(2026, 11, 1),
                    discussed="내용",
                    published_at=NOW,
                )  # fmt: skip
            )
        db.session.commit()

    add(10)
    client.get("/cheong/dates")
    ten = statements_for(client, "/cheong/dates")
    add(90)
    assert statements_for(client, "/cheong/dates") == ten


def test_meetings_held_are_a_live_figure_for_pledges(app, world, frozen):
    from gwanak.core.live_figures import live_figure

    application = date_application(world.resident, "주제")
    assert live_figure("cheong.dates_held", 2026) == 0
    ops.schedule(
        application,
        world.audit,
        day=date(2026, 12, 3),
        at=datetime(1, 1, 1, 10).time(),
        place="구청",
    )
    frozen(DEC_3_EVENING)
    ops.complete(application, world.audit)
    assert live_figure("cheong.dates_held", 2026) == 1
    assert live_figure("cheong.dates_held", 2027) == 0
