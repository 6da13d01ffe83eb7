"""The list and detail pages cost the same number of queries for 10 and for 100 items."""

from __future__ import annotations

from gwanak.core.extensions import db
from gwanak.participation import operations as ops
from tests.factories import proposal, residents
from tests.query_counter import statements_for


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
    # 16: with the header's 내 알림 count and whether the viewer follows the proposal.
    assert small == large <= 16


def test_the_counts_fragment_is_a_single_query(app, client, users):
    p = proposal(users.resident)
    assert _queries(client, f"/policy/proposals/{p.id}/counts") <= 3
