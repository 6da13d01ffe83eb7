"""통합 검색: one search over proposals of every board, agendas, notices, stored pages,
budget projects and pledges — two-syllable Korean words (교통, 주차, 공원) included."""

from __future__ import annotations

import re

import pytest

from gwanak.core.extensions import db
from gwanak.pages.demo import seed_pages
from gwanak.search.routes import search_everything
from tests.outward_helpers import plant_personal_data


@pytest.fixture
def world(app, users):
    world = plant_personal_data(users)
    for _ in seed_pages():
        pass
    db.session.commit()
    return world


def _found(term: str) -> dict[str, list[str]]:
    return {s.provider.key: [h.path for h in s.result.hits] for s in search_everything(term, 10)}


def test_two_syllable_words_are_found_in_every_kind_of_content(world):
    gongwon = _found("공원")
    assert gongwon["proposals-policy"] == [f"/policy/proposals/{world.formula.id}"]
    assert gongwon["proposals-governance"] == [f"/governance/proposals/{world.governance.id}"]
    assert gongwon["agendas"] == [f"/policy/asks/{world.agenda.id}"]
    assert gongwon["notices"] == ["/autonomy/dongs/boramae/notices/2"]
    assert gongwon["budget-projects"] == ["/budget/projects/1"]
    gyotong = _found("교통")
    assert gyotong["proposals-policy"] == [f"/policy/proposals/{world.answered.id}"]
    assert "/manifesto/pledges/6-1-1" not in gyotong.get("pledges", [])
    juca = _found("주차")
    assert juca["proposals-policy"] == [f"/policy/proposals/{world.answered.id}"]
    assert juca["proposals-budget"] == [f"/budget/proposals/{world.budget.id}"]
    assert "/policy/guide" in _found("공감")["pages"]
    assert _found("관악청")["pledges"] == ["/manifesto/pledges/6-1-1"]


def test_longer_words_use_the_proposal_index_too(world):
    assert _found("정류장")["proposals-policy"] == [f"/policy/proposals/{world.answered.id}"]


def test_the_search_page_groups_results_masks_personal_data_and_links_to_more(client, world):
    response = client.get("/search?q=교통")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and len(response.get_data()) < 40 * 1024
    assert '<h2 id="r-proposals-policy">정책참여 제안하기' in html
    assert f'href="/policy/proposals/{world.answered.id}"' in html
    assert "교통 불편 신고 010-****-5678" in html and "1234-5678" not in html
    assert "someone@example.com" not in html
    assert 'href="/policy/proposals?q=%EA%B5%90%ED%86%B5"' in html  # the board's own list


def test_one_kind_only_and_too_short_or_empty_queries(client, world):
    only = client.get("/search?q=공원&type=notices").get_data(as_text=True)
    assert re.findall(r'<h2 id="r-([a-z-]+)"', only) == ["notices"]
    short = client.get("/search?q=공")
    assert short.status_code == 422
    assert "검색어를 2글자 이상 입력하세요." in short.get_data(as_text=True)
    empty = client.get("/search").get_data(as_text=True)
    assert '<label for="q">검색어</label>' in empty and "검색 결과" not in empty
    none = client.get("/search?q=없는낱말입니다").get_data(as_text=True)
    assert "에 맞는 결과가 없습니다" in none


def test_hidden_proposals_and_deleted_notices_are_not_found(client, users, world):
    from gwanak.notices.models import Notice
    from gwanak.notices.operations import delete_notice
    from gwanak.participation import operations as ops

    ops.hide_proposal(world.governance, users.autonomy, "중복")
    delete_notice(db.session.get(Notice, 2), users.autonomy.id)
    found = _found("공원")
    assert "proposals-governance" not in found and "notices" not in found


def test_the_search_page_answers_htmx_with_only_the_results(client, world):
    response = client.get("/search?q=공원", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="search-results">') and "<footer" not in html
