"""Every page answers htmx with its fragment, never a 500: the demo site is crawled as
a visitor, a resident and an admin, and every page found is asked for again with
`HX-Request: true`. Every GET route of the app must be reached."""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import update

from gwanak.accounts.models import User
from gwanak.core.extensions import db
from tests.conftest import AuthActions, password_hash

PER_ENDPOINT = 2  # distinct addresses tried per route (different ids or filters)
SKIP_PREFIXES = ("/static/", "/uploads/")
# GET routes a crawl cannot reach by links, and why.
UNREACHABLE = {
    "static": "files",
    "uploads.serve": "files",
    "auth.reset_password": "needs a mailed token (tested in test_accounts)",
    "auth.confirm_email": "needs a mailed token (test_participation_integrity)",
    "policy.asks_result": "linked from closed agendas only; each role's two agenda pages "
    "are the open ones first listed (test_policy_asks)",
    "favicon": "a file",
    "home.robots_txt": "a file for crawlers (test_site_pages)",
    "home.sitemap_xml": "a file for crawlers (test_site_pages)",
    "embeds.widget": "framed by /embed, not linked (test_embeds)",
    "cheong.staff_photo_remove": "the demo records have no photos (test_deleting_asks_first)",
    "budget.proposal_edit": "kim has no budget proposal in 제안 접수 (test_budget_proposals)",
    "manifesto.published_csv": "linked from published pledges only; the crawl's two pledge "
    "pages may be unpublished samples (test_manifesto_published)",
    # Not reached from this demo site's links (not yet looked into why); the
    # accessibility crawl starts at both (tests/browser/test_accessibility.py).
    **{
        f"{menu}.not_ready": "every menu item is built (fragment tested in test_htmx)"
        for menu in ("cheong", "policy", "budget", "governance", "manifesto", "autonomy")
    },
}


def _links(html: str, base: str) -> list[str]:
    found = []
    for href in re.findall(r'(?:href|hx-get)="([^"#]+)', html):
        href = href.replace("&amp;", "&")
        url = urljoin(base, href)
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost") or parts.path.startswith(SKIP_PREFIXES):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def _crawl(app, client, seen_endpoints: dict[str, int], failures: list) -> None:
    adapter = app.url_map.bind("localhost")
    queue = deque(["/", "/sitemap", "/staff", "/auth/account"])
    visited: set[str] = set()
    while queue:
        path = queue.popleft()
        if path in visited:
            continue
        visited.add(path)
        try:
            endpoint, _ = adapter.match(urlsplit(path).path, method="GET")
        except Exception:  # noqa: BLE001 - a link to a POST-only or unknown address
            continue
        if seen_endpoints.get((client.role, endpoint), 0) >= PER_ENDPOINT:
            continue
        seen_endpoints[(client.role, endpoint)] = seen_endpoints.get((client.role, endpoint), 0) + 1
        page = client.get(path)
        fragment = client.get(path, headers={"HX-Request": "true"})
        for response, kind in ((page, "page"), (fragment, "fragment")):
            if response.status_code >= 500:
                failures.append((client.role, kind, path, response.status_code))
        if page.status_code == 200 and page.mimetype == "text/html":
            queue.extend(_links(page.get_data(as_text=True), path))


@pytest.fixture
def demo_site(app):
    """The demo data, plus what it lacks for a full crawl: fresh (editable) proposals of
    kim on both engine boards, a thread waiting for the mayor, an open contest, and a
    contest entry of kim's with an attachment."""
    import io
    from datetime import timedelta

    from werkzeug.datastructures import FileStorage

    from gwanak.accounts.demo import demo_user
    from gwanak.core import clock
    from gwanak.core.demo import seed_demo
    from gwanak.core.uploads import store_upload
    from gwanak.governance.routes import GOVERNANCE_BOARD
    from gwanak.participation import operations as ops
    from gwanak.participation.models import Discussion
    from gwanak.policy.board import POLICY_BOARD
    from gwanak.policy.contest import operations as contest_ops
    from gwanak.policy.contest.models import ContestEntry

    for _ in seed_demo():
        pass
    db.session.execute(update(User).values(password_hash=password_hash()))
    kim = demo_user("kim")
    for spec in (POLICY_BOARD, GOVERNANCE_BOARD):
        fresh = ops.create_proposal(
            spec, kim, title="새 제안", body="내용입니다.", category=spec.categories[0]
        )
    discussion = db.session.get(Discussion, fresh.discussion_id)
    discussion.mayor_state = "queued"
    discussion.mayor_queued_at = clock.now()
    discussion.mayor_due_at = clock.now() + timedelta(days=30)
    today = clock.today()
    contest_ops.create_contest(
        contest_ops.ContestFields(
            today.year + 1, "열린 공모전", "주제", today - timedelta(days=1),
            today + timedelta(days=30), ["resident", "official"], ["금상"],
        ),
        None,
    )  # fmt: skip
    entry = db.session.query(ContestEntry).order_by(ContestEntry.id).first()
    entry.submitter_id = kim.id  # listed, with its file, on kim's 내 응모작
    upload = store_upload(
        FileStorage(io.BytesIO(b"%PDF-1.7\n%%EOF\n"), "제안서.pdf"),
        contest_ops.attachment_rules(),
    )
    entry.attachment_id = upload.id
    db.session.commit()


def test_every_page_and_every_fragment_of_the_demo_site_answers_without_a_500(app, demo_site):
    seen: dict = {}
    failures: list = []
    # planning and autonomy: the departments' own pages (routing, screening, their board
    # settings, corrections of their answers) that an admin is not shown as theirs.
    for role in (None, "kim", "admin", "mayor", "planning", "autonomy"):
        client = app.test_client()
        client.role = role or "visitor"
        if role:
            AuthActions(client).login(f"{role}@demo.gwanak.example")
        _crawl(app, client, seen, failures)
    assert failures == [], "\n".join(map(str, failures))
    reached = {endpoint for _, endpoint in seen}
    get_endpoints = {
        rule.endpoint for rule in app.url_map.iter_rules() if "GET" in (rule.methods or ())
    }
    missing = sorted(get_endpoints - reached - set(UNREACHABLE))
    assert missing == [], " ".join(missing)
