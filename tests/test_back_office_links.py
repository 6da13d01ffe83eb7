"""No link leads a role to a page that refuses it: for each back-office role, every link
on the back office (/staff/) and on the pages it links to answers that person, never
401 or 403. (The live crawl in test_live_crawl.py checks the whole served site; this
runs with the suite, on a small world where every queue has a row to link to.)"""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urljoin, urlsplit

import pytest

from gwanak.budget.proposal_operations import propose
from gwanak.core.extensions import db
from gwanak.core.settings import set_setting
from tests.factories import (
    IN_PROPOSALS,
    comments,
    contest_entry,
    date_application,
    make_agenda,
    make_contest,
    make_round,
    proposal,
)
from tests.live_crawl import parse

ROLES = ("audit", "planning", "autonomy", "boramae", "mayor", "admin")
NEVER = ("/auth/logout",)  # following it ends the session being tested


def _world(users, frozen) -> None:
    """One thing in each back-office queue, so its rows' links are there to follow."""
    frozen(datetime(2026, 3, 10, 3, 0))
    make_agenda(users.planning)
    set_setting("board.policy.mayor_commenters", 1)  # one commenter puts it in his queue
    db.session.commit()
    comments(proposal(users.resident).discussion, [users.neighbour])
    propose(
        make_round(), users.resident, title="놀이터 그늘막", body="여름에 뜨겁습니다.",
        category="안전", dong="boramae", place="보라매공원", estimated_cost=12_000_000,
    )  # fmt: skip
    contest = make_contest(2026, opens_on=date(2026, 3, 1), closes_on=date(2026, 3, 31))
    contest_entry(contest, users.neighbour)
    date_application(users.resident, preferences=_preferences())
    frozen(IN_PROPOSALS)


def _preferences():
    from gwanak.cheong.operations import Preference

    return [Preference(date(2026, 3, 16), "오전"), Preference(date(2026, 3, 17), "오후")]


def _links(client, path: str) -> tuple[int, set[str]]:
    response = client.get(path)
    if response.status_code != 200 or "html" not in (response.content_type or ""):
        return response.status_code, set()
    found = set()
    for href in parse(response.get_data(as_text=True)).links:
        target = urlsplit(urljoin(path, href))
        if target.scheme or target.netloc or not target.path.startswith("/"):
            continue  # another site, mailto:, tel:
        url = target.path + (f"?{target.query}" if target.query else "")
        if not url.startswith(NEVER):
            found.add(url)
    return response.status_code, found


def _layout_links(client) -> set[str]:
    """The links every page carries (menus, footer): those of a page with nothing else."""
    response = client.get("/no-such-page")
    assert response.status_code == 404
    found = set()
    for href in parse(response.get_data(as_text=True)).links:
        target = urlsplit(href)
        found.add(target.path + (f"?{target.query}" if target.query else ""))
    return found


@pytest.mark.parametrize("who", ROLES)
def test_no_back_office_link_answers_403_to_its_viewer(app, users, frozen, client, auth, who):
    _world(users, frozen)
    auth.login(getattr(users, who))
    site_wide = _layout_links(client)
    status, first = _links(client, "/staff/")
    assert status == 200
    back_office = first - site_wide
    assert back_office, "the back office links to nothing"
    refused, seen = [], set()
    for path in sorted(back_office):
        status, second = _links(client, path)
        seen.add(path)
        if status in (401, 403):
            refused.append(f"/staff/ → {path}: {status}")
            continue
        for link in sorted(second - site_wide - seen - back_office):
            seen.add(link)
            answer = client.get(link).status_code
            if answer in (401, 403):
                refused.append(f"{path} → {link}: {answer}")
    assert not refused, f"{who} is shown links that refuse them:\n" + "\n".join(refused)
