"""Demo content for 협치관악: its notices, proposals, tasks of two years with updates and
archive files (small PDFs made in code). Idempotent: each part is skipped when it
already exists."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from gwanak.accounts.demo import demo_people, demo_user
from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.core.workdays import working_day_from
from gwanak.governance import operations as ops
from gwanak.governance.models import ArchiveItem, GovernanceTask
from gwanak.governance.pdf import tiny_pdf
from gwanak.governance.routes import GOVERNANCE_BOARD
from gwanak.notices import operations as notice_ops
from gwanak.notices.boards import GOVERNANCE_NOTICES
from gwanak.notices.models import Notice
from gwanak.participation.demo_threads import (
    DepartmentAnswer,
    Line,
    Story,
    demo_views,
    kst_moment,
    tell,
)
from gwanak.participation.models import Proposal


def _pdf(name: str, text: str) -> FileStorage:
    import io

    return FileStorage(stream=io.BytesIO(tiny_pdf(text)), filename=name)


NOTICES = [
    ("{year}년 관악구 협치회의 정기회의 개최", True,
     "## 일시\n매 분기 첫째 주 수요일 오후 3시\n\n## 장소\n관악구청 8층 기획상황실\n\n"
     "회의는 누구나 방청할 수 있습니다. 방청을 원하시면 회의 전날까지 자치행정과로 알려 주세요.",
     "governance-meeting.pdf"),
    ("협치 의제 주민 제안 공모", False,
     "주민이 함께 풀고 싶은 마을의 과제를 협치관악 **제안하기**에 올려 주세요. 공감을 "
     "많이 받은 제안은 협치회의에서 함께 다룹니다.", None),
    ("협치관악 자료실 개편 안내", False,
     "회의자료와 보고서를 분류별로 찾아볼 수 있도록 자료실을 정리했습니다. 찾는 자료가 "
     "없으면 자치행정과로 문의해 주세요.", None),
]  # fmt: skip


# 연도별 협치과제 of this year (0) and last year (1); updates are (month, day, what happened), left out while still to come.
TASKS = [
    (0, "마을 공동체 공간 공동 운영", "자치행정과", "추진중",
     "관악구 협치회의\n관악마을자치센터", "주민과 구가 함께 동네 공유공간을 운영합니다.",
     "공유공간 3곳 운영, 이용 주민 1,200명",
     [(3, 12, "운영위원회 구성 (주민 7명, 공무원 3명)"), (6, 19, "신림동 공유공간 개소")]),
    (0, "청년 정책 공동 설계", "일자리정책과", "추진중",
     "관악청년네트워크\n서울대학교 학생회", "청년이 직접 정책을 제안하고 함께 다듬습니다.", "",
     [(4, 2, "청년 정책 워크숍 1차 (청년 40명 참여)"),
      (9, 17, "워크숍 2차: 청년 주거 정책 제안 세 건을 다듬었습니다.")]),
    (0, "탄소중립 생활 실천 확산", "환경과", "준비",
     "관악기후행동\n관악구 환경단체협의회", "가정과 상가의 에너지 절약 실천을 함께 넓힙니다.", "",
     [(10, 14, "참여 단체 간담회: 다음 해부터 함께할 실천 과제 네 가지를 골랐습니다.")]),
    (1, "골목상권 활성화 협치", "지역경제과", "완료",
     "관악구 상인연합회\n관악사회적경제네트워크", "골목상권 상인과 주민이 함께 상권 활성화 방안을 만듭니다.",
     "골목 축제 2회 개최, 참여 점포 85곳",
     [(5, 13, "상인·주민 간담회"), (10, 11, "샤로수길 골목 축제 개최")]),
    (1, "돌봄 안전망 민관 협력", "복지정책과", "완료",
     "관악구 사회복지협의회\n동 주민자치회", "이웃이 이웃을 살피는 돌봄 안전망을 만듭니다.",
     "위기가구 발굴 312가구, 돌봄 이웃 150명 양성",
     [(3, 16, "돌봄 이웃 교육 시작")]),
]  # fmt: skip


def _archive(today: date) -> list[tuple[date, str, str, str, str]]:
    """The 자료실's files: last quarter's minutes, last year's report, a training
    handout; each dated when it would have been filed (a working day, in the past)."""
    quarter = (today.month - 1) // 3  # the last finished quarter: 0 means last year's 4th
    year, number = (today.year, quarter) if quarter else (today.year - 1, 4)
    quarter_end = date(year + number // 4, number % 4 * 3 + 1, 1)
    report_on = date(today.year, 2, 10) if today >= date(today.year, 2, 20) else None
    items = [
        (
            working_day_from(quarter_end + timedelta(days=9)),
            f"{year}년 {number}분기 협치회의 회의록",
            "회의자료",
            f"{number}분기 정기회의에서 논의한 안건과 결정 사항입니다.",
            f"{year}-q{number}-minutes.pdf",
        ),
        (
            working_day_from(report_on or date(today.year - 1, 2, 10)),
            f"{(report_on or date(today.year - 1, 1, 1)).year - 1}년 협치관악 성과 보고서",
            "보고서",
            "한 해 협치과제의 추진 경과와 성과를 정리했습니다.",
            "governance-report.pdf",
        ),
        (
            working_day_from(date(today.year - 1, 6, 5)),
            "협치 교육 자료: 함께 결정하는 법",
            "교육자료",
            "주민 협치 교육에서 쓴 자료입니다.",
            "governance-training.pdf",
        ),
    ]
    return [item for item in items if item[0] < today]


STORIES = (
    Story(
        "은천동 공유부엌을 주민 모임이 함께 운영하면 어떨까요", "복지", "euncheon",
        "은천동 주민센터 2층 공유부엌이 강좌 없는 날에는 비어 있습니다. 반찬 나눔이나 "
        "어르신 식사 모임을 하고 싶은 주민 모임이 여럿인데 지금은 예약할 방법이 없어요.\n\n"
        "주민 운영위원회를 꾸려 예약과 청소를 맡는 방식을 협치 과제로 다뤄 주셨으면 합니다.",
        "moon", 27, "14:20",
        gonggam=("yang", "ryu", "oh", "kang", "kim", "seo"),
        thread=(
            Line("yang", 0, "20:40", "반찬 나눔 모임을 하고 있는데 장소가 없어서 매번 카페를 "
                 "빌려요. 꼭 됐으면 좋겠어요."),
            Line("moon", 1, "10:15", "모임마다 돌아가며 청소 당번을 맡으면 될 것 같아요. "
                 "운영위원회에는 저도 들어가겠습니다.", reply_to=0),
            Line("yang", 1, "12:31", "저희 모임도 당번 할게요!", reply_to=0),
            Line("ryu", 8, "19:07", "위생 관리를 누가 책임지는지부터 정해야 할 것 같아요. "
                 "음식 만드는 곳이라 사고 나면 곤란하니까요."),
        ),
        answer=DepartmentAnswer(
            "reference",
            "은천동 주민센터와 함께 공유부엌 이용 현황을 확인했습니다. 내년 상반기 협치회의 "
            "안건으로 올려 주민 운영위원회 구성과 위생 관리 책임을 함께 정하겠습니다. 그 전까지는 "
            "주민센터 누리집에서 평일 오후 시간대 예약을 먼저 받겠습니다.",
            18,
        ),
    ),
    Story(
        "신림동 청년 1인가구 이웃 밥모임", "복지", "sillim",
        "신림동에 혼자 사는 청년이 많은데 이웃과 인사할 일이 거의 없습니다. 한 달에 한 번 "
        "동네 카페나 주민센터에서 밥 먹고 이야기하는 모임을 구와 청년 단체가 같이 꾸려 "
        "보면 어떨까요. 큰 예산보다는 장소와 홍보만 도와주셔도 충분할 것 같습니다.",
        "song", 8, "22:55",
        gonggam=("noh", "shin", "hong"),
        thread=(
            Line("noh", 0, "23:15", "자취 3년째인데 옆집 사람 얼굴을 모릅니다ㅎㅎ 이런 모임 있으면 "
                 "나가 볼게요."),
            Line("shin", 3, "19:50", "퇴근하고 갈 수 있게 평일 저녁 8시 이후면 좋겠어요."),
        ),
    ),
    Story(
        "관악산 등산로 쓰레기 줍기, 수거 지점을 정해 주세요", "환경", "daehak",
        "주말마다 관악산 등산로에서 쓰레기를 줍는 주민 모임이 있습니다. 집게와 봉투는 "
        "저희가 마련하는데, 모은 쓰레기를 내려놓을 곳이 마땅치 않아요. 등산로 입구에 "
        "수거 지점을 정해 주시고, 봉사시간 인정도 검토해 주시면 함께하는 분이 더 늘 것 "
        "같습니다.",
        "kang", 3, "08:35",
        gonggam=("baek",),
        thread=(
            Line("baek", 1, "09:40", "좋은 활동이네요. 모임은 언제 하시나요?"),
            Line("kang", 1, "12:22", "매달 둘째, 넷째 토요일 아침 9시에 관악산 공원 입구에서 "
                 "모여요. 편하게 오세요!", reply_to=0),
        ),
    ),
)  # fmt: skip


def seed_governance_proposals() -> Iterator[str]:
    if db.session.scalar(select(Proposal.id).where(Proposal.board == "governance").limit(1)):
        return
    people = demo_people()
    if "kim" not in people:
        return
    for story in STORIES:
        tell(GOVERNANCE_BOARD, story, people, demo_user("autonomy"))
    yield f"협치관악 제안하기 데모 제안 {len(STORIES)}건을 만들었습니다."


def seed_governance():
    autonomy = demo_user("autonomy")
    staff_id = autonomy.id if autonomy else None
    done = []
    if (
        db.session.scalar(select(Notice.id).where(Notice.board == GOVERNANCE_NOTICES.key).limit(1))
        is None
    ):
        for index, (title, pinned, body, file_name) in enumerate(NOTICES):
            day = working_day_from(clock.today() - timedelta(days=40 - index * 12))
            moment = kst_moment(day, ("09:50", "14:30", "16:10")[index % 3])
            with clock.frozen(moment):
                files = (
                    [_pdf(file_name, title.encode("ascii", "ignore").decode() or "Notice")]
                    if file_name
                    else []
                )
                notice = notice_ops.create_notice(
                    GOVERNANCE_NOTICES,
                    staff_id,
                    title=title.format(year=day.year),
                    body_md=body,
                    pinned=pinned,
                    files=files,
                )
            notice.views = demo_views(moment, notice.title)
            db.session.commit()
        done.append("공지")
    if db.session.scalar(select(GovernanceTask.id).limit(1)) is None:
        today = clock.today()
        # A year's tasks are set in March: before April the newest are last year's.
        this_year = today.year if today.month >= 4 else today.year - 1
        for years_ago, title, department, state, partners, summary, result, updates in TASKS:
            year = this_year - years_ago
            task = ops.save_task(
                None, staff_id,
                {"year": year, "title": title, "department": department, "state": state,
                 "partners": partners, "summary": summary, "result": result},
            )  # fmt: skip
            for month, day, body in updates:
                if date(year, month, day) <= today:
                    ops.add_task_update(task, staff_id, date(year, month, day), body)
        done.append("협치과제")
    if db.session.scalar(select(ArchiveItem.id).limit(1)) is None:
        archive = _archive(clock.today())
        for index, (filed_on, title, category, description, file_name) in enumerate(archive):
            with clock.frozen(kst_moment(filed_on, "15:40")):
                ops.create_archive_item(
                    staff_id, title=title, description=description, category=category,
                    files=[_pdf(file_name, f"Gwanak governance archive {index + 1}")],
                )  # fmt: skip
        done.append("자료실")
    if done:
        yield f"협치관악 데모 데이터를 만들었습니다: {', '.join(done)}."
