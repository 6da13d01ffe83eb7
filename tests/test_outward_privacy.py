"""Nothing personal leaves through the doors other sites use: every feed, every open-data
file (CSV and JSON) and every API page is free of phone numbers, e-mail addresses and
resident registration numbers, and residents' names are masked — even when residents
typed their contact details into proposals, comments and polls."""

from __future__ import annotations

import pytest

from gwanak.core.masking import EMAIL_RE, PHONE_RE, RRN_RE
from tests.outward_helpers import PLANTED, plant_personal_data


@pytest.fixture
def world(app, users):
    return plant_personal_data(users)


def _assert_nothing_personal(where: str, text: str, users) -> None:
    for planted in PLANTED:
        assert planted not in text, (where, planted)
    for pattern in (PHONE_RE, EMAIL_RE, RRN_RE):
        assert not pattern.search(text), (where, pattern.search(text).group(0))
    for user in (users.resident, users.neighbour):
        assert user.name not in text, (where, user.name)
        assert user.email not in text, (where, user.email)


def test_every_feed_is_free_of_phone_numbers_and_e_mail_addresses(app, client, users, world):
    feeds = app.extensions["gwanak"].feeds
    assert len(feeds) >= 3 * 2 + 1 + 2 + 21 + 1  # boards × (new, answered), agendas, notices…
    seen_planted_entries = 0
    for slug in feeds:
        response = client.get(f"/feeds/{slug}.atom")
        assert response.status_code == 200, slug
        text = response.get_data(as_text=True)
        _assert_nothing_personal(slug, text, users)
        seen_planted_entries += text.count("010-****-5678")
    # The planted text did reach the feeds, masked: the test looked at real entries.
    assert seen_planted_entries >= 4


def test_the_feeds_carry_the_planted_entries_masked(client, users, world):
    new = client.get("/feeds/policy-proposals.atom").get_data(as_text=True)
    assert "교통 불편 신고 010-****-5678" in new and "<name>김*우</name>" in new
    answered = client.get("/feeds/policy-answers.atom").get_data(as_text=True)
    assert "[채택] 교통 불편 신고" in answered and "so***@example.com" in answered
    assert "주민 설명회" in client.get("/feeds/manifesto-updates.atom").get_data(as_text=True)
    assert "주민참여예산 설명회" in client.get("/feeds/notices-budget.atom").get_data(as_text=True)


def test_every_open_data_file_and_api_page_is_free_of_personal_data(app, client, users, world):
    datasets = app.extensions["gwanak"].datasets
    assert {
        "proposals",
        "department-answers",
        "agendas",
        "agenda-polls",
        "budget-projects",
        "pledge-indicators",
    } <= set(datasets)
    for slug in datasets:
        for path in (
            f"/open-data/{slug}.csv",
            f"/open-data/{slug}.json",
            f"/api/v1/datasets/{slug}",
            f"/api/v1/datasets/{slug}?per_page=1&page=2",
        ):
            response = client.get(path)
            assert response.status_code == 200, path
            text = response.get_data(as_text=True)
            assert text.strip(), path
            _assert_nothing_personal(path, text, users)


def test_proposals_data_names_the_author_masked_and_keeps_the_answer(client, users, world):
    items = client.get("/open-data/proposals.json").get_json()["items"]
    row = next(i for i in items if i["id"] == world.answered.id)
    assert row["author"] == "김*우"
    assert row["department"] == "기획예산과" and row["outcome"] == "채택"
    assert row["answer"].startswith("채택합니다. 담당자 직통 010-****-5678")
    assert row["url"].endswith(f"/policy/proposals/{world.answered.id}")
    assert "email" not in row and "contact" not in row


def test_a_hidden_proposal_is_not_published(client, users, world):
    from gwanak.participation import operations as ops

    ops.hide_proposal(world.governance, users.autonomy, "개인정보 포함")
    ids = {i["id"] for i in client.get("/open-data/proposals.json").get_json()["items"]}
    assert world.governance.id not in ids and world.answered.id in ids
    feed = client.get("/feeds/governance-proposals.atom").get_data(as_text=True)
    assert "마을 공원 협의체" not in feed
