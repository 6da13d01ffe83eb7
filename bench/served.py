"""The portal served over HTTP by gunicorn (2 workers), timed against a bare Flask app.

For SQLite and PostgreSQL: build 10,000 proposals, 200,000 공감 and 50,000 comments,
serve the portal and `bench/bare.py` side by side, and time the list, detail and
search pages in rounds that alternate with the bare 20-row list (each page reported as
a multiple of bare). A 100,000-proposal scale point times list and search again. On
PostgreSQL, 8 residents give 공감 and comment concurrently through HTTP, against a
bare route that inserts a row and bumps a counter; then the counters are checked
against the rows.

Usage: python -m bench.served [--pg-url URL] [--no-sqlite] [--scale 100000]
The PostgreSQL database at --pg-url (or $BENCH_PG_URL) is emptied: give a
throw-away one. Without it, PostgreSQL is skipped."""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from http.client import HTTPConnection
from pathlib import Path

from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
PASSWORD = "bench-password-1234"
CLIENTS = 8
Q = urllib.parse.quote("교통")
CLIENT_IDS = "SELECT id FROM users WHERE email LIKE 'client%@gwanak-bench.kr'"


# ---------------------------------------------------------------- the database


def fresh_database(url: str, proposals: int, gonggam: int, comments: int) -> dict:
    from flask_migrate import upgrade

    from bench.data import build
    from gwanak import create_app
    from gwanak.accounts.operations import hash_password
    from gwanak.core.extensions import db

    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    app = create_app(
        {"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False}
    )
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        upgrade()
    t0 = time.perf_counter()
    info = build(app, proposals, gonggam, comments)
    info["build_s"] = round(time.perf_counter() - t0, 1)
    with app.app_context():
        hashed = hash_password(PASSWORD)
        with db.engine.begin() as conn:
            first = conn.scalar(text("SELECT max(id) FROM users")) + 1
            for i in range(CLIENTS):
                conn.execute(
                    text(
                        "INSERT INTO users (id, email, password_hash, name, role, relation, "
                        "dong, created_at, privacy_consented_at, session_version, "
                        "verification_level, email_confirmed_at) VALUES "
                        "(:id, :email, :h, :name, 'resident', '거주', 'sillim', "
                        "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1, 1, CURRENT_TIMESTAMP)"
                    ),
                    {
                        "id": first + i,
                        "email": f"client{i}@gwanak-bench.kr",
                        "h": hashed,
                        "name": f"참여자{i}",
                    },  # fmt: skip
                )
            if conn.dialect.name == "postgresql":
                conn.execute(
                    text("SELECT setval(pg_get_serial_sequence('users', 'id'), :n)"),
                    {"n": first + CLIENTS},
                )
            prepare(conn)
        db.engine.dispose()
    return info


def prepare(conn) -> None:
    """The bare app's two tables (in the benchmark's throw-away database)."""
    serial = "SERIAL" if conn.dialect.name == "postgresql" else "INTEGER"
    conn.execute(text("DROP TABLE IF EXISTS bare_rows"))
    conn.execute(text("DROP TABLE IF EXISTS bare_counter"))
    conn.execute(text(f"CREATE TABLE bare_rows (id {serial} PRIMARY KEY, note VARCHAR(20))"))
    conn.execute(text("CREATE TABLE bare_counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)"))
    conn.execute(text("INSERT INTO bare_counter (id, n) VALUES (1, 0)"))


# ---------------------------------------------------------------- the servers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn with 2 sync workers on a free port."""

    def __init__(self, target: str, url: str):
        self.port = free_port()
        env = os.environ | {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench-secret",
            "RATELIMIT_ENABLED": "0",
            "PYTHONPATH": str(ROOT),
        }
        self.process = subprocess.Popen(
            [
                GUNICORN,
                "-w",
                "2",
                "-b",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
                target,
            ],  # fmt: skip
            cwd=ROOT,
            env=env,
        )
        for _ in range(300):
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)

    def cpu_seconds(self) -> float:
        """CPU time (user + system) its workers have used so far (Linux /proc)."""
        total = 0.0
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        for pid in children.read_text().split() if children.exists() else []:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:  # a worker that has just gone
                continue
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return total


class Browser:
    """One person's HTTP client: keeps cookies, reconnects (sync workers close)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None):
        conn = HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            # name=value; attributes… (the client shares the CPU with the servers it
            # times, so it parses no more than it needs)
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        conn.close()
        return response.status, data

    def timed_get(self, path: str) -> float:
        t0 = time.perf_counter()
        status, _ = self.request("GET", path)
        elapsed = (time.perf_counter() - t0) * 1000
        if status != 200:
            raise RuntimeError(f"GET {path}: {status}")
        return elapsed

    def csrf(self, path: str) -> str:
        _, html = self.request("GET", path)
        return re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', html).group(1).decode()

    def login(self, email: str) -> None:
        token = self.csrf("/auth/login")
        status, _ = self.request(
            "POST", "/auth/login", {"csrf_token": token, "email": email, "password": PASSWORD}
        )
        if status != 303:
            raise RuntimeError(f"login {email}: {status}")


# ---------------------------------------------------------------- reading


def time_pages(portal: Server, bare: Server, pages: dict[str, str], rounds: int, per: int):
    """p50 and p95 (ms) of each page; rounds alternate every page with bare."""
    us, them = Browser(portal.port), Browser(bare.port)
    times: dict[str, list[float]] = {"bare": []} | {label: [] for label in pages}
    for path in pages.values():  # warm both workers' caches
        for _ in range(4):
            us.timed_get(path)
        if "/proposals" in path or "/search" in path:  # a page of results, not "none"
            _, html = us.request("GET", path)
            if not re.search(rb"/policy/proposals/\d", html):
                raise RuntimeError(f"{path} found nothing: the data set is wrong")
    for _ in range(4):
        them.timed_get("/bare/list")
    for _ in range(rounds):
        for label, path in pages.items():
            times["bare"] += [them.timed_get("/bare/list") for _ in range(per)]
            times[label] += [us.timed_get(path) for _ in range(per)]
    return {label: _summary(values) for label, values in times.items()}


def _summary(values: list[float]) -> dict:
    values = sorted(values)
    return {
        "p50_ms": round(statistics.median(values), 2),
        "p95_ms": round(values[max(0, int(len(values) * 0.95) - 1)], 2),
        "n": len(values),
    }


# ---------------------------------------------------------------- writing


def write_benchmark(url: str, gathering: list[int], actions: int, rounds: int = 4) -> dict:
    """8 residents give 공감 at once, then comment at once (portal, no-JS posts); 8
    clients use bare's insert-and-count route; 8 residents post to the floor route
    (bench/floor.py: bare's write behind the portal's session, login and CSRF). In
    rounds that alternate them, so all see the same noise. Then the rows are counted
    against the counters and against the actions that answered 303 (a refusal also
    redirects)."""
    portal, bare = Server("app:app", url), Server("bench.bare:app", url)
    floor = Server("bench.floor:app", url)
    try:
        people = []
        for i in range(CLIENTS):
            person = Browser(portal.port)
            person.login(f"client{i}@gwanak-bench.kr")
            people.append(person)
        targets = gathering[-actions:]
        # One token per person: Flask-WTF's token holds for the session.
        tokens = [p.csrf(f"/policy/proposals/{targets[0]}") for p in people]
        clerks = [Browser(bare.port) for _ in range(CLIENTS)]
        floorers = []
        for i in range(CLIENTS):
            person = Browser(floor.port)
            person.login(f"client{i}@gwanak-bench.kr")
            floorers.append((person, person.csrf("/policy/proposals")))

        def work(path: str, form, part: int):
            def client(i: int, out: list):
                # Each starts at another proposal: residents spread over the board.
                shift = i * len(targets) // CLIENTS
                mine = targets[shift:] + targets[:shift]
                for pid in mine[part * len(mine) // rounds : (part + 1) * len(mine) // rounds]:
                    t0 = time.perf_counter()
                    if form is None:
                        status, _ = clerks[i].request("POST", path, {})
                    elif path == "/bench/floor":
                        person, token = floorers[i]
                        status, _ = person.request("POST", path, {"csrf_token": token})
                    else:
                        status, _ = people[i].request("POST", path.format(pid), form(i, tokens[i]))
                    out.append(((time.perf_counter() - t0) * 1000, status))

            return client

        def gonggam_form(i: int, token: str) -> dict:
            return {"csrf_token": token}

        def comment_form(i: int, token: str) -> dict:
            return {"csrf_token": token, "body": f"{i}번 참여자: 꼭 필요합니다."}

        runs: dict[str, list] = {"gonggam": [], "comments": [], "floor": [], "bare": []}

        def phase(kind: str, server: Server, client) -> None:
            cpu = server.cpu_seconds()
            run = _run_clients(client)
            run["cpu"] = server.cpu_seconds() - cpu
            runs[kind].append(run)

        for part in range(rounds):
            phase("bare", bare, work("/bare/write", None, part))
            phase("gonggam", portal, work("/policy/proposals/{}/gonggam", gonggam_form, part))
            phase("bare", bare, work("/bare/write", None, part))
            phase("comments", portal, work("/discussions/{}/comments", comment_form, part))
            phase("bare", bare, work("/bare/write", None, part))
            phase("floor", floor, work("/bench/floor", gonggam_form, part))
    finally:
        portal.stop()
        bare.stop()
        floor.stop()
    result = {kind: _merge(parts) for kind, parts in runs.items()}
    result["checks"] = _check_counts(
        url,
        result["gonggam"]["actions"] - result["gonggam"]["refused"],
        result["comments"]["actions"] - result["comments"]["refused"],
    )
    return result


def _run_clients(work) -> dict:
    results: list[list] = [[] for _ in range(CLIENTS)]
    threads = [threading.Thread(target=work, args=(i, results[i])) for i in range(CLIENTS)]
    t0 = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"wall": time.perf_counter() - t0, "results": [r for rs in results for r in rs]}


def _merge(parts: list[dict]) -> dict:
    flat = [r for part in parts for r in part["results"]]
    wall = sum(part["wall"] for part in parts)
    latencies = sorted(ms for ms, _ in flat)
    return {
        "actions": len(flat),
        "per_second": round(len(flat) / wall, 1),
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1], 1),
        "refused": sum(1 for _, status in flat if status not in (204, 303)),
        # CPU the app's workers spent per action: steadier than throughput on a busy machine.
        "worker_cpu_ms": round(sum(part["cpu"] for part in parts) * 1000 / len(flat), 2),
    }


def _check_counts(url: str, gonggam: int, comments: int) -> dict:
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.connect() as conn:
        checks = {
            "proposals whose 공감 count differs from its rows": conn.scalar(
                text(
                    "SELECT count(*) FROM proposals p WHERE p.gonggam_count <> "
                    "(SELECT count(*) FROM gonggam g WHERE g.proposal_id = p.id)"
                )
            ),
            "discussions whose comment count differs from its rows": conn.scalar(
                text(
                    "SELECT count(*) FROM discussions d WHERE d.comment_count <> "
                    "(SELECT count(*) FROM comments c WHERE c.discussion_id = d.id "
                    "AND c.hidden_at IS NULL AND c.deleted_at IS NULL)"
                )
            ),
            "303s to 공감 minus the bench residents' 공감 rows": gonggam
            - conn.scalar(text(f"SELECT count(*) FROM gonggam WHERE user_id IN ({CLIENT_IDS})")),
            "303s to comments minus the bench residents' comments": comments
            - conn.scalar(text(f"SELECT count(*) FROM comments WHERE author_id IN ({CLIENT_IDS})")),
            "bare counter minus its rows (bare and floor)": conn.scalar(
                text("SELECT (SELECT n FROM bare_counter) - (SELECT count(*) FROM bare_rows)")
            ),
        }
    engine.dispose()
    return checks


# ---------------------------------------------------------------- the run


def read_pages(info: dict) -> dict[str, str]:
    return {
        "list": "/policy/proposals",
        "list 공감순": "/policy/proposals?sort=gonggam",
        "detail": f"/policy/proposals/{info['middle']}",
        f"detail, busiest ({info['busiest_comments']} comments)": f"/policy/proposals/{info['busiest']}",
        "list search ?q=교통": f"/policy/proposals?q={Q}",
        "통합 검색 교통": f"/search?q={Q}",
    }


def run_database(name: str, url: str, args) -> dict:
    out: dict = {"database": name}
    info = fresh_database(url, 10_000, 200_000, 50_000)
    print(f"[{name}] 10k data set built in {info['build_s']}s ({info['grams']:,} bigram rows)")
    if not args.writes_only:
        portal, bare = Server("app:app", url), Server("bench.bare:app", url)
        try:
            out["pages"] = time_pages(portal, bare, read_pages(info), args.rounds, args.per)
        finally:
            portal.stop()
            bare.stop()
    if name == "postgresql" and args.actions:
        out["writes"] = write_benchmark(url, info["gathering"], args.actions)
    if args.scale and not args.writes_only:
        big = fresh_database(url, args.scale, 200_000 * args.scale // 10_000, 50_000)
        print(f"[{name}] {args.scale:,} data set built in {big['build_s']}s")
        portal, bare = Server("app:app", url), Server("bench.bare:app", url)
        pages = {k: v for k, v in read_pages(big).items() if k.startswith("list")}
        try:
            out["scale"] = time_pages(portal, bare, pages, args.rounds, args.per)
        finally:
            portal.stop()
            bare.stop()
    return out


def report(result: dict) -> None:
    if "pages" in result:
        report_pages(result)
    if "writes" in result:
        report_writes(result)


def report_pages(result: dict) -> None:
    pages = result["pages"]
    bare = pages["bare"]["p50_ms"]
    print(f"\n== {result['database']} (10,000 proposals; ratio = p50 / bare p50) ==")
    print(f"{'page':44} {'p50 ms':>8} {'p95 ms':>8} {'× bare':>7}")
    for label, row in pages.items():
        print(f"{label:44} {row['p50_ms']:>8} {row['p95_ms']:>8} {row['p50_ms'] / bare:>7.2f}")
    if "scale" in result:
        print(f"-- {result['database']} at the scale point (p50 vs 10k) --")
        for label, row in result["scale"].items():
            if label in pages:
                ratio = row["p50_ms"] / pages[label]["p50_ms"]
                print(f"{label:44} {row['p50_ms']:>8} {row['p95_ms']:>8} {ratio:>6.2f}× 10k")


def report_writes(result: dict) -> None:
    w = result["writes"]
    bare = w["bare"]["per_second"]
    print(f"-- writes, {CLIENTS} clients, 2 workers (no-JS posts; ratio = actions/s / bare) --")
    for who in ("gonggam", "comments", "floor", "bare"):
        r = w[who]
        print(f"{who:10} {r['actions']:>6} actions {r['per_second']:>8}/s  p95 {r['p95_ms']} ms"
              f"  refused {r['refused']}  {r['per_second'] / bare:.2f}× bare"
              f"  worker CPU {r['worker_cpu_ms']} ms/action")  # fmt: skip
    for label, value in w["checks"].items():
        print(f"check: {label}: {value}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL"))
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--scale", type=int, default=100_000, help="0 to skip")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--per", type=int, default=10)
    parser.add_argument("--actions", type=int, default=200, help="per client; 0 to skip")
    parser.add_argument("--writes-only", action="store_true", help="PostgreSQL writes alone")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # progress shows through a pipe
    from gwanak.core.config import _normalise_db_url

    runs = []
    if not args.no_sqlite:
        runs.append(("sqlite", f"sqlite:///{tempfile.mkdtemp(prefix='gwanak-served-')}/b.sqlite3"))
    if args.pg_url:
        runs.append(("postgresql", _normalise_db_url(args.pg_url)))
    else:
        print("PostgreSQL skipped: set BENCH_PG_URL (a throw-away database; it is emptied)")
    results = []
    for name, url in runs:
        result = run_database(name, url, args)
        report(result)
        results.append(result)
        if name == "sqlite":
            shutil.rmtree(Path(url.removeprefix("sqlite:///")).parent, ignore_errors=True)
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    (out / "served.json").write_text(
        json.dumps({"when": stamp, "runs": results}, ensure_ascii=False, indent=1)
    )
    print(f"\n({stamp}; results in bench-results/served.json)")


if __name__ == "__main__":
    main()
