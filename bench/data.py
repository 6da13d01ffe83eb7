"""The benchmark's data set, built fast with bulk inserts (COPY on PostgreSQL).

Proposals read like residents' (titles and bodies drawn from varied sentences, about
one in ten about 교통), 공감 skewed towards a few popular proposals, comments on many.
The newest proposals are still gathering 공감, so the write benchmark can give some."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import insert, text

from gwanak.core.search_index import bigrams
from gwanak.participation.models import search_kind

CATEGORIES = ["복지", "교통", "환경", "안전", "문화·체육", "교육", "경제·일자리", "행정", "기타"]
DONGS = ["boramae", "sillim", "seowon", "nakseongdae", "daehak", "inheon", "namhyeon"]
PLACES = [
    "신림역",
    "서울대입구역",
    "봉천동 골목",
    "낙성대공원",
    "도림천",
    "관악산 입구",
    "보라매공원",
]
TOPICS = [
    "버스 정류장에 그늘막을 설치해 주세요",
    "마을버스 배차 간격을 줄여 주세요",
    "교통 신호 주기를 조정해 주세요",
    "어린이 보호구역 과속 단속이 필요합니다",
    "공영주차장을 늘려 주세요",
    "골목길 가로등을 밝게 바꿔 주세요",
    "산책로에 운동기구를 놓아 주세요",
    "분리수거장을 정비해 주세요",
    "경로당 프로그램을 늘려 주세요",
    "작은도서관 운영 시간을 늘려 주세요",
    "청년 일자리 상담 창구가 필요합니다",
    "자전거 도로를 이어 주세요",
    "무단투기 감시 카메라를 달아 주세요",
    "횡단보도 위치를 옮겨 주세요",
    "공원 화장실을 깨끗하게 관리해 주세요",
    "전통시장 주차 공간을 마련해 주세요",
]
SENTENCES = [
    "출퇴근 시간마다 사람이 몰려 불편합니다.",
    "아이들이 다니는 길이라 걱정이 큽니다.",
    "밤에는 어두워서 지나가기 무섭습니다.",
    "어르신들이 오래 서서 기다리십니다.",
    "비가 오면 물이 고여 다니기 어렵습니다.",
    "주말에는 차가 길가에 줄지어 서 있습니다.",
    "교통 혼잡 때문에 사고가 날 뻔한 적이 여러 번 있습니다.",
    "근처 주민들도 같은 의견을 자주 이야기합니다.",
    "다른 구에서는 이미 시행해 효과를 보았다고 들었습니다.",
    "예산이 많이 들지 않는 방법부터 시작하면 좋겠습니다.",
    "구청에서 현장을 한 번 살펴봐 주시기 바랍니다.",
    "쓰레기가 쌓여 냄새가 심합니다.",
    "저녁마다 산책하는 주민이 많습니다.",
    "학교 앞 도로라 속도를 줄여야 합니다.",
    "안내판이 없어 처음 오는 분들이 헤맵니다.",
    "작은 변화로도 동네가 훨씬 좋아질 것 같습니다.",
]


def _bulk(conn, table, rows: list[dict]) -> None:
    """Insert many rows: COPY on PostgreSQL, executemany elsewhere."""
    if not rows:
        return
    if conn.dialect.name != "postgresql":
        for i in range(0, len(rows), 50_000):
            conn.execute(insert(table), rows[i : i + 50_000])
        return
    columns = list(rows[0])
    raw = conn.connection.driver_connection
    names = ", ".join(columns)
    with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[c] for c in columns])


def _texts(rng: random.Random, pid: int) -> tuple[str, str, str]:
    topic = rng.choice(TOPICS)
    category = "교통" if "버스" in topic or "교통" in topic else rng.choice(CATEGORIES)
    title = f"{rng.choice(PLACES)} {topic}"
    body = " ".join(rng.sample(SENTENCES, rng.randint(2, 4)))
    return title, body, category


def build(app, proposals: int, gonggam: int, comments: int, residents: int = 5_000) -> dict:
    """Fill an empty, migrated database. Returns figures the runs need."""
    from gwanak.accounts.models import User
    from gwanak.core import clock
    from gwanak.core.extensions import db
    from gwanak.core.search_index import SearchGram
    from gwanak.participation.models import (
        Comment,
        Discussion,
        DiscussionParticipant,
        Gonggam,
        Proposal,
    )

    rng = random.Random(42)
    now = clock.now()
    # A year of proposals; the newest month still gathers 공감.
    step = timedelta(days=365) / proposals
    start = now - timedelta(days=365)
    with app.app_context():
        conn = db.session.connection()
        _bulk(
            conn,
            User.__table__,
            [
                {
                    "id": i,
                    "email": f"r{i}@bench.local",
                    "password_hash": "!",
                    "name": f"주민{i}",
                    "role": "resident",
                    "relation": "거주",
                    "dong": rng.choice(DONGS),
                    "created_at": start,
                    "privacy_consented_at": start,
                    "session_version": 1,
                }  # fmt: skip
                for i in range(1, residents + 1)
            ],
        )
        gonggam_per = [0] * (proposals + 1)
        pairs: set[tuple[int, int]] = set()
        # The newest proposals (two weeks at 10,000) have no 공감 yet: the write
        # benchmark gives them theirs.
        older = proposals - max(400, proposals // 25)
        while len(pairs) < gonggam:
            pid = min(
                older,
                int(rng.paretovariate(1.2)) if rng.random() < 0.5 else rng.randint(1, older),
            )
            pairs.add((pid, rng.randint(1, residents)))
        for pid, _ in pairs:
            gonggam_per[pid] += 1
        comments_per = [0] * (proposals + 1)
        comment_rows = []
        participants: set[tuple[int, int]] = set()
        for cid in range(1, comments + 1):
            pid = rng.randint(1, proposals) if rng.random() < 0.7 else rng.randint(1, 50)
            uid = rng.randint(1, residents)
            comments_per[pid] += 1
            participants.add((pid, uid))
            comment_rows.append(
                {
                    "id": cid,
                    "discussion_id": pid,
                    "author_id": uid,
                    "body": " ".join(rng.sample(SENTENCES, 2)),
                    "created_at": start + timedelta(seconds=cid),
                    "flagged_personal_data": False,
                }  # fmt: skip
            )
        commenters_per = [0] * (proposals + 1)
        for pid, _ in participants:
            commenters_per[pid] += 1
        _bulk(
            conn,
            Discussion.__table__,
            [
                {
                    "id": pid,
                    "subject_type": "proposal",
                    "rules": "board.policy",
                    "owner_department": "기획예산과",
                    "comment_count": comments_per[pid],
                    "commenter_count": commenters_per[pid],
                    "created_at": start,
                }  # fmt: skip
                for pid in range(1, proposals + 1)
            ],
        )
        rows, grams = [], []
        for pid in range(1, proposals + 1):
            created = start + step * pid
            ends = created + timedelta(days=30)
            # The policy board's default: 5 공감 start the department's review.
            state = "review" if gonggam_per[pid] >= 5 else "gathering"
            if state == "gathering" and ends <= now:
                state = "expired"
            title, body, category = _texts(rng, pid)
            rows.append(
                {
                    "id": pid,
                    "board": "policy",
                    "discussion_id": pid,
                    "author_id": rng.randint(1, residents),
                    "department": "기획예산과",
                    "title": title,
                    "body": body,
                    "category": category,
                    "dong": rng.choice(DONGS),
                    "state": state,
                    "gonggam_count": gonggam_per[pid],
                    "created_at": created,
                    "updated_at": created,
                    "gathering_ends_at": ends,
                    "review_started_at": created if state == "review" else None,
                    "answer_due_at": created + timedelta(days=60) if state == "review" else None,
                    "flagged_personal_data": False,
                }  # fmt: skip
            )
            if state != "withdrawn":  # only what a list can show is indexed
                grams.extend(
                    {"kind": search_kind("policy"), "gram": g, "item_id": pid}
                    for g in bigrams(title, body)
                )
        _bulk(conn, Proposal.__table__, rows)
        _bulk(conn, SearchGram.__table__, grams)
        _bulk(
            conn,
            Gonggam.__table__,
            [{"proposal_id": p, "user_id": u, "created_at": start} for p, u in sorted(pairs)],
        )
        _bulk(conn, Comment.__table__, comment_rows)
        _bulk(
            conn,
            DiscussionParticipant.__table__,
            [{"discussion_id": p, "user_id": u} for p, u in sorted(participants)],
        )
        if conn.dialect.name == "postgresql":
            for table in ("users", "discussions", "proposals", "comments", "gonggam"):
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
        db.session.commit()
        if conn.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.execute(text("VACUUM ANALYZE"))
        else:
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        busiest = max(range(1, proposals + 1), key=lambda p: comments_per[p])
        gathering = [r["id"] for r in rows if r["state"] == "gathering"]
        return {
            "busiest": busiest,
            "busiest_comments": comments_per[busiest],
            "middle": proposals // 2,
            "gathering": gathering,
            "grams": len(grams),
        }
