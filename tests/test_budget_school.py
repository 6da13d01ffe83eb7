"""예산학교: residents register and cancel; the waiting list moves up by itself, exactly."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from gwanak.accounts.models import User
from gwanak.budget.models import (
    RegistrationStatus,
    SchoolClass,
    SchoolCourse,
    SchoolRegistration,
)
from gwanak.budget.operations import (
    cancel_registration,
    register_for_class,
    send_class_reminders,
)
from gwanak.core.audit import AuditEntry
from gwanak.core.extensions import db
from gwanak.core.mail import OutboxMail
from gwanak.core.operations import OperationError
from tests.factories import make_class, make_user

NOW = datetime(2026, 3, 2, 1, 0)  # naive UTC


def status_of(school_class, user) -> str:
    return db.session.scalar(
        select(SchoolRegistration.status).where(
            SchoolRegistration.class_id == school_class.id, SchoolRegistration.user_id == user.id
        )
    )


def test_capacity_two_third_waits_then_moves_up_and_is_mailed_when_first_cancels(
    app, client, auth, frozen
):
    frozen(NOW)
    school_class = make_class(capacity=2)
    first, second, third = (make_user(name=n) for n in ("김하나", "이두리", "박세찬"))

    for person in (first, second, third):
        auth.login(person)
        response = client.post(f"/budget/school/classes/{school_class.id}/register")
        assert response.status_code == 303
        auth.logout()
    assert status_of(school_class, first) == RegistrationStatus.REGISTERED
    assert status_of(school_class, second) == RegistrationStatus.REGISTERED
    assert status_of(school_class, third) == RegistrationStatus.WAITING

    auth.login(third)
    page = client.get("/budget/school").get_data(as_text=True)
    assert "대기 1번째" in page
    auth.logout()

    auth.login(first)
    response = client.post(f"/budget/school/classes/{school_class.id}/cancel")
    assert response.status_code == 303
    db.session.expire_all()
    assert status_of(school_class, first) == RegistrationStatus.CANCELLED
    assert status_of(school_class, third) == RegistrationStatus.REGISTERED
    mails = db.session.scalars(select(OutboxMail).where(OutboxMail.to_user_id == third.id)).all()
    assert len(mails) == 1
    assert "확정" in mails[0].subject
    assert "관악구청 8층 대강당" in mails[0].body


def test_registering_twice_is_refused_with_a_message(app, client, auth, frozen):
    frozen(NOW)
    school_class = make_class()
    resident = make_user()
    auth.login(resident)
    client.post(f"/budget/school/classes/{school_class.id}/register")
    response = client.post(f"/budget/school/classes/{school_class.id}/register")
    assert response.status_code == 409
    assert "이미 신청한 회차입니다." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(SchoolRegistration.id))) == 1


def test_registering_after_the_class_started_is_refused(app, client, auth, frozen):
    frozen(NOW)
    school_class = make_class(starts_in=timedelta(hours=1))
    frozen(NOW + timedelta(hours=2))
    auth.login(make_user())
    response = client.post(f"/budget/school/classes/{school_class.id}/register")
    assert response.status_code == 409
    assert "신청이 마감된 회차입니다." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(SchoolRegistration.id))) == 0


def test_cancelling_without_a_registration_and_unknown_classes(app, client, auth, frozen):
    frozen(NOW)
    school_class = make_class()
    auth.login(make_user())
    response = client.post(f"/budget/school/classes/{school_class.id}/cancel")
    assert response.status_code == 409
    assert "신청 내역이 없습니다." in response.get_data(as_text=True)
    assert client.post("/budget/school/classes/9999/register").status_code == 404


def test_anonymous_and_staff_cannot_register(app, client, auth, users, frozen):
    frozen(NOW)
    school_class = make_class()
    response = client.post(f"/budget/school/classes/{school_class.id}/register")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert (
        client.post(
            f"/budget/school/classes/{school_class.id}/register", headers={"HX-Request": "true"}
        ).status_code
        == 401
    )
    auth.login(users.autonomy)
    assert client.post(f"/budget/school/classes/{school_class.id}/register").status_code == 403


def test_register_again_after_cancel_joins_the_end_of_the_queue(app, frozen):
    frozen(NOW)
    school_class = make_class(capacity=1)
    a, b, c = make_user(), make_user(), make_user()
    register_for_class(school_class.id, a)
    register_for_class(school_class.id, b)
    cancel_registration(school_class.id, b)
    register_for_class(school_class.id, c)
    frozen(NOW + timedelta(minutes=1))
    again = register_for_class(school_class.id, b)
    assert again.status == RegistrationStatus.WAITING
    cancel_registration(school_class.id, a)
    assert status_of(school_class, c) == RegistrationStatus.REGISTERED
    assert status_of(school_class, b) == RegistrationStatus.WAITING


def test_htmx_register_answers_with_the_school_fragment(app, client, auth, frozen):
    frozen(NOW)
    school_class = make_class()
    auth.login(make_user())
    response = client.post(
        f"/budget/school/classes/{school_class.id}/register", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="school">')
    assert "신청 완료" in html


def test_staff_see_the_roster_and_download_it_as_csv(app, client, auth, users, frozen):
    frozen(NOW)
    school_class = make_class(capacity=1)
    register_for_class(school_class.id, make_user(name="=HYPERLINK(1)"))
    register_for_class(school_class.id, make_user(name="최대기"))
    auth.login(users.autonomy)
    roster = client.get(f"/budget/school/classes/{school_class.id}/roster")
    assert roster.status_code == 200
    assert "최대기" in roster.get_data(as_text=True)
    download = client.get(f"/budget/school/classes/{school_class.id}/roster.csv")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment;")
    text = download.get_data(as_text=True)
    assert "'=HYPERLINK(1)" in text
    assert "대기" in text.splitlines()[2]
    auth.logout()
    auth.login(users.planning)
    assert client.get(f"/budget/school/classes/{school_class.id}/roster").status_code == 403
    assert client.get(f"/budget/school/classes/{school_class.id}/roster.csv").status_code == 403
    auth.logout()
    auth.login(users.resident)
    assert client.get(f"/budget/school/classes/{school_class.id}/roster").status_code == 403


def test_staff_create_a_course_and_a_class_audited(app, client, auth, users, frozen):
    frozen(NOW)
    auth.login(users.autonomy)
    response = client.post("/budget/school/courses", data={"title": "   ", "description": ""})
    assert response.status_code == 422
    assert "과정명을(를) 입력하세요." in response.get_data(as_text=True)
    response = client.post("/budget/school/courses", data={"title": "심화 과정"})
    assert response.status_code == 303
    course = db.session.scalar(select(SchoolCourse))
    response = client.post(
        f"/budget/school/courses/{course.id}",
        data={"number": "1", "starts_at": "2026-03-10T19:00", "place": "", "capacity": "0"},
    )
    assert response.status_code == 422
    response = client.post(
        f"/budget/school/courses/{course.id}",
        data={"number": "1", "starts_at": "2026-03-10T19:00", "place": "구청", "capacity": "30"},
    )
    assert response.status_code == 303
    created = db.session.scalar(select(SchoolClass))
    assert created.starts_at == datetime(2026, 3, 10, 10, 0)  # 19:00 KST
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert "budget.school.course" in actions and "budget.school.class" in actions
    auth.logout()
    auth.login(users.planning)
    assert client.post("/budget/school/courses", data={"title": "x"}).status_code == 403


def test_reminders_go_once_per_registration_and_class(app, runner, frozen):
    frozen(NOW)
    soon = make_class(capacity=1, starts_in=timedelta(hours=20))
    later = make_class(capacity=5, starts_in=timedelta(days=3))
    registered, waiting = make_user(), make_user()
    register_for_class(soon.id, registered)
    register_for_class(soon.id, waiting)
    register_for_class(later.id, registered)

    result = runner.invoke(args=["gwanak", "school-reminders"])
    assert result.exit_code == 0, result.output
    assert "1통" in result.output
    result = runner.invoke(args=["gwanak", "school-reminders"])
    assert "0통" in result.output
    mails = db.session.scalars(select(OutboxMail)).all()
    assert [m.to_user_id for m in mails] == [registered.id]
    assert "곧 열립니다" in mails[0].body

    frozen(NOW + timedelta(days=2, hours=12))  # the later class is now within 24 hours
    assert len(list(send_class_reminders())) == 1
    assert len(list(send_class_reminders())) == 0
    assert db.session.scalar(select(func.count(OutboxMail.id))) == 2


def test_operations_refuse_unknown_class(app):
    resident = make_user()
    with pytest.raises(OperationError):
        register_for_class(12345, resident)


def _at_once(app, work, user_ids: list[int]) -> None:
    barrier = threading.Barrier(len(user_ids))
    errors: list[Exception] = []

    def run(user_id: int) -> None:
        with app.app_context():
            try:
                # Wait first: a thread holds a pooled connection only once all are off.
                barrier.wait()
                work(db.session.get(User, user_id))
            except Exception as exc:  # noqa: BLE001 (reported below)
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in user_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_forty_residents_at_once_never_overbook_five_seats_on_either_database(app):
    """SQLite has no row locks (`with_for_update()` does nothing there): the seat is
    taken by a conditional UPDATE instead. Three rounds, as the overbooking was sporadic."""
    people = [make_user(name=f"주민{n}").id for n in range(40)]
    for _ in range(3):
        school_class = make_class(capacity=5)
        _at_once(app, lambda user, cid=school_class.id: register_for_class(cid, user), people)
        counts = dict(
            db.session.execute(
                select(SchoolRegistration.status, func.count())
                .where(SchoolRegistration.class_id == school_class.id)
                .group_by(SchoolRegistration.status)
            ).all()
        )
        assert counts == {RegistrationStatus.REGISTERED: 5, RegistrationStatus.WAITING: 35}
        db.session.refresh(school_class)
        assert school_class.seats_taken == 5
    db.engine.dispose()


def test_concurrent_registrations_fill_exactly_the_capacity_and_moves_up_once(app):
    school_class = make_class(capacity=3)
    ids = [make_user(name=f"주민{n}").id for n in range(12)]
    class_id = school_class.id
    _at_once(app, lambda user: register_for_class(class_id, user), ids)
    counts = dict(
        db.session.execute(
            select(SchoolRegistration.status, func.count()).group_by(SchoolRegistration.status)
        ).all()
    )
    assert counts == {RegistrationStatus.REGISTERED: 3, RegistrationStatus.WAITING: 9}

    # Three registered residents cancel at once: exactly three waiting move up, in order.
    registered = db.session.scalars(
        select(SchoolRegistration.user_id).where(
            SchoolRegistration.status == RegistrationStatus.REGISTERED
        )
    ).all()
    first_waiting = db.session.scalars(
        select(SchoolRegistration.user_id)
        .where(SchoolRegistration.status == RegistrationStatus.WAITING)
        .order_by(SchoolRegistration.queued_at, SchoolRegistration.id)
        .limit(3)
    ).all()
    _at_once(app, lambda user: cancel_registration(class_id, user), list(registered))
    db.session.expire_all()
    counts = dict(
        db.session.execute(
            select(SchoolRegistration.status, func.count()).group_by(SchoolRegistration.status)
        ).all()
    )
    assert counts == {
        RegistrationStatus.REGISTERED: 3,
        RegistrationStatus.WAITING: 6,
        RegistrationStatus.CANCELLED: 3,
    }
    assert db.session.scalar(select(func.count(OutboxMail.id))) == 3
    now_registered = db.session.scalars(
        select(SchoolRegistration.user_id).where(
            SchoolRegistration.status == RegistrationStatus.REGISTERED
        )
    ).all()
    assert sorted(now_registered) == sorted(first_waiting)
    assert db.session.get(SchoolClass, class_id).seats_taken == 3
    db.engine.dispose()  # give the threads' connections back to the shared server
