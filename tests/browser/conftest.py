"""A live server and Debian's Chromium driven by Playwright.

Playwright's own browser download does not work here; we hand it the `chromium`
found on PATH. Without it the browser tests skip, except in CI, where they must run.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from werkzeug.serving import make_server

from gwanak import create_app
from gwanak.core import clock
from gwanak.core.extensions import db
from tests.conftest import is_postgres
from tests.factories import stored_pages

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The app behind the live server: tests may build data with its app context."""
    if is_postgres():
        pytest.skip("browser tests run in the SQLite pass")
    from flask_migrate import upgrade

    app = make_live_app(tmp_path_factory.mktemp("live"))
    with app.app_context():
        upgrade()
        stored_pages()
    return app


def make_live_app(folder):
    """An app on its own SQLite file in `folder`, configured as served (CSRF on)."""
    return create_app(
        {
            "SECRET_KEY": "browser-test",
            "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(folder / "live.sqlite3"),
            "RATELIMIT_ENABLED": False,
            "UPLOAD_DIR": str(folder / "uploads"),
            "DEMO_ACCOUNTS_FILE": str(folder / "demo-accounts.txt"),
        }
    )


@pytest.fixture
def live_db(live_app, live_server):
    """The live server's app pushed in the test's thread, so tests/factories.py builds the
    world in its database (builders commit: the server sees their rows at once) and the
    test may move the clock (one clock per process: the server runs in this process)."""
    with live_app.app_context():
        yield live_app
        db.session.remove()
    clock.set_frozen(None)


@contextmanager
def serving(app) -> Iterator[str]:
    """Serve `app` on a free local port in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def live_server(live_app) -> Iterator[str]:
    with serving(live_app) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    executable = _chromium()
    if executable is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is not installed; `make test` installs it in CI")
        pytest.skip("chromium not found on PATH (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(params=[True, False], ids=["js-on", "js-off"])
def page(request, browser, live_server):
    context = browser.new_context(
        java_script_enabled=request.param, viewport={"width": 360, "height": 740}, locale="ko-KR"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.js_enabled = request.param  # type: ignore[attr-defined]
    page.base = live_server  # type: ignore[attr-defined]
    yield page
    context.close()
