"""Fixtures: an app on a fresh database, users of each role, a client, a CLI runner.

The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set.
The schema is built once per session by the Alembic migrations (so every run also
proves they apply), and every table is emptied after each test.

Contexts and sessions, as on a real server:
- The `app` fixture pushes one app context for the test's own code: building data
  (tests/factories.py) and checking the database afterwards. Nothing else uses it.
- Every request of `client` (and every command of `runner`) runs in a fresh
  `contextvars.Context`, so it pushes its own app context: its own `g`, its own
  Flask-Login user and its own SQLAlchemy session, removed when it ends.
- The rule between the two: just before a request or command, the test's session is
  COMMITTED (set-up written by the test is then in the database like the work of an
  earlier request, and no test transaction holds SQLite's single writer lock or a
  PostgreSQL row lock); just after, all its objects are EXPIRED, so the test reads
  what the request wrote. A test that wants a write NOT to be seen by a request must
  roll it back itself.
- A test that needs an app with another config builds it with make_app(...), so its
  client and runner follow the same rules.
"""

from __future__ import annotations

import contextvars
import os
import re
from collections.abc import Iterator
from datetime import datetime

import pytest
from flask import Flask, has_app_context
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import text

from gwanak import create_app
from gwanak.accounts.organisation import load_organisation
from gwanak.core import clock
from gwanak.core.extensions import db
from tests.factories import (  # noqa: F401  (make_user, password_hash: imported from here too)
    TEST_PASSWORD,
    UserWorld,
    make_user,
    password_hash,
)

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


def is_postgres() -> bool:
    return bool(TEST_DATABASE_URL)


def base_config(db_url: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": db_url,
        "RATELIMIT_ENABLED": False,
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": None,
    }


def _commit_test_session() -> None:
    if has_app_context():
        db.session.commit()


def _expire_test_session() -> None:
    if has_app_context():
        db.session.expire_all()


class RequestClient(FlaskClient):
    """A test client whose requests each run in their own app context (see the module doc)."""

    def open(self, *args, **kwargs):
        _commit_test_session()
        try:
            return super().open(*args, **kwargs)
        finally:
            _expire_test_session()

    def run_wsgi_app(self, environ, buffered=False):
        # An empty context has no app context pushed, so Flask pushes the request's own.
        # Buffered: a streamed body (open data) is read, and its contexts popped, in the
        # context that pushed them.
        return contextvars.Context().run(super().run_wsgi_app, environ, True)


class CommandRunner(FlaskCliRunner):
    """A CLI runner whose commands each run in their own app context, like `flask …`."""

    def invoke(self, *args, **kwargs):
        _commit_test_session()
        try:
            return contextvars.Context().run(super().invoke, *args, **kwargs)
        finally:
            _expire_test_session()


def make_app(config: dict) -> Flask:
    """create_app for tests: its client and CLI runner keep requests out of the test's context."""
    app = create_app(config)
    app.test_client_class = RequestClient
    app.test_cli_runner_class = CommandRunner
    return app


@pytest.fixture(scope="session")
def db_url(tmp_path_factory) -> str:
    if TEST_DATABASE_URL:
        from gwanak.core.config import _normalise_db_url

        return _normalise_db_url(TEST_DATABASE_URL)
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture(scope="session")
def _schema(db_url: str, tmp_path_factory) -> None:
    """Build the schema from the migrations, once."""
    from flask_migrate import upgrade

    app = create_app(base_config(db_url) | {"UPLOAD_DIR": str(tmp_path_factory.mktemp("up"))})
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        upgrade()
        db.engine.dispose()


@pytest.fixture
def app(_schema, db_url: str, tmp_path) -> Iterator[Flask]:
    """The app, with an app context pushed for the test's set-up and assertions only."""
    app = make_app(
        base_config(db_url)
        | {
            "UPLOAD_DIR": str(tmp_path / "uploads"),
            "DEMO_ACCOUNTS_FILE": str(tmp_path / "demo.txt"),
        }
    )
    ctx = app.app_context()
    ctx.push()
    # The organisation is reference data the migration loads; tests empty every table
    # after them, so each starts from the file again.
    load_organisation()
    try:
        yield app
    finally:
        clock.set_frozen(None)
        db.session.remove()
        _empty_tables()
        ctx.pop()


def _empty_tables() -> None:
    # DELETE children before parents, then start the ids at 1 again. On PostgreSQL this
    # is several times faster than one TRUNCATE of every table (about 60), which costs a
    # file operation per table and made the PostgreSQL pass three times slower.
    tables = [t.name for t in db.metadata.sorted_tables]
    with db.engine.begin() as conn:
        for name in reversed(tables):
            conn.execute(text(f"DELETE FROM {name}"))
        if conn.dialect.name == "postgresql":
            for (sequence,) in conn.execute(
                text("SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'")
            ):
                conn.execute(text(f'ALTER SEQUENCE "{sequence}" RESTART'))
        elif _has_sqlite_sequence(conn):
            conn.execute(text("DELETE FROM sqlite_sequence"))


def _has_sqlite_sequence(conn) -> bool:
    return bool(
        conn.execute(text("SELECT 1 FROM sqlite_master WHERE name='sqlite_sequence'")).first()
    )


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def frozen():
    """Freeze the app's clock: frozen(datetime(...)) sets it, and it is reset after the test."""

    def freeze(at: datetime) -> None:
        clock.set_frozen(at)

    yield freeze
    clock.set_frozen(None)


@pytest.fixture
def users(app) -> UserWorld:
    """One user of each role: users.resident, users.planning (기획예산과 staff), …"""
    return UserWorld()


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, user_or_email, password: str = TEST_PASSWORD, remember: bool = False):
        email = getattr(user_or_email, "email", user_or_email)
        data = {"email": email, "password": password}
        if remember:
            data["remember"] = "y"
        return self._client.post("/auth/login", data=data)

    def logout(self):
        return self._client.post("/auth/logout")


@pytest.fixture
def auth(client) -> AuthActions:
    return AuthActions(client)


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert match, "page has no CSRF meta tag"
    return match.group(1)
