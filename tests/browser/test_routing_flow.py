"""Routing in a browser (JS on: htmx swaps the routing panel; JS off: the form posts and
redirects): a proposal reaches review, 기획예산과 hands it to 교통행정과, 교통행정과 answers,
the proposal names 교통행정과 and 부서별 답변 현황 counts it."""

from __future__ import annotations

import pytest

from gwanak.accounts.models import Role
from gwanak.core import clock
from gwanak.participation.queries import answer_stats
from tests.factories import TEST_PASSWORD, gonggam, make_user, proposal, residents

pytestmark = pytest.mark.browser


def _login(page, email: str) -> None:
    page.context.clear_cookies()
    page.goto(page.base + "/auth/login")
    page.get_by_label("이메일").fill(email)
    page.get_by_label("비밀번호").fill(TEST_PASSWORD)
    page.get_by_role("button", name="로그인").click()


def _traffic_figures() -> tuple[int, int]:
    row = next((s for s in answer_stats() if s.department == "교통행정과"), None)
    return (row.received, row.answered) if row else (0, 0)


def test_coordinator_hands_a_proposal_to_traffic_which_answers(page, live_db):
    author = make_user(name="한보행")
    p = proposal(
        author, "신림역 4번 출구 앞 보행 신호를 늘려 주세요",
        body="출근 시간에 사람이 많아 신호 안에 다 건너지 못합니다.", category="교통", dong="sillim",
    )  # fmt: skip
    gonggam(p, residents(5, prefix="신림주민"))
    planner = make_user(Role.STAFF, name="기획 주무관", department="기획예산과")
    traffic = make_user(Role.STAFF, name="교통 주무관", department="교통행정과")
    received, answered = _traffic_figures()

    _login(page, planner.email)
    page.goto(f"{page.base}/staff/participation/proposals/{p.id}")
    page.get_by_role("combobox", name="담당 부서", exact=True).select_option("교통행정과")
    page.get_by_label("변경 사유 (공개됨)").fill("보행 신호 운영은 교통행정과 소관입니다.")
    page.get_by_role("button", name="담당 부서 지정").click()
    page.locator("#routing strong", has_text="교통행정과").wait_for()
    assert page.locator("#routing").get_by_text("보행 신호 운영은 교통행정과 소관입니다.").count()

    _login(page, traffic.email)
    page.goto(page.base + "/staff/participation/review")
    page.get_by_role("link", name=p.title).click()
    page.get_by_label("처리 결과").select_option("adopted")
    page.get_by_label("답변 내용").fill("경찰서와 협의해 보행 신호를 5초 늘리겠습니다.")
    page.get_by_role("button", name="답변 게시").click()
    page.get_by_role("heading", name="제안 검토 대기열", exact=False).wait_for()

    page.goto(f"{page.base}/policy/proposals/{p.id}")
    assert page.get_by_text("담당 교통행정과", exact=False).first.is_visible()
    assert page.get_by_role("heading", name="교통행정과 답변 — 채택").is_visible()
    assert page.get_by_text("담당 부서 변경", exact=False).first.is_visible()

    page.goto(page.base + "/participation/departments")
    page.get_by_label("시작일").fill(clock.today().isoformat())
    page.get_by_role("button", name="보기").click()
    page.get_by_role("heading", name=f"{clock.today().isoformat()} ~ 오늘").wait_for()
    row = page.locator("tr", has=page.get_by_role("rowheader", name="교통행정과", exact=True))
    cells = row.locator("td")
    assert int(cells.nth(0).inner_text()) >= 1  # received in the period
    page.goto(page.base + "/participation/departments")
    row = page.locator("tr", has=page.get_by_role("rowheader", name="교통행정과", exact=True))
    cells = row.locator("td")
    assert (int(cells.nth(0).inner_text()), int(cells.nth(1).inner_text())) == (
        received + 1,
        answered + 1,
    )
