"""Demo proposals of 정책참여 제안하기: residents' own words about places in Gwanak, with
공감, conversations and the answers, at the moments they happened. 기획예산과 answers
some itself and hands others to the department responsible (one twice, one left
overdue at 교통행정과); the adopted one gets its answer corrected and its 추진상황."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta

from sqlalchemy import select

from gwanak.accounts.demo import demo_people, demo_user
from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.core.workdays import is_working_day
from gwanak.participation import operations as ops
from gwanak.participation.demo_threads import DepartmentAnswer, Line, Route, Story, tell
from gwanak.participation.models import Answer, Proposal
from gwanak.policy.board import POLICY_BOARD

STORIES = (
    Story(
        "신림역 4번 출구 앞 횡단보도에 그늘막을 놓아 주세요", "환경", "sillim",
        "신림역 4번 출구에서 나와 바로 건너는 횡단보도는 신호가 길어서 올여름 내내 "
        "2분 넘게 땡볕에 서 있어야 했습니다. 어르신들은 가로수 밑에 계시다가 신호를 "
        "놓치기도 하시고요.\n\n다른 구처럼 접이식 그늘막을 놓아 주시면 좋겠습니다. "
        "내년 여름 전에만 되면 충분합니다.",
        "lee", 58, "07:52",
        gonggam=("kang", "han", "oh", "shin", "seo", "kim", "park", "bae", "hong", "jo", "im"),
        thread=(
            Line("kang", 0, "21:14", "저도 매일 그 횡단보도 건너는데 정말 그늘이 하나도 없어요. "
                 "유모차 끌고 서 있으면 아기가 더 힘들어해요."),
            Line("han", 1, "08:03", "출근길에 보면 다들 건물 그림자에 붙어 서 있다가 신호 바뀌면 "
                 "뛰어갑니다. 그게 더 위험해 보여요."),
            Line("lee", 1, "12:40", "맞아요, 그래서 올렸어요. 신호 기다리는 시간이 2분은 넘는 것 같아요.",
                 reply_to=1),
            Line("oh", 3, "19:22", "그늘막 좋은데 겨울엔 접어 두는 거죠? 바람 불 때 넘어지지 않게 "
                 "고정만 잘 해 주셨으면 합니다."),
            Line("shin", 3, "20:05", "요즘 나오는 건 바람이 세면 알아서 접힌다고 들었어요. "
                 "옆 동네 사거리에 있는 거 봤습니다.", reply_to=3),
            Line("seo", 9, "15:31", "4번 출구 말고 2번 출구 버스정류장 앞도 같이 봐 주세요. "
                 "거기도 그늘이 없습니다."),
        ),
        answer=DepartmentAnswer(
            "adopted",
            "좋은 제안 감사합니다. 내년 4월까지 신림역 4번 출구 앞과 2번 출구 버스정류장 앞 "
            "횡단보도에 바람이 세면 스스로 접히는 그늘막을 설치하겠습니다. 보도 폭과 지하 "
            "시설물을 확인한 뒤 설치 위치를 이 답변에 다시 알려 드리겠습니다.",
            13,
        ),
    ),
    Story(
        "서울대입구역 2번 출구 앞 자전거 주차 정리", "교통", "cheongnyong",
        "서울대입구역 2번 출구 앞 인도에 공유자전거와 개인 자전거가 뒤엉켜 있어서 출근 "
        "시간에는 한 줄로밖에 못 지나갑니다. 샤로수길 들어가는 입구까지 거의 막혀 있어요.\n\n"
        "거치대를 늘리거나 주차 구역을 바닥에 그려 주시고, 오래 방치된 자전거는 정기적으로 "
        "수거해 주세요.",
        "park", 44, "22:18",
        gonggam=("song", "hong", "ryu", "choi", "nam", "yoon", "noh", "ahn"),
        thread=(
            Line("song", 0, "22:47", "학교 가는 길이라 매일 보는데 진짜 심해요. 비 오는 날엔 우산 "
                 "쓰고 지나가기도 힘들어요ㅠ"),
            Line("hong", 2, "07:55", "전동킥보드도 같이 정리해 주세요. 점자블록 위에 세워 둔 게 "
                 "제일 위험합니다."),
            Line("park", 2, "09:12", "킥보드 얘기도 넣을 걸 그랬네요. 점자블록 위는 바로 치워야 "
                 "할 것 같아요.", reply_to=1),
            Line("ryu", 6, "18:30", "방치 자전거 신고하면 스티커 붙이고 한참 뒤에 수거하던데, "
                 "그 기간을 좀 줄여 주면 좋겠네요."),
        ),
        answer=DepartmentAnswer(
            "reference",
            "현장을 확인해 보니 출근 시간대에 보행 공간이 좁아지는 것이 맞습니다. 방치 "
            "자전거는 이달 안에 계고 후 수거하고, 거치대 증설은 지하철 출입구 주변 정비 "
            "계획과 함께 검토하겠습니다. 점자블록 위 킥보드는 대여 업체에 즉시 이동을 "
            "요청했습니다.",
            15,
            by="traffic",
        ),
        routes=(Route(4, "교통행정과", "자전거 거치대와 방치 자전거 수거는 교통행정과 소관입니다."),),
    ),
    Story(
        "봉천동 고갯길 버스정류장에 온열의자와 바람막이", "교통", None,
        "봉천동 고갯길 중간 정류장은 바람이 그대로 들이쳐서 겨울에 버스 기다리기가 정말 "
        "힘듭니다. 무릎 아픈 어르신들이 앉을 데도 마땅치 않고요. 온열의자와 바람막이를 "
        "놓아 주시면 좋겠어요. 한파 오기 전에 되면 더 좋겠습니다.",
        "oh", 12, "10:05",
        gonggam=("yoon", "yang", "jung", "im", "kim", "ryu", "hwang"),
        thread=(
            Line("yoon", 0, "20:31", "찬성합니다. 고개 위쪽 정류장은 저녁에 특히 추워요."),
            Line("yang", 1, "13:05", "온열의자 있는 정류장 보면 다들 거기 앉아 계시더라고요. "
                 "효과는 확실해요."),
            Line("jung", 2, "21:48", "바람막이는 투명한 걸로 부탁드립니다. 버스 오는 게 안 보이면 "
                 "곤란하니까요."),
            Line("oh", 3, "08:20", "좋은 말씀이에요. 버스 번호가 보이는 투명 가림막이면 좋겠네요.",
                 reply_to=2),
            Line("im", 5, "17:44", "전기 요금이 걱정이면 새벽에는 꺼지게 타이머를 달면 될 것 "
                 "같습니다."),
        ),
        routes=(
            Route(4, "교통행정과", "버스정류장 시설은 교통행정과가 관리합니다."),
            Route(6, "안전재난과", "온열의자와 바람막이는 한파 저감 시설이라 안전재난과가 맡고, "
                  "정류장 공간 협의는 교통행정과가 돕습니다.", ("교통행정과",)),
        ),
    ),
    Story(
        "도림천 신원동 구간 다리 밑 조명 보강", "안전", "sinwon",
        "도림천 산책로 중에 신원동에서 신대방 쪽으로 내려가는 구간은 다리 밑이 특히 "
        "어둡습니다. 저녁에 운동하는 주민이 많은데 자전거와 부딪칠 뻔한 적이 여러 번 "
        "있어요. 다리 밑만이라도 조명을 밝게 하고, 바닥의 보행자·자전거 구분선을 다시 "
        "칠해 주세요.",
        "kim", 9, "21:37",
        gonggam=("bae", "moon", "lee"),
        thread=(
            Line("bae", 0, "22:10", "밤에 뛰는 사람인데 다리 밑은 진짜 깜깜해요. 헤드랜턴 쓰고 "
                 "다닐 정도예요."),
            Line("moon", 2, "19:58", "구분선도 다 지워져서 자전거가 어디로 다니는지 모르겠어요."),
            Line("kim", 2, "21:15", "네, 구분선이 있는 줄도 모르는 분이 많더라고요. 도색까지 같이 "
                 "요청드립니다.", reply_to=1),
        ),
    ),
    Story(
        "관악산 등산로 입구 화장실, 저녁에도 열어 주세요", "환경", "daehak",
        "관악산 공원 입구 화장실이 저녁 6시면 잠겨서 퇴근하고 산에 가는 사람들이 "
        "곤란합니다. 여름에는 밤 9시까지라도 열어 주시고, 겨울에 동파 때문에 어렵다면 "
        "입구 근처 한 곳만이라도 열어 두면 좋겠습니다.",
        "choi", 5, "18:50",
        gonggam=("ahn", "baek"),
        thread=(
            Line("ahn", 0, "19:40", "주말 새벽에도 6시 전에는 안 열려 있던데 아침 시간도 같이 "
                 "봐 주세요."),
            Line("choi", 1, "12:05", "아 새벽 산행도 있죠. 아침 개방 시간도 같이 건의드립니다.",
                 reply_to=0),
            Line("baek", 3, "20:22", "관리 인력이 모자라면 시간 맞춰 자동으로 잠기고 열리는 문도 "
                 "방법일 것 같아요."),
        ),
    ),
    Story(
        "별빛내린천 징검다리 돌이 미끄러워요", "안전", None,
        "별빛내린천 징검다리 돌에 물이끼가 껴서 많이 미끄럽습니다. 지난주에 아이가 "
        "건너다 미끄러져 무릎을 다쳤어요. 돌 표면에 미끄럼 방지 처리를 하거나 옆에 "
        "잡을 줄이라도 있었으면 합니다.",
        "jung", 2, "09:26",
        gonggam=("kwon",),
        thread=(
            Line("kwon", 0, "21:30", "저희 아이도 거기서 신발이 다 젖었어요. 비 온 다음 날은 "
                 "특히 조심해야 해요."),
            Line("shin", 1, "10:12", "물이 불었을 때는 건너지 말라는 안내판도 같이 있으면 "
                 "좋겠습니다."),
        ),
    ),
    Story(
        "낙성대공원에서 여름밤 야외 영화 상영회", "문화·체육", "nakseongdae",
        "낙성대공원 잔디밭에서 여름 주말 저녁에 가족 영화를 틀어 주면 좋겠습니다. "
        "돗자리 펴고 아이들과 볼 수 있는 행사가 동네에 별로 없어서요. 한 달에 한 번이면 "
        "충분합니다.",
        "hwang", 75, "15:40",
        gonggam=("park", "ahn", "noh", "kwon", "bae", "jo"),
        thread=(
            Line("noh", 0, "17:02", "좋아요! 작년에 다른 구 공원에서 봤는데 사람 정말 많았어요."),
            Line("ryu", 1, "09:48", "공원 바로 옆이 주택가라 밤늦게까지 소리가 크면 힘들 수도 "
                 "있습니다. 끝나는 시간은 꼭 지켜 주세요."),
            Line("hwang", 1, "12:30", "네, 9시 전에 끝나는 짧은 영화 위주면 괜찮지 않을까 싶어요.",
                 reply_to=1),
        ),
        answer=DepartmentAnswer(
            "rejected",
            "낙성대공원은 주거지와 가까워 야간 음향 행사에 대한 민원이 이어지고 있어 정기 "
            "상영회는 어렵습니다. 대신 구청 광장에서 열리는 여름 영화제 일정을 공원 게시판과 "
            "이 누리집에 함께 알리겠습니다.",
            16,
            by="parks",
        ),
        routes=(Route(4, "공원녹지과", "공원 안 행사 허가는 공원녹지과 소관이고, 문화 행사는 "
                      "문화체육과가 함께 봅니다.", ("문화체육과",)),),
    ),
    Story(
        "샤로수길 토요일 저녁 차 없는 거리", "경제·일자리", "cheongnyong",
        "샤로수길은 주말 저녁이면 사람들이 차도까지 걸어 다니는데, 그 사이로 배달 "
        "오토바이와 차가 지나가서 아슬아슬합니다. 토요일 저녁 5시부터 10시까지만이라도 "
        "차 없는 거리로 운영해 보면 어떨까요? 가게에 물건 들어오는 시간은 따로 정하면 될 "
        "것 같습니다.",
        "yoon", 6, "23:41",
        gonggam=("hong", "nam", "lee", "song"),
        thread=(
            Line("hong", 1, "08:02", "찬성이요. 지난 토요일에 오토바이랑 부딪힐 뻔했어요."),
            Line("nam", 1, "11:26", "가게 하는 입장에서는 손님 늘면 좋긴 한데, 재료 들어오는 "
                 "시간이 보통 오후라 그 시간은 꼭 빼 주셨으면 해요."),
            Line("hong", 1, "13:10", "사장님 얘기 들으니 시간대를 잘 정해야겠네요. 저녁만 막는 건 "
                 "괜찮으세요?", reply_to=1),
            Line("nam", 1, "18:47", "5시 이후면 괜찮습니다. 가게 앞에 테이블을 낼 수 있으면 더 "
                 "좋고요.", reply_to=1),
            Line("lee", 4, "20:10", "차가 옆 골목으로 몰리지 않게 우회 안내도 같이 해 주세요."),
        ),
    ),
    Story(
        "관악02 마을버스 막차를 30분만 늦춰 주세요", "교통", "sillim",
        "관악02번 마을버스 막차가 밤 11시 10분이라 야근하고 신림역에 내리면 이미 끊겨 "
        "있습니다. 고개 위 동네라 걸어 올라가면 25분이 넘게 걸리고, 밤길도 어둡습니다.\n\n"
        "매일 늘리기 어렵다면 평일만이라도 막차를 11시 40분으로 늦춰 주세요. 같은 시간대에 "
        "택시를 기다리는 사람이 꽤 많은 걸 보면 타실 분은 충분할 것 같습니다.",
        "choi", 52, "23:58",
        gonggam=("baek", "moon", "kwon", "jo", "lee", "yang"),
        thread=(
            Line("baek", 1, "00:20", "저도 지난주에 막차 놓치고 걸어 올라갔어요. 공감 누르고 갑니다."),
            Line("moon", 1, "07:41", "마을버스 회사 사정도 있겠지만 금요일만이라도 시범으로 해 "
                 "보면 좋겠네요."),
            Line("choi", 1, "12:15", "시범 운행 좋네요. 타는 사람이 많으면 늘려 달라고 할 "
                 "근거도 생기고요.", reply_to=1),
            Line("kwon", 38, "22:36", "답변이 언제 나오는지 궁금합니다. 벌써 한 달이 넘었어요."),
        ),
        routes=(Route(5, "교통행정과", "마을버스 운행 시간 조정은 교통행정과가 운수회사와 "
                      "협의합니다."),),
    ),
)  # fmt: skip


def seed_proposals() -> Iterator[str]:
    if db.session.scalar(select(Proposal.id).where(Proposal.board == "policy").limit(1)):
        return
    people = demo_people()
    if "kim" not in people:
        return
    planning = demo_user("planning")
    for story in STORIES:
        tell(POLICY_BOARD, story, people, planning)
    yield f"제안하기 데모 제안 {len(STORIES)}건을 만들었습니다."


# After the answer: the adopted proposal's answer corrected once, then dated 추진상황.
CORRECTED_ANSWER = (
    "좋은 제안 감사합니다. 신림역 4번 출구 앞과 2번 출구 버스정류장 앞 횡단보도에 바람이 "
    "세면 스스로 접히는 그늘막을 올해 12월 안에 설치하고, 내년 5월부터 9월까지 펼쳐 "
    "운영하겠습니다. 설치 위치와 일정은 이 제안의 추진상황으로 알려 드리겠습니다."
)
CORRECTION_NOTE = (
    "'내년 4월까지'라고 안내했으나 올해 예비비로 앞당겨 설치하게 되어 일정을 바로잡습니다."
)
PROGRESS = (
    # (working days after the answer, status, text)
    (3, "ongoing",
     "4번 출구 앞과 2번 출구 버스정류장 앞 두 곳을 현장 조사했습니다. 보도 폭과 지하 "
     "매설물을 확인해 보행에 방해가 없는 설치 위치를 정했습니다."),
    (6, "ongoing",
     "접이식 그늘막 2대 제작을 발주했습니다. 관악경찰서와 교통안전 협의를 마쳤고, 기초 공사는 "
     "보행자가 적은 평일 오전에 진행합니다."),
    (9, "done",
     "그늘막 2대 설치와 안전 점검을 마쳤습니다. 겨울에는 접어 두고 내년 5월부터 펼쳐 운영합니다. "
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
