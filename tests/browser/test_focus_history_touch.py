"""After an htmx swap the focus stays with the control that acted and live regions that
stay in the page say what happened; Back after a filter shows the whole page; every
control is big enough for a finger on a 360 px phone."""

from __future__ import annotations

import itertools

import pytest
from playwright.sync_api import expect

from gwanak.accounts.models import Role, User
from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.participation import operations as ops
from gwanak.policy.board import POLICY_BOARD
from tests.browser.conftest import make_live_app, serving
from tests.conftest import TEST_PASSWORD, is_postgres, password_hash

pytestmark = pytest.mark.browser
_numbers = itertools.count(1)
TAP = 44  # px, the smallest target on a phone


@pytest.fixture(scope="module")
def own_app(tmp_path_factory):
    """A live app of this module's own: what it posts (an agenda, proposals) would
    change the live figures other modules' pages show."""
    if is_postgres():
        pytest.skip("browser tests run in the SQLite pass")
    from flask_migrate import upgrade

    app = make_live_app(tmp_path_factory.mktemp("focus"))
    with app.app_context():
        upgrade()
    return app


@pytest.fixture(scope="module")
def own_server(own_app):
    with serving(own_app) as base:
        yield base


@pytest.fixture
def js_page(browser, own_server):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="ko-KR")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.base = own_server  # type: ignore[attr-defined]
    yield page
    context.close()


@pytest.fixture
def live_db(own_app):
    with own_app.app_context():
        yield own_app
        db.session.remove()


def _user(role=Role.RESIDENT, name="김주민", department=None) -> User:
    user = User(
        email=f"focus{next(_numbers)}@example.com",
        password_hash=password_hash(),
        name=name,
        role=role,
        department=department,
        relation="거주" if role == Role.RESIDENT else None,
        dong="boramae" if role == Role.RESIDENT else None,
        privacy_consented_at=clock.now(),
        verification_level=1,
    )
    db.session.add(user)
    db.session.commit()
    return user


def _proposal(author):
    return ops.create_proposal(
        POLICY_BOARD,
        author,
        title=f"놀이터에 그늘을 만들어 주세요 {next(_numbers)}",
        body="한낮에는 아이들이 놀 수 없습니다.",
        category="환경",
        dong="boramae",
    )


def _login(page, user):
    page.goto(page.base + "/auth/login")
    page.get_by_label("이메일").fill(user.email)
    page.get_by_label("비밀번호").fill(TEST_PASSWORD)
    page.get_by_role("button", name="로그인").click()
    page.wait_for_url(lambda url: "/auth/login" not in url)


def _wait_until_htmx_processed(page, selector: str) -> None:
    page.wait_for_function(
        """selector => {
            const form = document.querySelector(selector)?.form;
            const data = form && form["htmx-internal-data"];
            return !!(data && data.initHash);
        }""",
        arg=selector,
    )


def _focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_after_gonggam_the_focus_stays_on_the_button_and_the_count_is_announced(js_page, live_db):
    page = js_page
    proposal = _proposal(_user(name="박작성"))
    _login(page, _user(name="최공감"))
    page.goto(f"{page.base}/policy/proposals/{proposal.id}")
    counts = page.locator("#counts").element_handle()
    announce = page.locator("#announce").element_handle()
    expect(page.locator("#counts")).to_contain_text("공감0명")

    page.get_by_role("button", name="공감하기 0").click()
    expect(page.get_by_role("button", name="공감함 1 · 취소")).to_be_focused()
    assert _focused_id(page) == "gonggam-button"
    # The live regions are the same elements as before; only their contents changed.
    assert counts.evaluate("el => el.isConnected && el === document.getElementById('counts')")
    assert counts.get_attribute("aria-live") == "polite"
    expect(page.locator("#counts")).to_contain_text("공감1명")
    assert announce.evaluate("el => el === document.getElementById('announce')")
    expect(page.locator("#announce")).to_have_text("공감했습니다.")

    # From the keyboard: Enter on the focused button takes the 공감 back — once htmx has
    # taken over the swapped-in form (a faster Enter is a plain form post, which works
    # too but reloads the page; under load the focus can come a moment before that).
    _wait_until_htmx_processed(page, "#gonggam-button")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="공감하기 0")).to_be_focused()
    expect(page.locator("#counts")).to_contain_text("공감0명")
    expect(page.locator("#announce")).to_have_text("공감을 취소했습니다.")
    assert counts.evaluate("el => el === document.getElementById('counts')")


def test_posting_replying_and_deleting_comments_keep_the_focus_and_announce(js_page, live_db):
    page = js_page
    author = _user(name="박작성")
    proposal = _proposal(author)
    first = ops.post_comment(proposal.discussion, author, "의견을 기다립니다.")
    _login(page, _user(name="최댓글"))
    page.goto(f"{page.base}/policy/proposals/{proposal.id}")
    announce = page.locator("#announce").element_handle()

    page.get_by_label("댓글", exact=True).fill("정말 필요한 제안입니다.")
    page.get_by_role("button", name="댓글 등록").click()
    expect(page.locator("#announce")).to_have_text("댓글을 등록했습니다.")
    expect(page.get_by_text("정말 필요한 제안입니다.")).to_be_visible()
    assert _focused_id(page) == "comment-submit"

    page.locator(f"#reply-toggle-{first.id}").click()
    page.locator(f"#reply-{first.id}").fill("저도 같은 생각입니다.")
    page.locator(f"#reply-submit-{first.id}").click()
    expect(page.locator("#announce")).to_have_text("답글을 등록했습니다.")
    # The reply form folds away with the new thread: focus returns to its 답글 toggle.
    expect(page.locator(f"#reply-toggle-{first.id}")).to_be_focused()

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(".comment-actions").get_by_role("link", name="삭제").first.click()
    expect(page.locator("#announce")).to_have_text("댓글을 삭제했습니다.")
    expect(page.locator("#comments-h")).to_be_focused()
    assert announce.evaluate("el => el === document.getElementById('announce')")


def test_a_poll_vote_keeps_the_focus_and_announces_the_results(js_page, live_db):
    from gwanak.policy.asks import operations as asks

    page = js_page
    today = clock.today()
    agenda = asks.post_agenda(
        _user(Role.STAFF, "기획 직원", "기획예산과"),
        asks.AgendaFields(
            kind="general",
            title=f"쉼터 이름 {next(_numbers)}",
            body="골라 주세요.",
            opens_on=today,
            closes_on=today,
            poll_question="어떤 이름이 좋을까요?",
            poll_options=["관악쉼터", "봉천마루"],
        ),
    )
    _login(page, _user(name="정투표"))
    page.goto(f"{page.base}/policy/asks/{agenda.id}")
    page.get_by_label("봉천마루").check()
    page.get_by_role("button", name="투표하기").click()
    expect(page.locator("#announce")).to_have_text(
        "투표했습니다. 지금 결과: 관악쉼터 0표, 봉천마루 1표 (모두 1표)."
    )
    expect(page.get_by_role("button", name="투표 바꾸기")).to_be_focused()


def test_back_after_filtering_a_list_shows_the_whole_page(js_page, live_db):
    page = js_page
    _proposal(_user(name="박목록"))
    page.goto(page.base + "/policy/proposals")
    heading = page.get_by_role("heading", level=1).inner_text()
    page.evaluate("window.__notReloaded = true")
    page.get_by_label("상태").select_option("gathering")
    # Choosing is not applying: no request and no history entry until 찾기.
    assert page.url.endswith("/policy/proposals")
    page.get_by_role("button", name="찾기").click()
    page.wait_for_url("**/policy/proposals?*state=gathering*")
    assert page.evaluate("window.__notReloaded === true"), "the filter swaps in place"

    page.go_back()
    page.wait_for_url("**/policy/proposals")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert page.locator("header.site-header").count() == 1
    assert page.locator("footer.site-footer").count() == 1
    expect(page.get_by_role("navigation", name="현재 위치")).to_be_visible()


def _small_targets(page, selector: str) -> list[str]:
    return page.eval_on_selector_all(
        selector,
        """(elements, tap) => elements
            .filter((el) => el.getClientRects().length)
            .map((el) => [el, el.getBoundingClientRect()])
            .filter(([, r]) => r.width < tap - 0.5 || r.height < tap - 0.5)
            .map(([el, r]) => `${el.tagName} "${el.textContent.trim().slice(0, 20)}"`
                 + ` ${Math.round(r.width)}x${Math.round(r.height)}`)""",
        TAP,
    )


CONTROLS = (
    ".site-header a, .site-header button, .site-header summary, .crumbs a, .pager a, "
    ".comment-actions a, .comment-actions summary, .comment-actions button, .tabs a, "
    "main button, main select, main textarea, main input:not([type=hidden]):not([type=checkbox])"
    ":not([type=radio]), .site-footer a"
)


def test_every_control_is_a_finger_sized_target_on_a_phone(js_page, live_db):
    page = js_page
    author = _user(name="박작성")
    proposal = _proposal(author)
    theirs = ops.post_comment(proposal.discussion, author, "의견을 기다립니다.")
    resident = _user(name="최손가락")
    ops.post_comment(proposal.discussion, resident, "제 의견입니다.")
    ops.post_comment(proposal.discussion, resident, "답글입니다.", parent_id=theirs.id)
    for _ in range(21):  # a second page of proposals, so the pager has a link
        _proposal(author)

    problems = []
    for path in ("/", "/policy/proposals", "/policy", "/manifesto/pledges"):
        page.goto(page.base + path)
        problems += [f"{path}: {p}" for p in _small_targets(page, CONTROLS)]
    _login(page, resident)
    for path in (f"/policy/proposals/{proposal.id}", "/policy/proposals", "/auth/account"):
        page.goto(page.base + path)
        page.locator("summary").evaluate_all("els => els.forEach((s) => s.click())")
        problems += [f"{path}: {p}" for p in _small_targets(page, CONTROLS)]
    assert not problems, "\n".join(problems)
