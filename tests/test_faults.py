"""Faults: the database unreachable or a connection cut mid-request, and the limits'
store (Redis) down.

A lost database is a Korean 503 page with Retry-After, nothing half-written, and the
next request works without a restart (the pool drops dead connections: SQLAlchemy
invalidates on a disconnect, gwanak.core.connections checks idle ones at checkout). On PostgreSQL the
connections are really cut, with pg_terminate_backend from another connection.
"""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import event, func, select

from gwanak.core.connections import PING_AFTER_IDLE, closed_by_server
from gwanak.core.extensions import db
from gwanak.participation.models import Discussion, Proposal
from tests.conftest import TEST_DATABASE_URL, base_config, is_postgres, make_app
from tests.factories import TEST_PASSWORD, make_user

NEW = "/policy/proposals/new"
PROPOSAL = {
    "title": "버스정류장 그늘막",
    "body": "여름에 기다리기 힘듭니다.",
    "category": "교통",
    "dong": "",
}


def _counts() -> tuple[int, int]:
    return (
        db.session.scalar(select(func.count()).select_from(Proposal)),
        db.session.scalar(select(func.count()).select_from(Discussion)),
    )


def _assert_unavailable(response) -> None:
    html = response.get_data(as_text=True)
    assert response.status_code == 503, html[:300]
    assert response.headers["Retry-After"].isdigit()
    assert "잠시 서비스를 이용할 수 없습니다" in html and 'lang="ko"' in html
    assert "Traceback" not in html


def _unreachable_url(tmp_path) -> str:
    if is_postgres():
        return "postgresql+psycopg://postgres@127.0.0.1:1/nowhere?connect_timeout=2"
    return "sqlite:///" + str(tmp_path / "no-such-dir" / "gone.sqlite3")


def test_an_unreachable_database_is_a_korean_503_with_retry_after(tmp_path):
    app = make_app(base_config(_unreachable_url(tmp_path)) | {"UPLOAD_DIR": str(tmp_path)})
    client = app.test_client()
    for method, path in (("GET", "/"), ("GET", "/policy/proposals"), ("POST", "/auth/login")):
        data = {"email": "a@example.com", "password": "x"} if method == "POST" else None
        _assert_unavailable(client.open(path, method=method, data=data))
    # htmx asks get the same page (htmx does not swap a 5xx) rather than a 500.
    _assert_unavailable(client.get("/policy/proposals", headers={"HX-Request": "true"}))


def test_the_limits_store_errors_are_swallowed():
    app = make_app(base_config("sqlite://"))
    assert app.config["RATELIMIT_SWALLOW_ERRORS"] is True


@pytest.mark.skipif(not is_postgres(), reason="pg_terminate_backend is PostgreSQL's")
def test_a_pooled_connection_closed_by_the_server_is_seen_without_a_round_trip(app):
    with db.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        pid = raw.info.backend_pid
    assert not closed_by_server(raw)  # idle in the pool, alive
    assert _terminate(f"pid = {pid}") == 1
    assert closed_by_server(raw)
    with db.engine.connect() as conn:  # the pool hands out a new one
        assert conn.connection.dbapi_connection.info.backend_pid != pid
        assert conn.scalar(select(1)) == 1


@pytest.mark.skipif(not is_postgres(), reason="the checks are installed for PostgreSQL")
def test_a_long_idle_connection_is_pinged_and_a_busy_one_is_not(app, monkeypatch):
    pings = []
    original = db.engine.dialect.do_ping
    monkeypatch.setattr(db.engine.dialect, "do_ping", lambda c: pings.append(c) or original(c))
    with db.engine.connect() as conn:
        conn.scalar(select(1))
    with db.engine.connect() as conn:  # back at once: no ping
        record = conn.connection._connection_record
        conn.scalar(select(1))
    assert pings == []
    record.info["idle_since"] -= PING_AFTER_IDLE + 1  # as if it had waited half a minute
    with db.engine.connect() as conn:
        assert conn.scalar(select(1)) == 1
    assert len(pings) == 1


def _cut_during(statement_start: str, containing: str = ""):
    """Arm a fault: the first statement starting with `statement_start` (and containing
    `containing`) loses its
    connection. On PostgreSQL the backend is terminated from another connection just
    before the statement is sent; on SQLite the driver raises its disk I/O error."""
    armed = {"left": 1, "fired": 0}

    def before(conn, cursor, statement, parameters, context, executemany):
        sql = statement.lstrip().upper()
        if armed["left"] and sql.startswith(statement_start) and containing in sql:
            armed["left"] -= 1
            armed["fired"] += 1
            if conn.dialect.name == "postgresql":
                pid = conn.connection.dbapi_connection.info.backend_pid
                _terminate(f"pid = {pid}")
            else:
                raise sqlite3.OperationalError("disk I/O error")

    event.listen(db.engine, "before_cursor_execute", before)
    return armed, lambda: event.remove(db.engine, "before_cursor_execute", before)


def _terminate(condition: str) -> int:
    """pg_terminate_backend from a connection of its own (never the pool's), waiting
    until each backend has gone (as after a restart, not in the middle of one)."""
    import psycopg

    with psycopg.connect(TEST_DATABASE_URL, autocommit=True) as killer:
        rows = killer.execute(
            "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity"
            f" WHERE datname = current_database() AND pid <> pg_backend_pid() AND {condition}"
        ).fetchall()
    return len(rows)


def test_a_connection_cut_while_saving_leaves_nothing_half_written_and_the_next_try_works(
    app, client, auth, users
):
    auth.login(users.resident)
    before = _counts()
    # The discussion row is written first, then the proposal: cut between the two.
    armed, disarm = _cut_during("INSERT INTO PROPOSALS")
    try:
        response = client.post(NEW, data=PROPOSAL)
    finally:
        disarm()
    assert armed["fired"] == 1
    _assert_unavailable(response)
    assert _counts() == before  # no discussion without its proposal
    # The same request again, no restart: saved once.
    again = client.post(NEW, data=PROPOSAL)
    assert again.status_code == 303
    assert _counts() == (before[0] + 1, before[1] + 1)
    assert client.get(again.headers["Location"]).status_code == 200


def test_a_connection_cut_while_reading_is_a_503_then_the_page_comes_back(app, client, auth, users):
    auth.login(users.resident)
    # (A cut while counting the visit costs only the count: the page's own query here.)
    armed, disarm = _cut_during("SELECT", "FROM PROPOSALS")
    try:
        response = client.get("/policy/proposals")
    finally:
        disarm()
    assert armed["fired"] == 1
    _assert_unavailable(response)
    assert client.get("/policy/proposals").status_code == 200


@pytest.mark.skipif(not is_postgres(), reason="pg_terminate_backend is PostgreSQL's")
def test_every_pooled_connection_killed_between_requests_is_replaced_without_a_503(
    app, client, auth, users
):
    auth.login(users.resident)
    assert client.get("/").status_code == 200
    killed = 0
    for _ in range(3):
        db.session.commit()  # the test's own connection back to the pool too
        killed += _terminate("backend_type = 'client backend'")
        assert client.get("/policy/proposals").status_code == 200
        assert client.post(NEW, data={**PROPOSAL, "title": f"그늘막 {_}"}).status_code == 303
    assert killed >= 3
    assert db.session.scalar(select(func.count()).select_from(Proposal)) == 3


@pytest.mark.skipif(not is_postgres(), reason="pg_terminate_backend is PostgreSQL's")
def test_connections_cut_at_random_statements_during_many_requests(app, client, auth, users):
    """Cut the connection at the n-th statement of a proposal request, for every n the
    request has: each answer is a 303 (saved) or a 503, never a 500 and never a
    half-written proposal. A cut after the commit (reading back for the redirect) is a
    503 for a saved proposal: sending the same form again (its one-time token) then
    adds nothing."""
    auth.login(users.resident)
    counter = {"n": 0}

    def count(conn, cursor, statement, parameters, context, executemany):
        counter["n"] += 1

    event.listen(db.engine, "before_cursor_execute", count)
    client.post(NEW, data={**PROPOSAL, "title": "세어 보기"})
    event.remove(db.engine, "before_cursor_execute", count)
    statements = counter["n"]
    outcomes = {}
    for n in range(1, statements + 1):
        seen = {"n": 0}

        def cut(conn, cursor, statement, parameters, context, executemany, n=n, seen=seen):
            seen["n"] += 1
            if seen["n"] == n:
                _terminate(f"pid = {conn.connection.dbapi_connection.info.backend_pid}")

        before = _counts()
        form = {**PROPOSAL, "title": f"끊김 {n}", "token": f"cut-{n}-0123456789abcdef"}
        event.listen(db.engine, "before_cursor_execute", cut)
        try:
            response = client.post(NEW, data=form)
        finally:
            event.remove(db.engine, "before_cursor_execute", cut)
        assert response.status_code in (303, 503), (n, response.status_code)
        after = _counts()
        grew = after[0] - before[0]
        assert after[1] - before[1] == grew  # never a discussion without its proposal
        if response.status_code == 303:
            assert grew == 1
        outcomes[response.status_code] = outcomes.get(response.status_code, 0) + 1
        # The resident sends the form again: exactly one proposal in the end.
        assert client.post(NEW, data=form).status_code == 303
        assert _counts() == (before[0] + 1, before[1] + 1)
    print(f"cut at each of {statements} statements: {outcomes}")
    assert outcomes.get(503, 0) >= 1


def test_the_limits_store_down_keeps_the_site_up_and_the_limits_in_memory(app, tmp_path, db_url):
    make_user(email="limits@example.com")
    # Nothing listens on port 1: every call to the store is refused at once.
    limited = make_app(
        base_config(db_url)
        | {
            "UPLOAD_DIR": str(tmp_path),
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0",
        }
    )
    client = limited.test_client()
    assert client.get("/").status_code == 200
    answers = [
        client.post("/auth/reset", data={"email": "limits@example.com"}).status_code
        for _ in range(7)
    ]
    # /auth/reset allows 5 an hour: the limit still holds, kept in memory.
    assert answers[:5] == [303] * 5 and answers[5:] == [429, 429]
    login = client.post(
        "/auth/login", data={"email": "limits@example.com", "password": TEST_PASSWORD}
    )
    assert login.status_code == 303
