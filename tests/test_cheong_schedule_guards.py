"""데이트 with the mayor: meetings on working days only, one per slot (also when two staff
book at once), held only on or after the day, and the mayor's page of upcoming meetings.
Refusals are Korean and change nothing."""

from __future__ import annotations

import threading
from datetime import date, datetime, time

import pytest
from sqlalchemy import func, select

from gwanak.cheong import operations as ops
from gwanak.cheong.models import DateApplication, DateState, DateStateChange
from gwanak.core.audit import AuditEntry
from gwanak.core.extensions import db
from gwanak.core.operations import OperationError
from tests.conftest import is_postgres
from tests.factories import date_application, make_user

NOW = datetime(2026, 11, 25, 1, 0)  # Wednesday 2026-11-25, 10:00 KST
TUESDAY = date(2026, 12, 1)


@pytest.fixture
def world(app, users, frozen):
    frozen(NOW)
    return users


def _unchanged(application_id: int) -> DateApplication:
    db.session.rollback()
    db.session.expire_all()
    return db.session.get(DateApplication, application_id)


def test_a_meeting_is_set_on_a_working_day_only(world):
    application = date_application(world.resident)
    for day, message in (
        (date(2026, 11, 28), "11월 28일은 주말입니다"),
        (date(2026, 12, 25), "12월 25일은 성탄절입니다"),
        (date(2026, 11, 24), "지난 날짜"),
    ):
        with pytest.raises(OperationError, match=message) as refused:
            ops.schedule(application, world.audit, day=day, at=time(14), place="구청장실")
        assert refused.value.field == "day"
    for at in (time(8, 30), time(17, 30), time(22, 0)):
        with pytest.raises(OperationError, match="근무 시간") as refused:
            ops.schedule(application, world.audit, day=TUESDAY, at=at, place="구청장실")
        assert refused.value.field == "at"
    application = _unchanged(application.id)
    assert (application.state, application.scheduled_date) == (DateState.RECEIVED, None)
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_one_meeting_per_slot(world):
    first = date_application(world.resident, "산책로 조명")
    second = date_application(world.neighbour, "놀이터 그늘막")
    ops.schedule(first, world.audit, day=TUESDAY, at=time(14), place="구청장실")
    with pytest.raises(
        OperationError, match=r"2026-12-01 오후에는 이미 다른 만남\(신청 번호"
    ) as refused:
        ops.schedule(second, world.audit, day=TUESDAY, at=time(16), place="구청장실")
    assert (refused.value.status, refused.value.field) == (409, "day")
    second = _unchanged(second.id)
    assert second.state == DateState.RECEIVED and second.scheduled_date is None
    # The morning is free; moving the first meeting within its own slot is no clash.
    ops.schedule(second, world.audit, day=TUESDAY, at=time(10), place="구청장실")
    ops.schedule(_unchanged(first.id), world.audit, day=TUESDAY, at=time(15), place="구청장실")
    # A declined meeting gives its slot back.
    ops.decline(_unchanged(first.id), world.audit, "구청장 출장으로 다음 달에 다시 잡습니다.")
    third = date_application(world.resident, "버스 정류장 의자")
    ops.schedule(third, world.audit, day=TUESDAY, at=time(14), place="구청장실")
    assert _unchanged(third.id).scheduled_slot == "오후"


def test_two_staff_booking_one_slot_at_once_cannot_both_win(world, monkeypatch):
    """Both pass the check before either commits: the unique index refuses the second."""
    first = date_application(world.resident, "산책로 조명")
    second = date_application(world.neighbour, "놀이터 그늘막")
    ops.schedule(first, world.audit, day=TUESDAY, at=time(14), place="구청장실")
    changes_before = db.session.scalar(select(func.count()).select_from(DateStateChange))
    monkeypatch.setattr(ops, "_check_meeting_day", lambda app, day, at: ops.slot_of(at))
    with pytest.raises(OperationError) as refused:
        ops.schedule(second, world.audit, day=TUESDAY, at=time(15), place="구청장실")
    assert refused.value.message == ops.SLOT_TAKEN and refused.value.status == 409
    second = _unchanged(second.id)
    assert second.state == DateState.RECEIVED and second.scheduled_date is None
    assert db.session.scalar(select(func.count()).select_from(DateStateChange)) == changes_before


@pytest.mark.skipif(not is_postgres(), reason="concurrency is proved on PostgreSQL")
def test_eight_staff_booking_one_slot_at_once_book_it_once(app, world):
    applications = [date_application(make_user(name=f"주민{n}"), f"주제 {n}").id for n in range(8)]
    staff_id = world.audit.id
    outcomes: list[str] = []
    start = threading.Barrier(len(applications))

    def book(application_id: int) -> None:
        with app.app_context():
            try:
                from gwanak.accounts.models import User

                staff = db.session.get(User, staff_id)
                application = db.session.get(DateApplication, application_id)
                start.wait()
                ops.schedule(application, staff, day=TUESDAY, at=time(14), place="구청장실")
                outcomes.append("booked")
            except OperationError as error:
                outcomes.append(error.message)
            except Exception as error:  # pragma: no cover - reported below
                outcomes.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=book, args=(a,)) for a in applications]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("booked") == 1, outcomes
    assert all(o == "booked" or "이미 다른 만남" in o for o in outcomes), outcomes
    booked = db.session.scalar(
        select(func.count())
        .select_from(DateApplication)
        .where(DateApplication.state == DateState.SCHEDULED)
    )
    assert booked == 1


def test_a_meeting_is_held_only_on_or_after_its_day(world, frozen, client, auth):
    application = date_application(world.resident)
    ops.schedule(application, world.audit, day=TUESDAY, at=time(14), place="구청장실")
    with pytest.raises(OperationError, match=r"만남 날짜\(2026-12-01\)가 되어야") as refused:
        ops.complete(application, world.audit)
    assert refused.value.status == 409
    auth.login(world.audit)
    early = client.post(f"/cheong/staff/dates/{application.id}/complete")
    assert early.status_code == 409 and "만남 날짜(2026-12-01)가 되어야" in early.get_data(
        as_text=True
    )
    assert _unchanged(application.id).state == DateState.SCHEDULED
    frozen(datetime(2026, 12, 1, 8, 0))  # 17:00 KST that day
    assert client.post(f"/cheong/staff/dates/{application.id}/complete").status_code == 303
    assert _unchanged(application.id).state == DateState.HELD


def test_the_mayor_sees_his_upcoming_meetings(world, frozen, client, auth):
    past = date_application(world.resident, "지난 만남")
    ops.schedule(past, world.audit, day=date(2026, 11, 26), at=time(10), place="구청장실")
    soon = date_application(world.neighbour, "놀이터 그늘막", group_size=4)
    ops.schedule(soon, world.audit, day=TUESDAY, at=time(14, 30), place="신림동 주민센터")
    date_application(world.resident, "아직 검토 중")
    frozen(datetime(2026, 11, 27, 1, 0))
    auth.login(world.mayor)
    assert "/cheong/staff/schedule" in client.get("/staff/").get_data(as_text=True)
    page = client.get("/cheong/staff/schedule").get_data(as_text=True)
    assert "놀이터 그늘막" in page and "2026-12-01" in page and "14:30 (오후)" in page
    assert "신림동 주민센터" in page and "4명" in page and "이*희" in page
    assert "지난 만남" not in page and "아직 검토 중" not in page
    assert "010-1234-5678" not in page
    auth.logout()
    for who, status in ((world.audit, 200), (world.planning, 403), (world.resident, 403)):
        auth.login(who)
        assert client.get("/cheong/staff/schedule").status_code == status
        auth.logout()


def test_staff_see_the_refusal_by_the_date_field_without_javascript(world, client, auth):
    first = date_application(world.resident, "산책로 조명")
    second = date_application(world.neighbour, "놀이터 그늘막")
    ops.schedule(first, world.audit, day=TUESDAY, at=time(14), place="구청장실")
    auth.login(world.audit)
    url = f"/cheong/staff/dates/{second.id}/schedule"
    holiday = client.post(url, data={"day": "2026-12-25", "at": "14:00", "place": "구청장실"})
    text = holiday.get_data(as_text=True)
    assert holiday.status_code == 422 and 'id="day-error"' in text and "성탄절" in text
    clash = client.post(url, data={"day": "2026-12-01", "at": "15:30", "place": "구청장실"})
    text = clash.get_data(as_text=True)
    assert clash.status_code == 409 and 'id="day-error"' in text
    assert f"이미 다른 만남(신청 번호 {first.id})" in text
    assert _unchanged(second.id).state == DateState.RECEIVED
    ok = client.post(url, data={"day": "2026-12-01", "at": "10:30", "place": "구청장실"})
    assert ok.status_code == 303 and _unchanged(second.id).scheduled_slot == "오전"
