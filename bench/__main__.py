"""Build a large data set in a throw-away SQLite file, then time the pages in-process
(`python -m bench.served` times them over HTTP against a bare Flask app).

10,000 proposals, 200,000 공감 and 50,000 comments (DESIGN.md §8). Server time is
measured around the WSGI call (Flask test client), so it excludes the network.
Usage: python -m bench [--requests N] [--keep PATH]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import event

PROPOSALS = 10_000
GONGGAM = 200_000
COMMENTS = 50_000
RESIDENTS = 5_000


def build(app) -> dict:
    from flask_migrate import upgrade

    from bench.data import build as fill

    with app.app_context():
        upgrade()
    return fill(app, PROPOSALS, GONGGAM, COMMENTS, RESIDENTS)


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
