"""Build a large data set in a throw-away SQLite file, then time the pages in-process.

10,000 proposals, 200,000 공감 and 50,000 comments (DESIGN.md §8). Server time is
measured around the WSGI call (Flask test client), so it excludes the network.
Usage: python -m bench [--requests N] [--keep PATH]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import event, insert

PROPOSALS = 10_000
GONGGAM = 200_000
COMMENTS = 50_000
RESIDENTS = 5_000


def build(app) -> dict:
    from gwanak.accounts.models import User
    from gwanak.core.extensions import db
    from gwanak.participation.models import (
        Comment,
        Discussion,
        DiscussionParticipant,
        Gonggam,
        Proposal,
    )

    rng = random.Random(42)
    start = datetime(2025, 1, 1)
    categories = [
        "복지",
        "교통",
        "환경",
        "안전",
        "문화·체육",
        "교육",
        "경제·일자리",
        "행정",
        "기타",
    ]
    dongs = ["boramae", "sillim", "seowon", "nakseongdae", "daehak", "inheon"]
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        conn = db.session.connection()
        conn.execute(
            insert(User),
            [
                {
                    "id": i,
                    "email": f"r{i}@bench.local",
                    "password_hash": "!",
                    "name": f"주민{i}",
                    "role": "resident",
                    "relation": "거주",
                    "dong": rng.choice(dongs),
                    "created_at": start,
                    "session_version": 1,
                }  # fmt: skip
                for i in range(1, RESIDENTS + 1)
            ],
        )
        gonggam_per = [0] * (PROPOSALS + 1)
        pairs: set[tuple[int, int]] = set()
        while len(pairs) < GONGGAM:
            pid = min(
                PROPOSALS,
                int(rng.paretovariate(1.2)) if rng.random() < 0.5 else rng.randint(1, PROPOSALS),
            )
            pairs.add((pid, rng.randint(1, RESIDENTS)))
        for pid, _ in pairs:
            gonggam_per[pid] += 1
        comments_per = [0] * (PROPOSALS + 1)
        comment_rows = []
        participants: set[tuple[int, int]] = set()
        for cid in range(1, COMMENTS + 1):
            pid = rng.randint(1, PROPOSALS) if rng.random() < 0.7 else rng.randint(1, 50)
            uid = rng.randint(1, RESIDENTS)
            comments_per[pid] += 1
            participants.add((pid, uid))
            comment_rows.append(
                {
                    "id": cid,
                    "discussion_id": pid,
                    "author_id": uid,
                    "body": f"의견 {cid}: 좋은 제안입니다. " * 3,
                    "created_at": start + timedelta(minutes=cid),
                    "flagged_personal_data": False,
                }  # fmt: skip
            )
        commenters_per = [0] * (PROPOSALS + 1)
        for pid, _ in participants:
            commenters_per[pid] += 1
        conn.execute(
            insert(Discussion),
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
                for pid in range(1, PROPOSALS + 1)
            ],
        )
        proposals = []
        for pid in range(1, PROPOSALS + 1):
            created = start + timedelta(minutes=pid * 50)
            state = "review" if gonggam_per[pid] >= 5 else rng.choice(["gathering", "expired"])
            proposals.append(
                {
                    "id": pid,
                    "board": "policy",
                    "discussion_id": pid,
                    "author_id": rng.randint(1, RESIDENTS),
                    "department": "기획예산과",
                    "title": f"{rng.choice(dongs)} 주민 제안 {pid}: {rng.choice(categories)} 개선",
                    "body": "현재 문제와 제안 내용입니다. " * 20,
                    "category": rng.choice(categories),
                    "dong": rng.choice(dongs),
                    "state": state,
                    "gonggam_count": gonggam_per[pid],
                    "created_at": created,
                    "updated_at": created,
                    "gathering_ends_at": created + timedelta(days=30),
                    "review_started_at": created if state == "review" else None,
                    "answer_due_at": created + timedelta(days=30) if state == "review" else None,
                    "flagged_personal_data": False,
                }  # fmt: skip
            )
        conn.execute(insert(Proposal), proposals)
        conn.execute(
            insert(Gonggam),
            [{"proposal_id": p, "user_id": u, "created_at": start} for p, u in pairs],
        )
        conn.execute(insert(Comment), comment_rows)
        conn.execute(
            insert(DiscussionParticipant),
            [{"discussion_id": p, "user_id": u} for p, u in participants],
        )
        db.session.commit()
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
        busiest = max(range(1, PROPOSALS + 1), key=lambda p: comments_per[p])
        return {"busiest": busiest, "busiest_comments": comments_per[busiest]}


def measure(app, paths: list[tuple[str, str]], requests: int) -> list[dict]:
    from gwanak.core.extensions import db

    client = app.test_client()
    results = []
    with app.app_context():
        engine = db.engine
        counter = {"n": 0}

        def count(*_args):
            counter["n"] += 1

        event.listen(engine, "before_cursor_execute", count)
        for label, path in paths:
            for _ in range(5):  # warm up caches
                client.get(path)
            times = []
            counter["n"] = 0
            response = client.get(path)
            queries = counter["n"]
            size = len(response.data)
            status = response.status_code
            for _ in range(requests):
                t0 = time.perf_counter()
                client.get(path)
                times.append((time.perf_counter() - t0) * 1000)
            times.sort()
            results.append(
                {
                    "page": label,
                    "path": path,
                    "status": status,
                    "html_bytes": size,
                    "queries": queries,
                    "p50_ms": round(statistics.median(times), 2),
                    "p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
                }  # fmt: skip
            )
        event.remove(engine, "before_cursor_execute", count)
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--keep", help="keep the SQLite file at this path")
    args = parser.parse_args()

    from gwanak import create_app

    folder = Path(tempfile.mkdtemp(prefix="gwanak-bench-"))
    db_path = Path(args.keep) if args.keep else folder / "bench.sqlite3"
    app = create_app(
        {
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}",
            "RATELIMIT_ENABLED": False,
            "UPLOAD_DIR": str(folder / "uploads"),
        }  # fmt: skip
    )
    t0 = time.perf_counter()
    info = build(app)
    print(f"data set built in {time.perf_counter() - t0:.1f}s: {PROPOSALS:,} proposals, "
          f"{GONGGAM:,} 공감, {COMMENTS:,} comments, {RESIDENTS:,} residents")  # fmt: skip
    paths = [
        ("home", "/"),
        ("staff page (budget/about)", "/budget/about"),
        ("proposal list, latest", "/policy/proposals"),
        ("proposal list, 공감순", "/policy/proposals?sort=gonggam"),
        ("proposal list, 댓글순", "/policy/proposals?sort=comments"),
        ("proposal list, page 200", "/policy/proposals?page=200"),
        ("proposal list, search 제안 5", "/policy/proposals?q=%EC%A0%9C%EC%95%88%205"),
        (
            "proposal list, filter 교통+신림동",
            "/policy/proposals?category=%EA%B5%90%ED%86%B5&dong=sillim",
        ),
        ("proposal detail", "/policy/proposals/5000"),
        (
            f"proposal detail, busiest ({info['busiest_comments']} comments)",
            f"/policy/proposals/{info['busiest']}",
        ),
        ("counts fragment", "/policy/proposals/5000/counts"),
        ("widget 공감을 기다리는 제안", "/widgets/proposals-waiting"),
        ("widget 최근 답변된 제안", "/widgets/proposals-answered"),
        ("feed 정책참여 새 제안 (Atom)", "/feeds/policy-proposals.atom"),
        ("open-data API, proposals page 1", "/api/v1/datasets/proposals"),
        ("open-data API, proposals page 100", "/api/v1/datasets/proposals?page=100"),
        ("통합 검색 교통 (two syllables)", "/search?q=%EA%B5%90%ED%86%B5"),
    ]
    results = measure(app, paths, args.requests)
    css = (Path(__file__).resolve().parent.parent / "static" / "site.css").stat().st_size
    print(f"\nour CSS: {css:,} bytes (budget 15,360)\n")
    header = f"{'page':52} {'HTML bytes':>11} {'queries':>8} {'p50 ms':>8} {'p95 ms':>8}"
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r['page']:52} {r['html_bytes']:>11,} {r['queries']:>8} {r['p50_ms']:>8} {r['p95_ms']:>8}"
        )
    out = Path("bench-results")
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(
        json.dumps({"css_bytes": css, "pages": results}, ensure_ascii=False, indent=1)
    )
    print(f"\n(budgets: HTML < 40,960 bytes, p95 < 25 ms on SQLite; results in {out}/latest.json)")


if __name__ == "__main__":
    main()
