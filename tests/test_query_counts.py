"""The list and detail pages cost the same number of queries for 10 and for 100 items."""

from __future__ import annotations

from gwanak.core.extensions import db
from gwanak.participation import operations as ops
from tests.factories import proposal, residents
from tests.query_counter import count_queries, statements_for


def _queries(client, path: str) -> int:
    db.session.expire_all()  # nothing cached, as in a real request
    return statements_for(client, path)


def test_the_proposal_list_costs_the_same_for_10_and_100_proposals(app, client, auth, users):
    people = residents(3)
    for i in range(10):
        proposal(people[i % 3], title=f"제안 {i}")
    auth.login(users.neighbour)
    small = _queries(client, "/policy/proposals?per_page=100")
    for i in range(90):
        proposal(people[i % 3], title=f"더 많은 제안 {i}")
    large = _queries(client, "/policy/proposals?sort=gonggam")
    # 8: the header's 내 알림 count is one query for a signed-in resident.
    assert small == large <= 8


def test_the_detail_page_costs_the_same_for_10_and_100_comments(app, client, auth, users):
    p = proposal(users.resident)
    people = residents(20)
    for i in range(10):
        ops.post_comment(p.discussion, people[i % 20], f"댓글 {i}")
    auth.login(users.neighbour)
    small = _queries(client, f"/policy/proposals/{p.id}")
    for i in range(90):
        comment = ops.post_comment(p.discussion, people[i % 20], f"댓글 더 {i}")
        if i % 3 == 0:
            ops.post_comment(p.discussion, people[(i + 1) % 20], "답글", parent_id=comment.id)
    large = _queries(client, f"/policy/proposals/{p.id}")
    # 9: with the header's 내 알림 count and whether the viewer follows the proposal; the
    # comments are two (their count, then the page's comments, replies and authors).
    assert small == large <= 9


def test_the_counts_fragment_is_a_single_query(app, client, users):
    p = proposal(users.resident)
    assert _queries(client, f"/policy/proposals/{p.id}/counts") <= 3


def _statements(client, path: str) -> list[str]:
    db.session.expire_all()
    assert client.get(path).status_code == 200
    with count_queries() as statements:
        assert client.get(path).status_code == 200
    return statements


def test_searching_a_list_uses_the_bigram_index_and_costs_the_same_for_10_and_100_hits(
    app, client, users
):
    people = residents(3)
    for i in range(10):
        proposal(people[i % 3], title=f"버스교통 개선 {i}")
    proposal(people[0], title="공원 산책로 정비")
    small = _statements(client, "/policy/proposals?q=교통")
    for i in range(90):
        proposal(people[i % 3], title=f"교통 신호 조정 {i}")
    large = _statements(client, "/policy/proposals?q=교통&sort=gonggam")
    assert len(small) == len(large) <= 5
    searching = [s for s in large if "search_grams" in s]
    # The count and the page's ids both come from the index, and neither scans with LIKE.
    assert len(searching) == 2 and not any("LIKE" in s.upper() for s in searching)


def test_the_unfiltered_list_counts_its_proposals_at_most_once(app, client, users):
    for i in range(3):
        proposal(users.resident, title=f"제안 {i}")
    counts = [s for s in _statements(client, "/policy/proposals") if "count(" in s.lower()]
    assert len(counts) <= 1  # the card's figures give the list its total (kept a while)
    proposal(users.resident, title="새 제안")
    html = client.get("/policy/proposals").get_data(as_text=True)
    assert "(4건)" in html and "<dd>4건</dd>" in html  # posting forgot the kept figures


def test_integrated_search_costs_the_same_for_few_and_many_proposal_hits(app, client, users):
    people = residents(3)
    for i in range(3):
        proposal(people[i % 3], title=f"교통 개선 {i}")
    small = _statements(client, "/search?q=교통")
    for i in range(60):
        proposal(people[i % 3], title=f"버스교통 정비 {i}")
    assert len(_statements(client, "/search?q=교통")) == len(small)
    # Every provider's hits and total come in one UNION ALL (there were 16 statements).
    assert len(small) == 1 and "UNION ALL" in small[0]
    assert len(_statements(client, "/search?q=교통신호")) == 1  # a longer term too
    assert len(_statements(client, "/search?q=교통&type=notices")) == 1  # one kind only
