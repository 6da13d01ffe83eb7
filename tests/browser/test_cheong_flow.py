"""The issue's walk in Chromium at 360 px, with JavaScript on and off: a resident applies,
staff schedule it, the board shows it masked and without a phone number, staff complete
it and publish the record."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta

import pytest

from gwanak.accounts.models import Role
from gwanak.core import clock
from gwanak.core.workdays import is_working_day
from tests.factories import TEST_PASSWORD, make_user

pytestmark = pytest.mark.browser
_numbers = itertools.count(1)
PHONE = "010-4321-8765"


@pytest.fixture
def audit_staff(live_db) -> str:
    """A 감사담당관 account in the live server's database (staff never sign up)."""
    return make_user(Role.STAFF, name="감사 직원", department="감사담당관").email


def _working_days(count: int) -> list[str]:
    days, day = [], clock.today()
    while len(days) < count:
        day += timedelta(days=1)
        if is_working_day(day):
            days.append(day.isoformat())
    return days


def _log_in(page, email: str, password: str) -> None:
    page.goto(page.base + "/auth/login")
    page.get_by_label("이메일").fill(email)
    page.get_by_label("비밀번호").fill(password)
    page.get_by_role("button", name="로그인").click()


def _log_out(page) -> None:
    page.get_by_role("button", name="로그아웃").click()


def test_apply_schedule_board_complete_publish(page, audit_staff):
    mode = "js" if page.js_enabled else "nojs"
    title = f"골목 조명 {mode} {next(_numbers)}"
    day1, day2, *meeting_days = _working_days(4)
    # One meeting per slot: each mode's meeting gets its own day (both share the database).
    day3 = meeting_days[0] if page.js_enabled else meeting_days[1]

    # A resident (e-mail confirmed: sign-up and confirmation are test_accounts_flow's)
    # logs in and applies.
    resident = make_user(name="김철우", email=f"cheong-{mode}-{next(_numbers)}@example.com")
    _log_in(page, resident.email, TEST_PASSWORD)
    page.goto(page.base + "/cheong/date-apply")
    page.get_by_label("만남 주제").fill(title)
    page.get_by_label("이야기하고 싶은 내용", exact=True).fill("밤에 골목이 어두워 걱정입니다.")
    page.get_by_label("참석 인원 (신청자 포함)").fill("2")
    page.get_by_label("1순위 희망일").fill(day1)
    page.get_by_label("1순위 시간대").select_option("오전")
    page.get_by_label("2순위 희망일").fill(day2)
    page.get_by_label("2순위 시간대").select_option("오후")
    page.get_by_label("연락처 (휴대전화)").fill(PHONE)
    page.get_by_role("button", name="신청하기").click()
    # Consent missing: the message sits by the checkbox, nothing is saved.
    assert page.get_by_text("개인정보 수집·이용에 동의해야 신청할 수 있습니다.").is_visible()
    page.get_by_label("위 개인정보 수집·이용에 동의합니다 (필수)").check()
    page.get_by_role("button", name="신청하기").click()
    assert page.get_by_role("heading", name="내 데이트신청").is_visible()
    row = page.get_by_role("row").filter(has_text=title)
    assert "접수" in row.inner_text()
    _log_out(page)

    # Staff of 감사담당관 schedule it.
    _log_in(page, audit_staff, TEST_PASSWORD)
    page.goto(page.base + "/cheong/staff/dates")
    page.get_by_role("link", name=title).click()
    page.get_by_label("만남 날짜").fill(day3)
    # One meeting per half-day slot: the js-on and js-off runs take different ones.
    page.get_by_label("시각").fill("10:00" if page.js_enabled else "15:00")
    page.get_by_label("장소").fill("관악구청 구청장실")
    page.get_by_role("button", name="일정 확정").click()
    assert page.get_by_text("일정을 확정했습니다.").is_visible()
    _log_out(page)

    # The public board: 일정확정, masked name, no phone number anywhere in the HTML.
    page.goto(page.base + "/cheong/date-board")
    row = page.get_by_role("row").filter(has_text=title)
    text = row.inner_text()
    assert "일정확정" in text and "김*우" in text and day3 in text
    html = page.content()
    assert PHONE not in html and "4321" not in html and "김철우" not in html
    if page.js_enabled:
        assert page.evaluate("document.documentElement.scrollWidth") <= 400

    # On the day, after the meeting (17:00 KST), staff complete it and publish the record.
    clock.set_frozen(datetime.combine(date.fromisoformat(day3), time(8, 0)))
    _log_in(page, audit_staff, TEST_PASSWORD)
    page.goto(page.base + "/cheong/staff/dates")
    page.get_by_role("link", name=title).click()
    page.get_by_role("button", name="만남 완료").click()
    page.get_by_role("link", name="기록 쓰기").click()
    page.get_by_label("나눈 이야기 (마크다운)").fill("골목 **조명**을 늘리기로 했습니다.")
    page.get_by_label("구가 할 일 (마크다운)").fill("- 보안등 4개 설치")
    page.get_by_label("공개 (구청장과 소통데이트에 게시)").check()
    page.get_by_role("button", name="저장").click()
    assert page.get_by_text("공개되었습니다.").is_visible()
    _log_out(page)

    page.goto(page.base + "/cheong/dates")
    page.get_by_role("link", name=title).click()
    assert page.get_by_role("heading", level=1).inner_text() == title
    assert page.get_by_text("보안등 4개 설치").is_visible()
    assert "누적 방문" in page.locator("footer").inner_text()
