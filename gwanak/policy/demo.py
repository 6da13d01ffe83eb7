"""Demo proposals in every state, with 공감, comments and answers; some handed by
기획예산과 to the department that answers them (one handed on twice, one overdue)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select

from gwanak.accounts.demo import demo_residents, demo_user
from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.core.workdays import is_working_day
from gwanak.participation import operations as ops
from gwanak.participation.models import Answer, Proposal
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


# After the answer: the adopted proposal's answer corrected once, then dated 추진상황.
CORRECTED_ANSWER = (
    "제안해 주셔서 감사합니다. 신림역 사거리 횡단보도 주변에 접이식 그늘막을 올해 안에 "
    "설치하고, 내년 5월부터 9월까지 펼쳐 운영하겠습니다. 설치 장소와 일정은 이 제안의 "
    "추진상황으로 알려 드리겠습니다."
)
CORRECTION_NOTE = (
    "'내년 사업에 반영'이라고 안내했으나 올해 예비비로 설치하게 되어 일정을 바로잡습니다."
)
PROGRESS = (
    # (working days after the answer, status, text)
    (3, "ongoing",
     "신림역 사거리와 신림사거리 버스정류장 앞 등 후보지 4곳을 현장 조사했습니다. 보도 폭과 "
     "지하 매설물을 확인해 보행에 방해가 없는 3곳을 설치 장소로 정했습니다."),
    (6, "ongoing",
     "접이식 그늘막 3대 제작을 발주했습니다. 관악경찰서와 교통안전 협의를 마쳤고, 기초 공사는 "
     "보행자가 적은 평일 오전에 진행합니다."),
    (9, "done",
     "그늘막 3대 설치와 안전 점검을 마쳤습니다. 겨울에는 접어 두고 내년 5월부터 펼쳐 운영합니다. "
     "다른 횡단보도에도 필요하면 새 제안으로 알려 주세요."),
)  # fmt: skip


def _working_days_after(start: datetime, days: int) -> datetime:
    """The moment `days` working days (Korean calendar) after `start`, at 11:00 KST."""
    day = clock.to_kst(start).date()
    while days:
        day += timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return datetime.combine(day, time(2, 0))  # 11:00 KST, as the naive UTC the app stores


def seed_progress():
    """The adopted demo proposal: its answer corrected, then 추진상황 up to 완료 — each
    on a working day after the answer and not after today."""
    proposal = db.session.scalar(
        select(Proposal).where(Proposal.board == "policy", Proposal.outcome == "adopted").limit(1)
    )
    planning = demo_user("planning")
    if proposal is None or planning is None or proposal.progress is not None:
        return
    kim = demo_user("kim")
    if kim is not None and kim.id != proposal.author_id:
        ops.follow(proposal.discussion, kim)  # a neighbour follows it: 내 알림 has news
    answer = db.session.scalar(
        select(Answer).where(
            Answer.discussion_id == proposal.discussion_id, Answer.kind == "department"
        )
    )
    now = clock.now()
    corrected_at = _working_days_after(proposal.answered_at, 1)
    if answer is not None and corrected_at < now:
        with clock.frozen(corrected_at):
            ops.correct_answer(answer, planning, body=CORRECTED_ANSWER, note=CORRECTION_NOTE)
    posted = 0
    for days, status, text in PROGRESS:
        at = _working_days_after(proposal.answered_at, days)
        if at >= now:
            break
        with clock.frozen(at):
            ops.add_progress(proposal, planning, status=status, body=text)
        posted += 1
    yield f"채택 제안의 답변 수정 1건과 추진상황 {posted}건을 만들었습니다."
