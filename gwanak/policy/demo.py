"""Demo proposals in every state, with 공감, comments and answers; some handed by
기획예산과 to the department that answers them (one handed on twice, one overdue)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from gwanak.accounts.demo import demo_residents, demo_user
from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.participation import operations as ops
from gwanak.participation.models import Proposal
from gwanak.policy.board import POLICY_BOARD

# (title, category, dong, body, 공감, days ago posted, outcome)
DEMO_PROPOSALS = [
    ("신림역 주변 보행로에 그늘막을 더 설치해 주세요", "환경", "sillim",
     "여름철 신림역 사거리 횡단보도에서 신호를 기다리는 주민이 많습니다. 그늘막을 늘리면 온열질환을 줄일 수 있습니다.", 6, 20, "adopted"),
    ("관악산 입구 공영주차장 안내 표지판 개선", "교통", "daehak",
     "주말마다 주차장을 찾는 차량이 골목을 돌아다닙니다. 큰길에서 보이는 안내 표지판을 달아 주세요.", 5, 19, "reference"),
    ("어르신 스마트폰 교실을 동 주민센터에서 열어 주세요", "복지", "boramae",
     "키오스크와 모바일 민원이 늘어 어르신들이 어려움을 겪습니다. 동마다 월 2회 교실을 열면 좋겠습니다.", 5, 18, None),
    ("도림천 산책로 야간 조명 보강", "안전", "sillim",
     "도림천 산책로 일부 구간이 밤에 너무 어둡습니다. 조명을 보강해 주세요.", 3, 17, None),
    ("청년 공유 작업공간 확대", "경제·일자리", "nakseongdae",
     "낙성대 일대 청년들이 일할 공간이 부족합니다. 빈 공공시설을 공유 작업공간으로 바꿔 주세요.", 1, 16, None),
    ("봉천로 학교 앞 횡단보도 신호 시간을 늘려 주세요", "교통", "cheongnyong",
     "아이들이 다 건너기 전에 신호가 바뀝니다. 등하교 시간만이라도 보행 신호를 몇 초 늘려 주세요.", 5, 45, None),
    ("서원동 주택가 밤샘 불법주차 단속 요청", "교통", "seowon",
     "밤마다 골목 양쪽에 화물차가 서 있어 소방차가 들어오기 어렵습니다. 야간 단속을 늘려 주세요.", 6, 30, "adopted"),
    ("낙성대공원 놀이터 바닥 교체", "환경", "nakseongdae",
     "놀이터 고무 바닥이 여기저기 찢어져 아이들이 걸려 넘어집니다. 바닥재를 새로 깔아 주세요.", 5, 28, "adopted"),
]  # fmt: skip

# Where 기획예산과 hands each proposal once it reaches review: [(담당 부서, 협조, 사유)],
# and who answers it (a demo account's local part; 기획예산과 otherwise).
ROUTES = {
    "어르신 스마트폰 교실을 동 주민센터에서 열어 주세요": (
        [("어르신복지과", [], "어르신 대상 교육 사업은 어르신복지과 소관입니다."),
         ("스마트정보과", ["어르신복지과"],
          "디지털 교육 강사와 기기 지원은 스마트정보과가 맡고, 어르신복지과가 대상자 모집을 돕습니다.")],
        None),
    "관악산 입구 공영주차장 안내 표지판 개선": (
        [("주차관리과", [], "공영주차장 안내 시설은 주차관리과 소관입니다.")], "parking"),
    "봉천로 학교 앞 횡단보도 신호 시간을 늘려 주세요": (
        [("교통행정과", [], "보행 신호 운영은 경찰서와 협의하는 교통행정과 소관입니다.")], "traffic"),
    "서원동 주택가 밤샘 불법주차 단속 요청": (
        [("주차관리과", ["교통행정과"], "불법 주정차 단속은 주차관리과 소관입니다.")], "parking"),
    "낙성대공원 놀이터 바닥 교체": (
        [("공원녹지과", [], "공원 안 놀이시설 정비는 공원녹지과 소관입니다.")], "parks"),
}  # fmt: skip

ANSWERS = {
    "adopted": "제안해 주셔서 감사합니다. 현장을 확인했고 올해 안에 반영하겠습니다. 진행 상황은 이 글에 다시 알려 드리겠습니다.",
    "reference": "현장 여건을 검토했습니다. 당장 설치는 어렵지만 내년 시설 정비 계획에 참고하겠습니다.",
}  # fmt: skip


def seed_proposals():
    if db.session.scalar(select(Proposal.id).where(Proposal.board == "policy").limit(1)):
        return
    residents = demo_residents()
    planning = demo_user("planning")
    if len(residents) < 7 or planning is None:
        return
    now = clock.now()
    for index, row in enumerate(DEMO_PROPOSALS):
        title, category, dong, body, gonggam, days_ago, outcome = row
        author = residents[index % len(residents)]
        posted = now - timedelta(days=days_ago)
        with clock.frozen(posted):
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
        answerer = _route(proposal, planning, posted) or planning
        if outcome:
            with clock.frozen(posted + timedelta(days=min(days_ago - 1, 5 + index))):
                ops.answer_proposal(proposal, answerer, outcome=outcome, body=ANSWERS[outcome])
    yield f"제안하기 데모 제안 {len(DEMO_PROPOSALS)}건을 만들었습니다."


def _route(proposal: Proposal, planning, posted):
    """Hand the proposal on as ROUTES says, a day apart; the account that answers."""
    if proposal.title not in ROUTES:
        return None
    hops, answerer = ROUTES[proposal.title]
    db.session.refresh(proposal)
    for day, (department, cooperating, reason) in enumerate(hops, start=1):
        with clock.frozen(posted + timedelta(days=day)):
            ops.assign_proposal(
                proposal, planning, department=department, reason=reason, cooperating=cooperating
            )
    return demo_user(answerer) if answerer else None
