"""What other sites read costs the same number of queries for 3 proposals as for 30:
widgets, feeds, API pages, downloads, the sitemap and 통합 검색 have no N+1."""

from __future__ import annotations

from gwanak.participation import operations as ops
from tests.factories import proposal, residents
from tests.outward_helpers import plant_personal_data
from tests.query_counter import statements_for

PATHS = (
    "/widgets/proposals-waiting",
    "/widgets/proposals-answered",
    "/widgets/agendas-open",
    "/widgets/pledge-rates",
    "/feeds/policy-proposals.atom",
    "/feeds/policy-answers.atom",
    "/api/v1/datasets/proposals?per_page=100",
    "/api/v1/datasets/department-answers",
    "/open-data/proposals.csv",
    "/sitemap.xml",
    "/search?q=%EA%B3%B5%EC%9B%90",  # 공원
)


def _more_proposals(users, count: int) -> None:
    people = residents(count, prefix="이웃")
    for n, person in enumerate(people):
        made = proposal(person, title=f"공원 벤치 {n}", body="공원에 벤치를 놓아 주세요.")
        ops.post_comment(made.discussion, users.neighbour, f"좋은 제안입니다 {n}")


def test_pages_for_other_sites_do_not_query_per_row(client, users):
    plant_personal_data(users)
    _more_proposals(users, 3)
    few = {path: statements_for(client, path) for path in PATHS}
    _more_proposals(users, 27)
    many = {path: statements_for(client, path) for path in PATHS}
    assert many == few
