"""A portal with something in every place other sites read from (proposals on each board
with answers and comments, an agenda with a poll and a result, notices, a budget project,
a pledge with an update), and personal data planted in all of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from gwanak.budget.operations import save_project
from gwanak.budget.proposals import BUDGET_BOARD
from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.governance.routes import GOVERNANCE_BOARD
from gwanak.manifesto.demo import CARD_FILE, load_catalogue_file
from gwanak.manifesto.models import Pledge
from gwanak.manifesto.operations import add_milestone
from gwanak.notices.boards import BUDGET_NOTICES, dong_notice_board
from gwanak.notices.operations import create_notice
from gwanak.participation import operations as ops
from gwanak.policy.asks import operations as asks
from gwanak.policy.board import POLICY_BOARD
from tests.factories import residents

PHONE = "010-1234-5678"
LANDLINE = "02-123-4567"
EMAIL = "someone@example.com"
RRN = "900101-1234567"
PLANTED = (PHONE, LANDLINE, EMAIL, RRN, "1234-5678", "someone@")
# A day when the agenda below is open (2026-03-10 12:00 KST).
OPEN_DAY = datetime(2026, 3, 10, 3, 0)


@dataclass
class World:
    answered: object  # a policy proposal with a department answer (교통)
    formula: object  # a proposal whose title and body start like spreadsheet formulas
    governance: object
    budget: object
    agenda: object
    pledge: object


def plant_personal_data(users) -> World:
    """Build the world at OPEN_DAY (the clock stays frozen there)."""
    clock.set_frozen(OPEN_DAY)
    author = users.resident  # 김철우: only 김*우 may ever leave the portal
    answered = ops.create_proposal(
        POLICY_BOARD,
        author,
        title=f"교통 불편 신고 {PHONE}",
        body=f"버스 정류장 주차 문제입니다. 연락은 {EMAIL} 또는 {LANDLINE}, 주민번호 {RRN}.",
        category="교통",
        dong="boramae",
    )
    for person in residents(POLICY_BOARD.review_threshold, prefix="공감주민"):
        ops.give_gonggam(answered, person)
    db.session.refresh(answered)
    ops.answer_proposal(
        answered,
        users.planning,
        outcome="adopted",
        body=f"채택합니다. 담당자 직통 {PHONE}, {EMAIL}로 문의하세요.",
    )
    ops.post_comment(answered.discussion, users.neighbour, f"제 번호는 {PHONE}, 메일 {EMAIL}")
    formula = ops.create_proposal(
        POLICY_BOARD,
        users.neighbour,
        title='=HYPERLINK("http://evil.example","공원")',
        body="+SUM(1,2) 공원 벤치를 늘려 주세요 @mention -1",
        category="환경",
    )
    governance = ops.create_proposal(
        GOVERNANCE_BOARD,
        author,
        title="마을 공원 협의체를 만들어 주세요",
        body=f"공원 관리에 주민이 참여하면 좋겠습니다. {PHONE}",
        category="환경",
    )
    ops.post_comment(governance.discussion, users.neighbour, f"찬성합니다. {EMAIL}")
    budget = ops.create_proposal(
        BUDGET_BOARD,
        author,
        title="주차장 옆 쉼터 조성",
        body=f"주차장 옆 빈터에 쉼터를 만들어 주세요. 문의 {PHONE}",
        category="교통",
    )
    agenda = asks.post_agenda(
        users.planning,
        asks.AgendaFields(
            kind="general",
            title="공원 야간 조명, 어떻게 할까요?",
            body=f"의견을 들려주세요. 문의 {LANDLINE} / {EMAIL}",
            opens_on=date(2026, 3, 1),
            closes_on=date(2026, 3, 31),
            poll_question="조명을 늘릴까요?",
            poll_options=[f"찬성 (문의 {PHONE})", "반대"],
        ),
    )
    db.session.commit()
    asks.cast_vote(agenda, users.resident, agenda.options[0].id)
    asks.cast_vote(agenda, users.neighbour, agenda.options[1].id)
    ops.post_comment(agenda.discussion, users.neighbour, f"연락 주세요 {PHONE}")
    clock.set_frozen(OPEN_DAY + timedelta(days=30))
    asks.publish_result(agenda, users.planning, f"조명을 늘립니다. 문의 {EMAIL}")
    db.session.commit()
    clock.set_frozen(OPEN_DAY)
    create_notice(
        BUDGET_NOTICES,
        users.autonomy.id,
        title=f"주민참여예산 설명회 {PHONE}",
        body_md=f"문의: {EMAIL}",
    )
    create_notice(
        dong_notice_board("boramae"),
        users.boramae.id,
        title="보라매동 공원 청소의 날",
        body_md=f"신청 {LANDLINE}",
    )
    save_project(
        None,
        {
            "year": 2026,
            "title": "보라매공원 산책로 정비",
            "summary": f"공원 산책로를 고칩니다. 문의 {PHONE}",
            "dong": "boramae",
            "department": "공원녹지과",
            "budget": 30_000_000,
            "spent": 1_000_000,
            "progress": 10,
            "state": "ongoing",
        },
        users.autonomy.id,
    )
    load_catalogue_file(CARD_FILE)
    pledge = db.session.query(Pledge).filter_by(code="6-1-1").one()
    add_milestone(
        pledge, date(2026, 3, 9), "", f"주민 설명회 {PHONE}", f"문의 {EMAIL}", users.planning.id
    )
    db.session.commit()
    return World(answered, formula, governance, budget, agenda, pledge)
