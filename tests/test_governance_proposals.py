"""협치관악 제안하기: another board of the one participation engine, with its own thresholds."""

from __future__ import annotations

from gwanak.core.extensions import db
from gwanak.core.settings import set_setting
from gwanak.governance.routes import GOVERNANCE_BOARD
from gwanak.participation import operations as ops
from gwanak.participation.boards import boards
from gwanak.participation.models import ProposalState
from gwanak.policy.board import POLICY_BOARD
from tests.factories import proposal, residents


def test_the_governance_board_is_a_configuration_of_the_engine(app, client):
    assert boards()["governance"] is GOVERNANCE_BOARD
    assert GOVERNANCE_BOARD.owner_department == "자치행정과"
    page = client.get("/governance/proposals").get_data(as_text=True)
    assert "제안하기" in page and "자치행정과" in page


def test_thresholds_apply_per_board_three_gonggam_move_only_the_governance_proposal(app, users):
    set_setting("board.policy.review_gonggam", 5)
    set_setting("board.governance.review_gonggam", 3)
    db.session.commit()
    author = users.resident
    policy = proposal(author, "정책 게시판 제안")
    governance = ops.create_proposal(
        GOVERNANCE_BOARD, author, title="협치 게시판 제안", body="마을 의제를 함께 정해요.",
        category="행정", dong="boramae",
    )  # fmt: skip
    for neighbour in residents(3):
        ops.give_gonggam(policy, neighbour)
        ops.give_gonggam(governance, neighbour)
    db.session.refresh(policy)
    db.session.refresh(governance)
    assert governance.state == ProposalState.REVIEW
    assert governance.department == "자치행정과"
    assert policy.state == ProposalState.GATHERING
    assert POLICY_BOARD.review_threshold == 5 and GOVERNANCE_BOARD.review_threshold == 3


def test_a_resident_proposes_on_the_governance_board_without_javascript(app, client, auth, users):
    auth.login(users.resident)
    response = client.post(
        "/governance/proposals/new",
        data={
            "title": "주민 협치 포럼 정례화",
            "body": "분기마다 열어 주세요.",
            "category": "행정",
            "dong": "",
            "token": "",
        },
    )
    assert response.status_code == 303 and response.headers["Location"].startswith(
        "/governance/proposals/"
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "주민 협치 포럼 정례화" in page
    assert "주민 협치 포럼 정례화" not in client.get("/policy/proposals").get_data(as_text=True)
