"""The public manifesto pages: the pledge list, 공약실천 현황 and each pledge's page."""

from __future__ import annotations

import re

from tests.factories import (
    card_catalogue,
    card_pledge,
    four_pledges,
    load_catalogue,
    publish_pledge,
)
from tests.query_counter import statements_for


def test_the_pledge_page_shows_the_cards_figures_without_javascript_under_40_kb(client):
    card_pledge()
    response = client.get("/manifesto/pledges/6-1-1")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert len(response.data) < 40 * 1024
    for figure in ("37.5%", "40.0%", "42.9%", "20.0%", "5.39", "2.56", "2.83", ">24<"):
        assert figure in html, figure
    assert "<svg" in html and "<script>" not in html and "style=" not in html
    assert "총 이행률 (6-1 : 6-1-1 = 50 : 50)" in html
    assert "2023. 5." in html and "ESG 아이디어 공모전 개최" in html  # the milestones timeline
    # The portal's own features feed the three indicators from 2024 (none counted here).
    assert "관악구가 묻습니다" in html and "2024년부터 실시간" in html


def test_an_unknown_pledge_is_404(client):
    assert client.get("/manifesto/pledges/9-9-9").status_code == 404


def test_the_pledge_list_groups_by_area_and_filters_by_department_and_status(client):
    four_pledges()
    html = client.get("/manifesto/pledges").get_data(as_text=True)
    assert "공약 4건" in html
    assert html.index("6. 소통과 협치") < html.index("7. 구청장과 가까운 관악")
    html = client.get("/manifesto/pledges?department=자치행정과").get_data(as_text=True)
    assert "공약 2건" in html and "6-1-1" not in html
    html = client.get("/manifesto/pledges?status=부진").get_data(as_text=True)
    assert "공약 1건" in html and "5-1-2" in html
    html = client.get("/manifesto/pledges?status=없는상태").get_data(as_text=True)
    assert "조건에 맞는 공약이 없습니다" in html


def test_the_filter_answers_htmx_with_only_the_list(client):
    four_pledges()
    response = client.get("/manifesto/pledges?status=완료", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="pledge-list">')
    assert "7-1-1" in html and "<html" not in html


def test_progress_shows_overall_area_and_department_rates(client):
    for pledge in four_pledges()[1:]:  # the card comes published
        publish_pledge(pledge)
    html = client.get("/manifesto/progress").get_data(as_text=True)
    assert "전체 이행률" in html
    assert "부서별 이행률" in html and "기획예산과" in html and "감사담당관" in html
    assert re.search(r"기획예산과</th><td>1</td><td>20.0%", html)
    assert re.search(r"감사담당관</th><td>1</td><td>100.0%", html)


def make_many(n: int) -> None:
    data = card_catalogue()
    group = data["areas"][0]["goals"][0]["groups"][0]
    template = group["pledges"][0]
    group["pledges"] = []
    for k in range(n):
        copy = dict(template, code=f"6-1-{k + 1}")
        group["pledges"].append(copy)
    load_catalogue(data)


LIST_URLS = ("/manifesto/pledges", "/manifesto/progress", "/manifesto/forum")


def test_list_pages_use_the_same_number_of_queries_for_10_and_100_pledges(client):
    make_many(10)
    few = {url: statements_for(client, url) for url in LIST_URLS}
    make_many(100)
    many = {url: statements_for(client, url) for url in LIST_URLS}
    assert few == many
    html = client.get("/manifesto/pledges").get_data(as_text=True)
    assert "공약 100건" in html and len(html.encode()) < 120 * 1024


# ---------------------------------------------------------------- 주민참여마당


def test_a_resident_comments_on_a_pledge_in_the_forum(client, auth, users):
    pledge = card_pledge()
    did = pledge.discussion_id
    assert did is not None
    html = client.get("/manifesto/forum/6-1-1").get_data(as_text=True)
    assert "로그인</a>하면 댓글을 쓸 수 있습니다" in html

    auth.login(users.resident)
    response = client.post(
        f"/discussions/{did}/comments", data={"body": "이벤트 좋아요 a<b 010-1234-5678"}
    )
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/manifesto/forum/6-1-1?cpage=last#comment-")
    html = client.get("/manifesto/forum/6-1-1").get_data(as_text=True)
    assert "이벤트 좋아요 a&lt;b" in html and "010-1234-5678" not in html
    listing = client.get("/manifesto/forum").get_data(as_text=True)
    assert "댓글 1개 · 참여자 1명" in listing
    assert "댓글 1개" in client.get("/manifesto/pledges/6-1-1").get_data(as_text=True)


def test_a_resident_follows_a_pledges_discussion_with_and_without_javascript(client, auth, users):
    from gwanak.participation import operations as part_ops

    did = card_pledge().discussion_id
    assert "로그인</a>하면 이 글의 소식을" in client.get("/manifesto/forum/6-1-1").get_data(
        as_text=True
    )
    auth.login(users.resident)
    html = client.get("/manifesto/forum/6-1-1").get_data(as_text=True)
    assert f'action="/discussions/{did}/follow"' in html and 'aria-pressed="false"' in html
    assert f'data-hx-post="/discussions/{did}/follow"' in html

    # Without JavaScript: the form posts and comes back to the pledge's page.
    response = client.post(f"/discussions/{did}/follow", data={"action": "follow"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/manifesto/forum/6-1-1#follow"
    assert part_ops.is_following(did, users.resident)
    html = client.get("/manifesto/forum/6-1-1").get_data(as_text=True)
    assert "알림 받는 중 · 끄기" in html

    # With htmx: only the form comes back, switched.
    response = client.post(
        f"/discussions/{did}/follow", data={"action": "unfollow"}, headers={"HX-Request": "true"}
    )
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in fragment
    assert 'id="follow"' in fragment and 'aria-pressed="false"' in fragment
    assert not part_ops.is_following(did, users.resident)


def test_reimporting_keeps_the_pledges_comment_thread(client):
    first = card_pledge().discussion_id
    assert card_pledge().discussion_id == first
    assert client.get("/manifesto/forum/9-9-9").status_code == 404
