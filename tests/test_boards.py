"""The three boards (정책참여, 주민참여예산, 협치관악) are served by one set of board views.

Each board is mounted from the engine's route table; the budget board adds its own
routes beside them. Rate limits are the engine's on every board and counted per board.
"""

from __future__ import annotations

from sqlalchemy import func, select

from gwanak.core.extensions import db
from gwanak.core.settings import set_setting
from gwanak.participation.models import Proposal
from gwanak.participation.views import BOARD_ROUTES
from tests.factories import proposal
from tests.test_budget_proposals import FORM, IN_PROPOSALS, make_round

POLICY_FORM = {
    "title": "도서관 연장",
    "body": "밤에도 열어 주세요.",
    "category": "교육",
    "dong": "",
}
GOVERNANCE_FORM = POLICY_FORM | {"category": "행정"}


def test_the_three_boards_serve_their_pages_with_one_set_of_views(app):
    for route in BOARD_ROUTES:
        for menu in ("policy", "budget", "governance"):
            assert app.view_functions[f"{menu}.{route.endpoint}"] is route.view
    rules = {rule.rule: rule.endpoint for rule in app.url_map.iter_rules()}
    assert rules["/budget/proposals/<id:pid>/counts"] == "budget.proposal_counts"
    assert rules["/governance/proposals/<id:pid>/gonggam"] == "governance.proposal_gonggam"
    # The budget board's own actions sit beside the shared pages.
    for rule, endpoint in [
        ("/budget/proposals/<id:pid>/vote", "budget.proposal_vote"),
        ("/budget/proposals/<id:pid>/phase", "budget.proposal_phase"),
        ("/budget/proposals/rounds", "budget.round_list"),
        ("/budget/proposals/rounds/<id:round_id>", "budget.round_edit"),
    ]:
        assert rules[rule] == endpoint
    assert "policy.proposal_vote" not in app.view_functions


def _limited_client(db_url, tmp_path, user):
    from gwanak import create_app
    from tests.conftest import TEST_PASSWORD, base_config

    limited = create_app(
        base_config(db_url) | {"RATELIMIT_ENABLED": True, "UPLOAD_DIR": str(tmp_path)}
    )
    client = limited.test_client()
    client.post("/auth/login", data={"email": user.email, "password": TEST_PASSWORD})
    return client


def test_each_board_counts_its_own_proposals_per_hour_budget_included(
    db_url, tmp_path, users, frozen
):
    make_round()
    frozen(IN_PROPOSALS)
    client = _limited_client(db_url, tmp_path, users.resident)
    posts = {
        "policy": [client.post("/policy/proposals/new", data=POLICY_FORM) for _ in range(6)],
        "budget": [
            client.post("/budget/proposals/new", data=FORM | {"title": f"사업 {n}"})
            for n in range(6)
        ],
    }
    for board, responses in posts.items():
        assert [r.status_code for r in responses] == [303] * 5 + [429], board
    # The other boards' counts leave 협치관악's alone.
    assert client.post("/governance/proposals/new", data=GOVERNANCE_FORM).status_code == 303
    assert db.session.scalar(select(func.count(Proposal.id))) == 11


def test_gonggam_on_a_budget_proposal_has_the_engines_limit_per_board(
    db_url, tmp_path, users, frozen
):
    from gwanak.budget.proposal_operations import propose

    set_setting("limits.gonggam_per_minute", 2)
    db.session.commit()
    budget_round = make_round()
    frozen(IN_PROPOSALS)
    extra = propose(
        budget_round, users.resident, title="그늘막", body="필요합니다.", category="안전",
        dong=None, place="보라매공원", estimated_cost=1_000_000,
    )  # fmt: skip
    policy = proposal(users.resident)
    client = _limited_client(db_url, tmp_path, users.neighbour)
    budget_url = f"/budget/proposals/{extra.proposal_id}/gonggam"
    statuses = [
        client.post(budget_url, data={"action": action}).status_code
        for action in ("give", "take", "give")
    ]
    assert statuses == [303, 303, 429]
    assert client.post(f"/policy/proposals/{policy.id}/gonggam").status_code == 303
