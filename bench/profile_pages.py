"""In-process profile of read pages on a bench data set already built (bench.served's
`fresh_database`): SQL statements, HTML bytes and median server time per page through
the Flask test client, optionally a cProfile of one page.

Usage: python -m bench.profile_pages URL PATH [PATH ...] [--runs 30] [--profile PATH]
        [--show-sql] [--bare]
--bare also times bench/bare.py's 20-row list in the same process, as the yardstick.
A measurement, not a test: it reads the database and changes nothing."""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import time

from sqlalchemy import event


def _measure(client, engine, path: str, runs: int, show_sql: bool) -> float:
    client.get(path)  # warm: the visit, the footer's figures, compiled templates
    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    response = client.get(path)
    event.remove(engine, "before_cursor_execute", before)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - t0) * 1000)
    size = len(response.get_data())
    print(
        f"{path}: {response.status_code}, {len(statements)} statements, {size:,} bytes, "
        f"p50 {statistics.median(times):.2f} ms, min {min(times):.2f} ms"
    )
    if show_sql:
        for s in statements:
            print("   ", " ".join(s.split())[:300])
    return statistics.median(times)


def _bare(url: str, runs: int) -> float:
    os.environ["DATABASE_URL"] = url
    from bench import bare

    return _measure(bare.app.test_client(), bare.engine, "/bare/list", runs, False)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--profile", help="cProfile this path (30 requests)")
    parser.add_argument("--show-sql", action="store_true")
    parser.add_argument("--bare", action="store_true")
    args = parser.parse_args()

    from gwanak import create_app
    from gwanak.core.extensions import db

    app = create_app(
        {"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": args.url, "RATELIMIT_ENABLED": False}
    )
    client = app.test_client()
    with app.app_context():
        engine = db.engine
    yardstick = _bare(args.url, args.runs) if args.bare else None
    for path in args.paths:
        took = _measure(client, engine, path, args.runs, args.show_sql)
        if yardstick:
            print(f"    {took / yardstick:.2f}x bare")
    if args.profile:
        client.get(args.profile)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(30):
            client.get(args.profile)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)


if __name__ == "__main__":
    main()
