"""The app as a new developer meets it: migrated, seeded and served by fresh processes.

Subprocesses run `flask db upgrade`, `flask gwanak seed-demo` and `flask run` exactly as
`make run` does (SECRET_KEY from the environment, no debug), on a throw-away database:
a temporary SQLite file, or a database of its own beside TEST_DATABASE_URL's. Nothing
is imported into the served process by the test, so a registration that only happens
when some test imported a module shows up here as the 500 a visitor would get.

Then each kind of person follows every link they are shown (at most three URLs per
route): anonymous, a resident, staff of each department, a 동 주민센터 staff member,
the mayor and the admin. Lists are then fed absurd query values.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.live_crawl import Browser, Crawler, content_problems, with_query

pytestmark = pytest.mark.smoke

ROOT = Path(__file__).resolve().parent.parent
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")

# Demo accounts by their e-mail's local part (gwanak/demo.py); None is anonymous.
ROLES = {
    "anonymous": None,
    "resident": "kim",
    "audit-staff": "audit",
    "planning-staff": "planning",
    "autonomy-staff": "autonomy",
    "dong-staff": "boramae",
    "mayor": "mayor",
    "admin": "admin",
}

# Known 5xx the crawl tolerates for now, each with the change that removes it.
# Known 5xx, by path pattern, each with its reason (none: the manifest fixed the last).
EXPECTED_5XX: dict[str, str] = {}

ABSURD_PAGES = ("99999999999999999999", "9223372036854775807", "-1", "0", "abc")
ABSURD_FILTERS = {
    "sort": ("zzz",),
    "state": ("zzz",),
    "category": ("zzz",),
    "dong": ("zzz",),
    "phase": ("zzz",),
    "year": ("99999", "-1", "abc", "99999999999999999999"),
    "month": ("0001-01", "9999-99", "2024-13", "abc"),
    "q": ("가" * 500,),
}
HUGE_IDS = (str(2**31), str(2**63), "99999999999999999999")


def expected_failure(url: str) -> str | None:
    path = urlsplit(url).path
    for pattern, reason in EXPECTED_5XX.items():
        if re.search(pattern, path):
            return reason
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _flask() -> list[str]:
    script = Path(sys.executable).with_name("flask")
    return [str(script)] if script.exists() else [sys.executable, "-m", "flask"]


class _Database:
    """A database for the served app alone, dropped afterwards."""

    def __init__(self, folder: Path) -> None:
        self.name = None
        if not TEST_DATABASE_URL:
            self.url = "sqlite:///" + str(folder / "crawl.sqlite3")
            return
        import psycopg

        parts = urlsplit(TEST_DATABASE_URL)
        # Beside the suite's database, never inside it: the suite drops its schema.
        self.name = parts.path.lstrip("/") + "__crawl"
        self.admin_url = TEST_DATABASE_URL.replace("postgresql+psycopg://", "postgresql://")
        self.url = parts._replace(path="/" + self.name).geturl()
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        if self.name:
            import psycopg

            with psycopg.connect(self.admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(base URL, demo password) of the app served by `flask run` in a fresh process."""
    folder = tmp_path_factory.mktemp("crawl")
    database = _Database(folder)
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("FLASK_", "TEST_DATABASE"))
    } | {
        "SECRET_KEY": "crawl-" + os.urandom(8).hex(),
        "DATABASE_URL": database.url,
        "UPLOAD_DIR": str(folder / "uploads"),
        "DEMO_ACCOUNTS_FILE": str(folder / "demo-accounts.txt"),
        "RATELIMIT_STORAGE_URI": "memory://",
        "PYTHONUNBUFFERED": "1",
    }
    server = None
    log = None
    try:
        for command in (["db", "upgrade"], ["gwanak", "seed-demo"]):
            done = subprocess.run(
                [*_flask(), "--app", "app", *command],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
            )
            assert done.returncode == 0, f"flask {' '.join(command)}:\n{done.stderr[-3000:]}"
        port = _free_port()
        log = (folder / "server.log").open("w")
        server = subprocess.Popen(
            [*_flask(), "--app", "app", "run", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        _wait_until_serving(base, server, folder / "server.log")
        yield base, _demo_accounts(folder / "demo-accounts.txt")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if log is not None:
            log.close()
        database.drop()


def _wait_until_serving(base: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail("flask run stopped:\n" + log.read_text(errors="replace")[-3000:])
        try:
            with urllib.request.urlopen(base + "/", timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail("flask run did not answer within 60 s")


def _demo_accounts(note: Path) -> dict:
    """Password and e-mails from the note seed-demo writes (`비밀번호: …`, `kim@… (…)`)."""
    text = note.read_text(encoding="utf-8")
    password = re.search(r"비밀번호: (\S+)", text).group(1)
    emails = {m.group(1): m.group(0) for m in re.finditer(r"^(\w+)@\S+", text, re.M)}
    return {"password": password, "emails": emails}


@pytest.fixture(scope="module")
def route_of():
    """Names the Flask rule (plus query names) a URL belongs to, to collapse URLs."""
    from gwanak import create_app

    adapter = create_app(
        {"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    ).url_map.bind("localhost")

    def pattern(url: str) -> str:
        parts = urlsplit(url)
        try:
            rule, _ = adapter.match(parts.path, method="GET", return_rule=True)
            name = rule.rule
        except Exception:  # no rule (404/405): one pattern per path with digits collapsed
            name = re.sub(r"\d+", "<n>", parts.path)
        keys = sorted({key for key, _ in parse_qsl(parts.query)})
        return name + ("?" + "&".join(keys) if keys else "")

    return pattern


@pytest.fixture(scope="module")
def crawls(served, route_of):
    """Each role's crawl, run once per module and shared by the tests below."""
    base, accounts = served
    done: dict = {}

    def crawl(role: str):
        if role not in done:
            browser = Browser(base)
            local = ROLES[role]
            if local is not None:
                browser.log_in(accounts["emails"][local], accounts["password"])
            done[role] = (Crawler(browser, role, route_of, expected_failure).crawl(), browser)
        return done[role]

    yield crawl
    for role, (report, _) in done.items():
        pages = len({v.url for v in report.visits})
        largest = max(report.pages, key=lambda v: v.size)
        print(
            f"\n[crawl] {role}: {pages} URLs fetched ({len(report.pages)} HTML pages, "
            f"{report.skipped_by_pattern} skipped as repeats of a route) in {report.seconds:.1f} s; "
            f"largest page {largest.size / 1024:.1f} KB at {largest.url}"
        )


@pytest.mark.parametrize("role", ROLES)
def test_every_link_a_person_is_shown_works_for_them(crawls, role):
    report, _ = crawls(role)
    assert len(report.pages) > 20, f"{role} reached only {len(report.pages)} pages"
    assert not report.failures, f"{role}:\n" + "\n".join(report.failures)


def test_staff_reach_the_back_office_and_residents_their_own_pages(crawls):
    """Each signed-in role really is signed in: the crawl reached what only they see."""
    assert "/staff/" in {v.url for v in crawls("admin")[0].pages}
    assert "/auth/account" in {v.url for v in crawls("resident")[0].pages}
    assert "/staff/" not in {v.url for v in crawls("anonymous")[0].pages}


def test_lists_answer_absurd_query_values_with_a_page_or_a_4xx(crawls):
    """page huge, negative or text; unknown sort or filter; years and months out of range."""
    failures = []
    tried_patterns: set[str] = set()
    requests = 0
    for role in ROLES:
        report, browser = crawls(role)
        for visit in report.pages:
            if not visit.list_parameters or visit.pattern in tried_patterns:
                continue
            tried_patterns.add(visit.pattern)
            variants = [{"page": v} for v in ABSURD_PAGES]
            if "cpage" in visit.list_parameters:
                variants += [{"cpage": v} for v in ABSURD_PAGES + ("²",)]
            variants += [{name: v} for name, values in ABSURD_FILTERS.items() for v in values]
            for values in variants:
                url = with_query(visit.url, **values)
                answer = browser.request(url)
                requests += 1
                if answer.status >= 500 and not expected_failure(url):
                    failures.append(f"{answer.status} for {role} at {url}")
                elif answer.status == 200 and answer.is_html:
                    failures += [f"{p} for {role} at {url}" for p in content_problems(answer.text)]
    print(f"\n[absurd] {len(tried_patterns)} list routes, {requests} requests")
    assert len(tried_patterns) > 10, tried_patterns
    assert not failures, "\n".join(failures)


def test_ids_in_query_values_beyond_the_database_range_are_refused_or_ignored(crawls):
    """`?application=5` with a number past what an id column holds is not a 5xx."""
    failures = []
    tried: set[str] = set()
    for role in ROLES:
        report, browser = crawls(role)
        for visit in report.visits:
            numbered = [k for k, v in parse_qsl(urlsplit(visit.url).query) if v.isdigit()]
            if not numbered or visit.pattern in tried:
                continue
            tried.add(visit.pattern)
            for name in numbered:
                for huge in HUGE_IDS:
                    answer = browser.request(with_query(visit.url, **{name: huge}))
                    if answer.status >= 500:
                        failures.append(
                            f"{answer.status} for {role} at {visit.url} with {name}={huge}"
                        )
    assert tried, "the crawl met no URL with a number in its query"
    assert not failures, "\n".join(failures)


def test_ids_beyond_the_database_range_are_not_found(crawls):
    """A number past what an id column holds (2**31 - 1 on PostgreSQL), in any URL that
    carries an id or a year, answers 404."""
    failures = []
    tried: set[str] = set()
    for role in ROLES:
        report, browser = crawls(role)
        for visit in report.pages:
            path = urlsplit(visit.url).path
            if not re.search(r"/\d+(?=/|$)", path) or visit.pattern in tried:
                continue
            tried.add(visit.pattern)
            for huge in HUGE_IDS:
                url = re.sub(r"/\d+(?=/|$)", "/" + huge, path)
                answer = browser.request(url)
                if answer.status != 404:
                    failures.append(f"{answer.status} for {role} at {url}")
    assert len(tried) > 10, tried
    assert not failures, "\n".join(failures)
