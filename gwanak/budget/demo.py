"""Demo content of 주민참여예산: 실행사업 of the last two years, a 예산학교 course, two
rounds (one taking proposals today, one voted and decided) and the notices that
announce them.

Everything follows the calendar: a round's dates start and end on working days, a
proposal is posted inside its round's 제안 접수 dates, staff move phases on working
days, votes fall inside the vote dates, and the notices quote the rounds' own dates.
Dates are counted back from today, so the demo is the same whenever it is seeded on
the same day, and nothing depends on randomness.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from gwanak.accounts.demo import demo_people, demo_residents, demo_user
from gwanak.budget.models import (
    BudgetProject,
    BudgetProposal,
    BudgetRound,
    Phase,
    ProjectUpdate,
    SchoolClass,
    SchoolCourse,
)
from gwanak.budget.operations import register_for_class
from gwanak.budget.proposal_operations import assign_reviewer, cast_vote, move_phase, propose
from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.core.settings import get_setting
from gwanak.core.workdays import long_date, working_day_before, working_day_from
from gwanak.notices import operations as notice_ops
from gwanak.notices.boards import BUDGET_NOTICES
from gwanak.notices.models import Notice
from gwanak.participation.demo_threads import (
    Line,
    demo_views,
    give_gonggam,
    kst_moment,
    post_thread,
)

# 실행사업 ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Project:
    years_ago: int
    title: str
    dong: str | None
    department: str
    budget: int
    spent: int
    progress: int
    state: str
    summary: str
    updates: tuple[tuple[int, int, str], ...]  # month, day, what happened


PROJECTS = (
    Project(
        1, "보라매공원 산책로 야간 조명 개선", "boramae", "공원녹지과", 48_000_000, 47_200_000,
        100, "done", "보라매공원 연못 둘레와 운동기구 주변 산책로에 LED 보안등 24개를 달았습니다.",
        ((3, 16, "설계를 마치고 보안등 24곳의 위치를 정했습니다."),
         (6, 2, "연못 둘레 구간 공사를 시작했습니다. 공사 중에는 동문 쪽 산책로로 돌아가 주세요."),
         (9, 25, "설치를 마치고 밤에 조도를 점검했습니다. 고장은 공원관리사무소로 알려 주세요.")),
    ),
    Project(
        1, "신림동 골목길 안심 반사경 설치", "sillim", "교통행정과", 22_000_000, 21_500_000,
        100, "done", "차가 갑자기 튀어나오는 골목 교차로 38곳에 반사경을 새로 달았습니다.",
        ((4, 7, "주민 신청을 받아 설치할 교차로 38곳을 골랐습니다."),
         (7, 14, "반사경 설치를 모두 마쳤습니다. 낡은 반사경 12개도 함께 바꿨습니다.")),
    ),
    Project(
        1, "낙성대동 어르신 디지털 교실", "nakseongdae", "어르신복지과", 15_000_000, 9_000_000,
        70, "carried_over", "경로당 다섯 곳에서 키오스크 주문과 모바일 민원 쓰는 법을 가르칩니다.",
        ((3, 20, "강사 두 명을 모시고 경로당 다섯 곳과 수업 일정을 맞췄습니다."),
         (11, 27, "세 곳은 과정을 마쳤고, 두 곳은 강사 사정으로 다음 해 봄 학기로 넘겼습니다.")),
    ),
    Project(
        0, "청림동 어린이 통학로 안전 펜스", "cheongnim", "교통행정과", 35_000_000, 14_000_000,
        45, "ongoing", "초등학교 앞 보도 220미터에 보행자 안전 펜스를 세웁니다.",
        ((3, 18, "학부모 설명회에서 펜스 디자인과 설치 구간을 정했습니다."),
         (8, 11, "여름방학 동안 1구간(110미터) 공사를 마쳤습니다. 2구간은 겨울방학에 합니다.")),
    ),
    Project(
        0, "도림천 생태 쉼터 조성", None, "치수과", 80_000_000, 20_000_000,
        25, "ongoing", "도림천 산책로 신림동 구간에 그늘 쉼터와 물가 관찰 데크를 만듭니다.",
        ((4, 1, "설계 공모로 쉼터 디자인을 골랐습니다."),
         (10, 6, "하천 점용 허가를 받았습니다. 장마철이 지나 착공합니다.")),
    ),
    Project(
        0, "인헌동 마을 작은도서관 책 나눔", "inheon", "교육정책과", 12_000_000, 12_000_000,
        100, "done", "작은도서관 세 곳에 아이들이 고른 책 1,400권을 들이고 책 나눔 장터를 열었습니다.",
        ((3, 9, "어린이 도서 선정단 20명이 읽고 싶은 책을 골랐습니다."),
         (6, 30, "책 1,400권을 들이고 책 나눔 장터를 열었습니다. 주민 300여 명이 다녀갔습니다.")),
    ),
)  # fmt: skip


def seed_budget_projects() -> Iterator[str]:
    if db.session.scalar(select(BudgetProject.id).limit(1)) is not None:
        return
    staff = demo_user("autonomy")
    today = clock.today()
    for item in PROJECTS:
        year = today.year - item.years_ago
        project = BudgetProject(
            year=year, title=item.title, summary=item.summary, dong=item.dong,
            department=item.department, budget=item.budget, spent=item.spent,
            progress=item.progress, state=item.state,
        )  # fmt: skip
        db.session.add(project)
        db.session.flush()
        for month, day, body in item.updates:
            posted_on = working_day_from(date(year, month, day))
            if posted_on <= today:
                db.session.add(
                    ProjectUpdate(
                        project_id=project.id, posted_on=posted_on, body=body,
                        author_id=staff.id if staff else None,
                        created_at=kst_moment(posted_on, "16:30"),
                    )
                )  # fmt: skip
    db.session.commit()
    yield f"실행사업 {len(PROJECTS)}건을 만들었습니다."


# 예산학교 ---------------------------------------------------------------------------


def seed_budget_school() -> Iterator[str]:
    if db.session.scalar(select(SchoolCourse.id).limit(1)) is not None:
        return
    course = SchoolCourse(
        title="주민참여예산 기초 과정",
        description="예산이 어떻게 만들어지는지, 좋은 사업 제안은 어떻게 쓰는지 함께 배웁니다.",
    )
    db.session.add(course)
    db.session.flush()
    places = ("관악구청 8층 대강당", "관악구청 8층 대강당", "관악구 평생학습관 2층")
    classes = []
    day = clock.today()
    for n, place in enumerate(places, start=1):
        day = working_day_from(day + timedelta(days=7))  # weekly, on working-day evenings
        school_class = SchoolClass(
            course_id=course.id, number=n, starts_at=kst_moment(day, "19:00"), place=place,
            capacity=3 if n == 1 else 30,
        )  # fmt: skip
        db.session.add(school_class)
        classes.append(school_class)
    db.session.commit()
    for resident in demo_residents()[:4]:  # the first class fills up: one waits
        register_for_class(classes[0].id, resident)
    yield "예산학교 과정 1개(3회차)를 만들었습니다."


# Rounds and their proposals ----------------------------------------------------------


def make_round(year: int, opens: date) -> BudgetRound:
    """Six weeks of 제안 접수, four of 부서 검토, two of 분과 심의, two of 주민 투표;
    every boundary on a working day."""
    starts = working_day_from(opens)
    proposal_ends = working_day_before(starts + timedelta(days=41))
    review_ends = working_day_before(proposal_ends + timedelta(days=28))
    deliberation_ends = working_day_before(review_ends + timedelta(days=14))
    vote_starts = working_day_from(deliberation_ends + timedelta(days=1))
    return BudgetRound(
        year=year,
        proposal_starts=starts,
        proposal_ends=proposal_ends,
        review_ends=review_ends,
        deliberation_ends=deliberation_ends,
        vote_starts=vote_starts,
        vote_ends=working_day_before(vote_starts + timedelta(days=13)),
    )


@dataclass(frozen=True)
class BudgetStory:
    title: str
    field: str
    dong: str | None
    place: str
    cost: int
    body: str
    author: str
    day: int  # days after the round opened that it was posted
    at: str  # "HH:MM", Korean time
    thread: tuple[Line, ...] = ()
    gonggam: int = 0  # how many neighbours 공감 (the first of GONGGAM_BY, not the author)
    review_after: int | None = None  # staff start 부서 검토 this many days after posting
    not_feasible: str | None = None  # 부서 검토 ends 미선정 with this reason


OPEN_ROUND = (
    BudgetStory(
        "보라매공원 어린이 놀이터 그늘막", "안전", "boramae", "보라매공원 동문 놀이터", 30_000_000,
        "동문 놀이터에는 그늘이 하나도 없어서 여름 한낮에는 미끄럼틀이 뜨거워 아이들이 "
        "못 탑니다. 놀이터 가장자리에 차양막 세 개와 그 아래 벤치를 놓아 주세요. 보호자가 "
        "앉아서 아이를 지켜볼 자리도 함께 생깁니다.",
        "jung", 1, "21:20",
        gonggam=9,
        thread=(
            Line("kwon", 0, "22:02", "여름에 미끄럼틀 만졌다가 깜짝 놀랐어요. 꼭 필요해요."),
            Line("seo", 2, "10:34", "차양막은 겨울에 걷을 수 있는 걸로 하면 좋겠습니다. 겨울엔 "
                 "햇볕이 들어야 해서요."),
            Line("jung", 2, "12:15", "맞아요, 접을 수 있는 걸로 다시 적을게요. 의견 감사해요.",
                 reply_to=1),
        ),
        review_after=9,
    ),
    BudgetStory(
        "신림동 골목 CCTV 안내판 정비", "안전", "sillim", "신림동 주택가 골목 (신림로 뒤편)",
        18_000_000,
        "신림로 뒤편 골목에 CCTV는 있는데 안내판이 낡아서 글씨가 안 보이거나 떨어져 "
        "나간 곳이 많습니다. 밤길에 안내판이 잘 보이면 그것만으로도 든든합니다. 빛을 "
        "반사하는 안내판으로 바꿔 주세요.",
        "lee", 4, "19:48",
        gonggam=3,
        thread=(
            Line("han", 1, "08:26", "골목 입구마다 하나씩만 있어도 좋겠어요. 안쪽은 아예 없어요."),
        ),
    ),
    BudgetStory(
        "청룡동 경로당 운동기구 교체", "복지", "cheongnyong", "청룡동 경로당 앞마당", 12_000_000,
        "경로당 앞마당 운동기구가 10년이 넘어 녹이 슬고 삐걱거립니다. 어르신들이 매일 "
        "쓰시는 허리 돌리기와 다리 펴기 기구만이라도 새것으로 바꾸고, 바닥에 충격을 "
        "줄이는 매트를 깔아 주세요.",
        "hwang", 6, "10:40",
        gonggam=6,
        thread=(
            Line("oh", 0, "15:12", "저희 경로당도 똑같아요. 손잡이에 녹이 묻어 나옵니다."),
            Line("im", 3, "19:05", "바닥 매트 꼭 넣어 주세요. 작년에 넘어지신 분이 계셨어요."),
        ),
        review_after=7,
    ),
    BudgetStory(
        "도림천 자전거 쉼터 조성", "교통", None, "도림천 산책로 신림동 구간", 45_000_000,
        "도림천을 따라 자전거로 출퇴근하는 사람이 많은데 중간에 쉴 곳도, 바람 넣을 "
        "곳도 없습니다. 다리 밑 빈 공간에 거치대와 공기주입기, 간단한 수리 공구를 "
        "갖춘 쉼터를 만들어 주세요.",
        "moon", 12, "22:31",
        gonggam=7,
        thread=(
            Line("shin", 1, "07:41", "자전거 출근하는 사람으로서 대찬성입니다. 공기주입기만 "
                 "있어도 살 것 같아요."),
            Line("bae", 1, "20:16", "산책하는 사람과 부딪치지 않게 쉼터 앞은 속도를 줄이라는 "
                 "표시도 있으면 좋겠어요."),
            Line("moon", 2, "09:03", "좋은 생각이에요. 쉼터 앞 50미터는 서행 구간으로 하자고 "
                 "덧붙이겠습니다.", reply_to=1),
        ),
    ),
    BudgetStory(
        "관악산 입구 대형 주차장 신설", "교통", "daehak", "관악산공원 입구", 450_000_000,
        "주말마다 관악산 입구 도로에 차가 줄지어 서서 버스도 못 지나갑니다. 입구 근처에 "
        "200대 규모 주차장을 지어 주세요.",
        "ahn", 3, "13:55",
        gonggam=2,
        thread=(
            Line("choi", 0, "18:22", "주차장을 지으면 차가 더 몰려올 것 같아요. 셔틀버스가 "
                 "낫지 않을까요?"),
            Line("ahn", 1, "08:47", "셔틀도 좋지만 등산객 차가 워낙 많아서요. 둘 다 필요하다고 "
                 "봅니다.", reply_to=0),
        ),
        review_after=8,
        not_feasible="주민참여예산으로 하기 어려운 대규모 시설 사업입니다. 부지 매입이 필요해 "
        "구 교통 부서의 주차장 확충 계획에 의견을 넘겼습니다.",
    ),
    BudgetStory(
        "인헌동 마을마당 꽃밭 가꾸기", "환경", "inheon", "인헌동 마을마당", 20_000_000,
        "마을마당 화단이 비어 있어서 쓰레기가 자꾸 버려집니다. 주민이 함께 심고 가꾸는 "
        "꽃밭을 만들고, 물 줄 수 있게 수도꼭지 하나를 놓아 주세요. 가꾸기 모임은 "
        "저희가 꾸리겠습니다.",
        "yoon", 17, "11:08",
        gonggam=4,
        thread=(
            Line("yang", 0, "14:40", "가꾸기 모임 저도 들어갈게요. 봄에 같이 심어요!"),
        ),
    ),
    BudgetStory(
        "낙성대역 어린이보호구역 노란 발자국", "안전", "nakseongdae", "낙성대역 4번 출구 앞 초등학교 길",
        8_000_000,
        "낙성대역에서 초등학교로 가는 길 횡단보도 앞에 노란 발자국과 정지선을 그려 "
        "주세요. 아이들이 차도 가까이 서서 기다리는 일이 많습니다.",
        "park", 21, "07:35",
        gonggam=1,
    ),
)  # fmt: skip


@dataclass(frozen=True)
class VotedStory:
    story: BudgetStory
    voters: slice
    selected: bool


CLOSED_ROUND = (
    VotedStory(
        BudgetStory(
            "은천동 골목 LED 보안등 교체", "안전", "euncheon", "은천동 주택가 골목", 26_000_000,
            "은천동 언덕 골목 보안등이 오래된 나트륨등이라 주황색으로 흐릿합니다. 밝은 "
            "LED로 바꾸고, 꺼진 곳은 다시 켜 주세요. 밤에 귀가하는 학생들이 무서워합니다.",
            "noh", 3, "20:50",
            gonggam=12,
            thread=(
                Line("ryu", 1, "07:52", "계단 있는 골목이 특히 어두워요. 발밑이 안 보입니다."),
                Line("baek", 2, "21:40", "동네 어르신들도 저녁 산책을 못 나가세요. 투표 때 꼭 "
                     "찍겠습니다."),
            ),
        ),
        slice(0, 14), True,
    ),
    VotedStory(
        BudgetStory(
            "서원동 작은도서관 책상과 조명 교체", "교육", "seowon", "서원동 작은도서관", 17_000_000,
            "작은도서관 열람석 책상이 흔들리고 조명이 어두워서 아이들이 오래 앉아 있기 "
            "힘듭니다. 책상 20개와 열람석 조명을 바꿔 주세요.",
            "shin", 9, "12:25",
            gonggam=8,
            thread=(
                Line("hong", 0, "19:30", "아이랑 주말마다 가는데 책상이 정말 흔들려요."),
            ),
        ),
        slice(5, 16), True,
    ),
    VotedStory(
        BudgetStory(
            "중앙동 근린공원 반려견 쉼터", "환경", "jungang", "중앙동 근린공원 서쪽 빈터", 15_000_000,
            "공원 서쪽 빈터에 울타리를 치고 반려견이 목줄 없이 쉴 수 있는 작은 쉼터를 "
            "만들어 주세요. 배변 봉투함과 수돗가도 함께 있으면 좋겠습니다.",
            "hong", 14, "18:05",
            gonggam=5,
            thread=(
                Line("jo", 0, "21:17", "강아지 키우는 사람으로서 찬성해요. 다만 소음 걱정하시는 "
                     "이웃도 있을 테니 운영 시간은 정해 두면 좋겠어요."),
                Line("hong", 1, "08:30", "네, 해 지기 전까지만 여는 걸로 생각하고 있어요.",
                     reply_to=0),
            ),
        ),
        slice(12, 18), False,
    ),
)  # fmt: skip

# Who votes, in order; a voter's slices overlap, so nobody casts more than three.
VOTERS = (
    "kim", "lee", "park", "choi", "jung", "kang", "yoon", "seo", "han", "oh", "shin",
    "kwon", "hwang", "song", "ryu", "moon", "bae", "jo",
)  # fmt: skip


# Who gives 공감 to budget proposals, in order.
GONGGAM_BY = (
    "kang", "seo", "kwon", "im", "oh", "han", "bae", "shin", "yang", "ryu", "baek", "noh",
    "hong", "jo", "nam", "moon",
)  # fmt: skip


def _post(budget_round: BudgetRound, story: BudgetStory, people) -> BudgetProposal | None:
    posted_on = budget_round.proposal_starts + timedelta(days=story.day)
    posted_at = kst_moment(posted_on, story.at)
    author = people.get(story.author)
    if author is None or posted_at > clock.now() or posted_on > budget_round.proposal_ends:
        return None
    with clock.frozen(posted_at):
        extra = propose(
            budget_round, author, title=story.title, body=story.body, category=story.field,
            dong=story.dong, place=story.place, estimated_cost=story.cost,
        )  # fmt: skip
    supporters = tuple(local for local in GONGGAM_BY if local != story.author)
    give_gonggam(extra.proposal, supporters[: story.gonggam], people)
    post_thread(extra.proposal.discussion, posted_at, story.thread, people)
    return extra


def _staff_moment(day: date, at: str = "10:00") -> datetime:
    return kst_moment(working_day_from(day), at)


def _seed_open_round(today: date, people, staff) -> BudgetRound:
    """The round taking proposals today; staff have begun reviewing the earliest."""
    budget_round = make_round(today.year + 2, today - timedelta(days=24))
    db.session.add(budget_round)
    db.session.commit()
    for story in OPEN_ROUND:
        extra = _post(budget_round, story, people)
        if extra is None or story.review_after is None:
            continue
        posted_on = budget_round.proposal_starts + timedelta(days=story.day)
        moment = _staff_moment(posted_on + timedelta(days=story.review_after))
        if moment > clock.now():
            continue
        with clock.frozen(moment):
            move_phase(extra, Phase.REVIEW, staff)
            if story.title in REVIEWERS:
                assign_reviewer(extra, staff, *REVIEWERS[story.title])
        if story.not_feasible:
            moment = _staff_moment(posted_on + timedelta(days=story.review_after + 2), "15:30")
            if moment <= clock.now():
                with clock.frozen(moment):
                    move_phase(extra, Phase.NOT_SELECTED, staff, note=story.not_feasible)
    return budget_round


def _seed_closed_round(today: date, people, staff) -> BudgetRound:
    """Last round, voted and decided: two 선정 (now 실행사업 of next year), one 미선정."""
    closed = make_round(today.year + 1, today - timedelta(days=150))
    db.session.add(closed)
    db.session.commit()
    made = []
    for voted in CLOSED_ROUND:
        extra = _post(closed, voted.story, people)
        if extra is None:
            continue
        with clock.frozen(_staff_moment(closed.proposal_ends + timedelta(days=1))):
            move_phase(extra, Phase.REVIEW, staff)
        with clock.frozen(_staff_moment(closed.review_ends, "16:00")):
            move_phase(
                extra,
                Phase.DELIBERATION,
                staff,
                note="현장을 확인했고 사업비 안에서 할 수 있습니다.",
            )
        with clock.frozen(_staff_moment(closed.deliberation_ends, "17:00")):
            move_phase(extra, Phase.VOTING, staff)
        made.append((extra, voted))
    span = (closed.vote_ends - closed.vote_starts).days + 1
    for extra, voted in made:
        for n, local in enumerate(VOTERS[voted.voters]):
            voter = people.get(local)
            if voter is None:
                continue
            day = closed.vote_starts + timedelta(days=(n * 5) % span)
            with clock.frozen(kst_moment(day, ("08:40", "12:20", "20:15", "21:50")[n % 4])):
                cast_vote(extra, voter)
    with clock.frozen(_staff_moment(closed.vote_ends + timedelta(days=3), "14:00")):
        for extra, voted in made:
            move_phase(extra, Phase.SELECTED if voted.selected else Phase.NOT_SELECTED, staff)
    return closed


# 사업부서 that 자치행정과 hands a proposal's 부서 검토 to, with the public reason.
REVIEWERS = {
    "보라매공원 어린이 놀이터 그늘막": ("공원녹지과", "공원 안 놀이시설은 공원녹지과가 관리합니다."),
    "청룡동 경로당 운동기구 교체": ("어르신복지과", "경로당 시설 지원은 어르신복지과 사업입니다."),
    "관악산 입구 대형 주차장 신설": ("주차관리과", "공영주차장 신설은 주차관리과 검토가 필요합니다."),
}  # fmt: skip


def seed_budget_proposals() -> Iterator[str]:
    """A round whose 제안 접수 is open today and last round, voted and decided."""
    if db.session.scalar(select(BudgetRound.id).limit(1)) is not None:
        return
    people, staff = demo_people(), demo_user("autonomy")
    if "kim" not in people or staff is None:
        return
    today = clock.today()
    closed = _seed_closed_round(today, people, staff)
    yield f"주민참여예산 {closed.year}년도 차수(투표 마감, 선정 2건)를 만들었습니다."
    budget_round = _seed_open_round(today, people, staff)
    yield f"주민참여예산 {budget_round.year}년도 차수(제안 접수 중)와 사업 제안을 만들었습니다."


# Notices -------------------------------------------------------------------------------


def _round_schedule(budget_round: BudgetRound) -> str:
    return (
        "## 일정\n"
        f"- 사업 제안 접수: {long_date(budget_round.proposal_starts)} ~ "
        f"{long_date(budget_round.proposal_ends)}\n"
        f"- 부서 검토: {long_date(budget_round.review_ends)}까지\n"
        f"- 분과 심의: {long_date(budget_round.deliberation_ends)}까지\n"
        f"- 주민 투표: {long_date(budget_round.vote_starts)} ~ "
        f"{long_date(budget_round.vote_ends)}"
    )


def _call_for_proposals(budget_round: BudgetRound) -> tuple[str, str]:
    return (
        f"{budget_round.year}년도 주민참여예산 사업 제안 접수 안내",
        f"{budget_round.year}년도에 관악구가 할 사업을 주민이 직접 제안해 주세요. 동네에 "
        "필요한 시설 개선, 안전, 복지, 환경 사업 무엇이든 좋습니다.\n\n"
        + _round_schedule(budget_round)
        + "\n\n## 제안 방법\n온라인 관악청 **주민참여예산 > 사업 제안**에서 제안하세요. "
        "사업 장소와 대략의 사업비를 적어 주시면 부서 검토가 빨라집니다. 사업비는 한 건에 "
        f"{get_setting('budget.max_estimated_cost'):,}원까지입니다.\n\n"
        "문의: 자치행정과 주민참여예산 담당",
    )


def _vote_call(budget_round: BudgetRound) -> tuple[str, str]:
    return (
        f"{budget_round.year}년도 주민참여예산 주민 투표 안내",
        "분과 심의를 거친 사업에 주민 여러분이 직접 투표해 주세요.\n\n"
        f"## 투표 기간\n{long_date(budget_round.vote_starts)} ~ "
        f"{long_date(budget_round.vote_ends)}\n\n"
        "## 투표 방법\n온라인 관악청에 로그인한 뒤 **사업 제안** 목록의 '주민 투표' 단계 "
        f"사업에서 투표하세요. 한 사람이 {get_setting('budget.votes_per_resident')}개 사업까지 "
        "고를 수 있습니다.",
    )


def _vote_result(budget_round: BudgetRound) -> tuple[str, str]:
    rows = db.session.scalars(
        select(BudgetProposal)
        .where(BudgetProposal.round_id == budget_round.id)
        .order_by(BudgetProposal.vote_count.desc(), BudgetProposal.proposal_id)
    ).all()
    lines = [
        f"- {extra.proposal.title}: {extra.vote_count:,}표, "
        + ("**선정**" if extra.phase == Phase.SELECTED else "미선정")
        for extra in rows
        if extra.phase in (Phase.SELECTED, Phase.NOT_SELECTED) and extra.vote_count
    ]
    return (
        f"{budget_round.year}년도 주민참여예산 주민 투표 결과",
        f"{long_date(budget_round.vote_starts)}부터 {long_date(budget_round.vote_ends)}까지 "
        "진행한 주민 투표 결과를 알려 드립니다. 참여해 주신 주민 여러분께 감사드립니다.\n\n"
        + "\n".join(lines)
        + f"\n\n선정된 사업은 {budget_round.year}년 실행사업 현황에서 추진 상황을 알려 드립니다.",
    )


def _school_call() -> tuple[str, str] | None:
    classes = db.session.scalars(select(SchoolClass).order_by(SchoolClass.number)).all()
    if not classes:
        return None
    sessions = "\n".join(
        f"- {c.number}회차: {long_date(clock.to_kst(c.starts_at).date())} "
        f"{clock.to_kst(c.starts_at):%H:%M}, {c.place}"
        for c in classes
    )
    return (
        "예산학교 수강생 모집 안내",
        "주민참여예산제를 처음 접하는 주민을 위한 예산학교를 엽니다. 구 예산이 어떻게 "
        "짜이는지, 좋은 사업 제안은 어떻게 쓰는지 함께 배웁니다.\n\n## 수업\n"
        + sessions
        + "\n\n**예산학교** 메뉴에서 회차별로 신청하세요. 1회차는 자리가 적어 대기자를 받습니다.",
    )


COMMITTEE_CALL = (
    "주민참여예산위원회 위원 모집",
    "관악구 주민참여예산위원회에서 사업을 함께 심의할 위원을 모집합니다. 관악구에 살거나 "
    "관악구에서 일하거나 공부하는 분이면 누구나 신청할 수 있습니다.\n\n"
    "- 모집 인원: 분과별 5명 안팎\n- 활동: 분과 심의 회의 참석, 사업 현장 확인\n"
    "- 신청: 자치행정과 방문 또는 동 주민센터 접수",
)


def seed_budget_notices() -> Iterator[str]:
    """The board's notices, each posted on a working day and quoting its round's dates."""
    if db.session.scalar(select(Notice.id).where(Notice.board == BUDGET_NOTICES.key).limit(1)):
        return
    staff = demo_user("autonomy")
    rounds = db.session.scalars(select(BudgetRound).order_by(BudgetRound.year)).all()
    today = clock.today()
    planned: list[tuple[date, str, bool, tuple[str, str] | None]] = [
        (working_day_before(today - timedelta(days=60)), "10:20", False, COMMITTEE_CALL),
        (working_day_before(today - timedelta(days=3)), "11:40", False, _school_call()),
    ]
    for budget_round in rounds:
        is_open = budget_round.proposal_starts <= today <= budget_round.proposal_ends
        before_start = working_day_before(budget_round.proposal_starts - timedelta(days=7))
        planned.append((before_start, "09:30", is_open, _call_for_proposals(budget_round)))
        if budget_round.vote_ends < today:
            before_vote = working_day_before(budget_round.vote_starts - timedelta(days=3))
            planned.append((before_vote, "14:10", False, _vote_call(budget_round)))
            # The afternoon the results were confirmed (_seed_closed_round).
            decided = working_day_from(budget_round.vote_ends + timedelta(days=3))
            planned.append((decided, "16:00", False, _vote_result(budget_round)))
    made = 0
    for day, at, pinned, notice in sorted(planned, key=lambda item: item[0]):
        moment = kst_moment(day, at)
        if notice is None or moment > clock.now():
            continue
        with clock.frozen(moment):
            posted = notice_ops.create_notice(
                BUDGET_NOTICES, staff.id if staff else None, title=notice[0],
                body_md=notice[1], pinned=pinned,
            )  # fmt: skip
        posted.views = demo_views(moment, posted.title)
        db.session.commit()
        made += 1
    yield f"주민참여예산 공지 {made}건을 만들었습니다."
