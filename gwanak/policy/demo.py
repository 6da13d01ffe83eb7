"""Demo proposals in every state, with 공감, comments and answers."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from gwanak.accounts.demo import demo_residents, demo_user
from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.participation import operations as ops
from gwanak.participation.models import Proposal
from gwanak.policy.board import POLICY_BOARD

DEMO_PROPOSALS = [
    ("신림역 주변 보행로에 그늘막을 더 설치해 주세요", "환경", "sillim",
     "여름철 신림역 사거리 횡단보도에서 신호를 기다리는 주민이 많습니다. 그늘막을 늘리면 온열질환을 줄일 수 있습니다.", 6, "adopted"),
    ("관악산 입구 공영주차장 안내 표지판 개선", "교통", "daehak",
     "주말마다 주차장을 찾는 차량이 골목을 돌아다닙니다. 큰길에서 보이는 안내 표지판을 달아 주세요.", 5, "reference"),
    ("어르신 스마트폰 교실을 동 주민센터에서 열어 주세요", "복지", "boramae",
     "키오스크와 모바일 민원이 늘어 어르신들이 어려움을 겪습니다. 동마다 월 2회 교실을 열면 좋겠습니다.", 5, None),
    ("도림천 산책로 야간 조명 보강", "안전", "sillim",
     "도림천 산책로 일부 구간이 밤에 너무 어둡습니다. 조명을 보강해 주세요.", 3, None),
    ("청년 공유 작업공간 확대", "경제·일자리", "nakseongdae",
     "낙성대 일대 청년들이 일할 공간이 부족합니다. 빈 공공시설을 공유 작업공간으로 바꿔 주세요.", 1, None),
]  # fmt: skip


def seed_proposals():
    if db.session.scalar(select(Proposal.id).where(Proposal.board == "policy").limit(1)):
        return
    residents = demo_residents()
    planning = demo_user("planning")
    if len(residents) < 7 or planning is None:
        return
    start = clock.now() - timedelta(days=20)
    for index, (title, category, dong, body, gonggam, outcome) in enumerate(DEMO_PROPOSALS):
        author = residents[index % len(residents)]
        with clock.frozen(start + timedelta(days=index)):
            proposal = ops.create_proposal(
                POLICY_BOARD, author, title=title, body=body, category=category,
                dong=dong,
            )  # fmt: skip
            others = [r for r in residents if r.id != author.id]
            for supporter in others[:gonggam]:
                ops.give_gonggam(proposal, supporter)
            for commenter in others[:3]:
                ops.post_comment(
                    proposal.discussion,
                    commenter,
                    f"{commenter.name[0]}님도 같은 생각입니다. 꼭 반영되면 좋겠습니다.",
                )
        if outcome:
            with clock.frozen(start + timedelta(days=index + 5)):
                ops.answer_proposal(
                    proposal, planning, outcome=outcome,
                    body="제안해 주셔서 감사합니다. 관련 부서와 협의해 내년 사업에 반영하겠습니다."
                    if outcome == "adopted" else "현장 여건을 검토해 업무에 참고하겠습니다.",
                )  # fmt: skip
    yield f"제안하기 데모 제안 {len(DEMO_PROPOSALS)}건을 만들었습니다."
