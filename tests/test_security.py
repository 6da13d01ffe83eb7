"""CSRF, security headers, rate limits and Korean error pages."""

from __future__ import annotations

import pytest

from gwanak import create_app
from gwanak.core.extensions import db
from tests.conftest import base_config, csrf_token_from, make_app
from tests.factories import TEST_PASSWORD


@pytest.fixture
def csrf_client(app, db_url, tmp_path):
    app = make_app(base_config(db_url) | {"WTF_CSRF_ENABLED": True, "UPLOAD_DIR": str(tmp_path)})
    return app.test_client()


def test_a_post_without_the_csrf_token_is_rejected(csrf_client, users):
    response = csrf_client.post(
        "/auth/login", data={"email": users.resident.email, "password": "x"}
    )
    assert response.status_code == 400
    assert "보안 토큰" in response.get_data(as_text=True)


def test_the_form_token_and_the_htmx_header_token_are_both_accepted(csrf_client, users):
    html = csrf_client.get("/auth/login").get_data(as_text=True)
    token = csrf_token_from(html)
    assert f'hx-headers=\'{{"X-CSRFToken": "{token}"}}\'' in html
    with_form = csrf_client.post(
        "/auth/login", data={"email": users.resident.email, "password": "x", "csrf_token": token}
    )
    assert with_form.status_code == 422  # wrong password, but past CSRF
    with_header = csrf_client.post(
        "/auth/login",
        data={"email": users.resident.email, "password": "x"},
        headers={"X-CSRFToken": token, "HX-Request": "true"},
    )
    assert with_header.status_code == 422


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    # Only /widgets/ may be framed (tests/test_embeds.py); every other page refuses.
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_pages_have_no_inline_script(client):
    import re

    for path in ("/", "/auth/signup", "/budget/about"):
        html = client.get(path).get_data(as_text=True)
        assert all(" src=" in tag for tag in re.findall(r"<script[^>]*>", html)), path
        assert not re.search(r"\son[a-z]+=", html), path


def test_secure_cookie_flags_behind_https(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("SECURE_COOKIES", "true")
    app = make_app(base_config(db_url) | {"UPLOAD_DIR": str(tmp_path)})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"]
    response = app.test_client().get("/")
    assert "Strict-Transport-Security" in response.headers


def test_secret_key_is_required_in_production(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_login_is_rate_limited(db_url, tmp_path, users):
    app = make_app(base_config(db_url) | {"RATELIMIT_ENABLED": True, "UPLOAD_DIR": str(tmp_path)})
    client = app.test_client()
    statuses = [
        client.post("/auth/login", data={"email": "x@example.com", "password": "y"}).status_code
        for _ in range(22)
    ]
    assert statuses[0] == 422 and statuses[-1] == 429
    assert "요청이 너무 많습니다" in client.post("/auth/login", data={}).get_data(as_text=True)


def test_korean_error_pages_never_show_a_stack_trace(app, client):
    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = client.get("/boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "일시적인 오류" in html and "secret internals" not in html and "Traceback" not in html
    not_found = client.get("/없는-페이지")
    assert not_found.status_code == 404 and "페이지를 찾을 수 없습니다" in not_found.get_data(
        as_text=True
    )


def test_open_redirects_are_refused_after_log_in(client, auth, users):
    response = client.post(
        "/auth/login?next=https://evil.example/x",
        data={"email": users.resident.email, "password": "correct-horse-battery"},
    )
    assert response.headers["Location"] == "/"


def test_rate_limits_can_live_in_redis_for_several_processes(db_url, tmp_path, users):
    """Two app processes sharing one Redis share one limit (skipped without Redis,
    except in CI, where Redis runs)."""
    import os

    redis = pytest.importorskip("redis")
    try:
        redis.Redis(host="127.0.0.1", port=6379, db=15, socket_connect_timeout=1).flushdb()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    config = base_config(db_url) | {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15",
        "UPLOAD_DIR": str(tmp_path),
    }
    first, second = make_app(config).test_client(), make_app(config).test_client()
    data = {"email": "x@example.com", "password": "y"}
    statuses = [
        (first if i % 2 else second).post("/auth/login", data=data).status_code for i in range(22)
    ]
    assert statuses[:20] == [422] * 20 and statuses[20:] == [429, 429]


def test_maintenance_commands_run_without_a_secret_key_but_serving_needs_one(monkeypatch):
    import sys

    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    monkeypatch.setattr(sys, "argv", ["flask", "--app", "app", "db", "check"])
    assert create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).config["SECRET_KEY"]
    monkeypatch.setattr(sys, "argv", ["flask", "--app", "app", "run"])
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_pages_with_personal_data_are_never_stored_by_browsers_or_proxies(client, auth, users):
    from tests.test_budget_school import make_class

    school_class = make_class(capacity=2)
    private = {
        users.autonomy: [
            f"/budget/school/classes/{school_class.id}/roster",
            f"/budget/school/classes/{school_class.id}/roster.csv",
            "/staff/participation/reports",
        ],
        users.planning: [
            "/policy/contest/staff",
            "/policy/event/staff",
            "/staff/participation/review",
        ],
        users.admin: ["/staff/outbox", "/staff/jobs", "/staff/users"],
        users.audit: ["/cheong/staff/dates"],
        users.resident: [
            "/auth/account",
            "/cheong/date-apply/mine",
            "/cheong/date-apply",
            "/policy/contest/mine",
            "/budget/school",
        ],
    }
    for user, paths in private.items():
        auth.login(user)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            assert response.headers.get("Cache-Control") == "no-store", path
        auth.logout()
    public = client.get("/policy/proposals")
    assert "no-store" not in public.headers.get("Cache-Control", "")


def test_a_gonggam_without_the_csrf_token_is_refused_and_counts_nothing(csrf_client, users):
    """The 공감 route leaves the token to CSRFProtect (no form of its own): still checked."""
    from tests.factories import proposal

    target = proposal(users.resident)
    token = csrf_token_from(csrf_client.get("/auth/login").get_data(as_text=True))
    login = {"email": users.neighbour.email, "password": TEST_PASSWORD, "csrf_token": token}
    assert csrf_client.post("/auth/login", data=login).status_code == 303
    refused = csrf_client.post(f"/policy/proposals/{target.id}/gonggam", data={})
    assert refused.status_code == 400
    assert "보안 토큰" in refused.get_data(as_text=True)
    page = csrf_client.get(f"/policy/proposals/{target.id}").get_data(as_text=True)
    given = csrf_client.post(
        f"/policy/proposals/{target.id}/gonggam", data={"csrf_token": csrf_token_from(page)}
    )
    assert given.status_code == 303
    db.session.refresh(target)
    assert target.gonggam_count == 1


def test_unread_flash_messages_do_not_grow_the_session_cookie(client, auth, users):
    """A client that posts without following the redirects keeps the newest three."""
    from tests.factories import proposal

    auth.login(users.neighbour)
    targets = [proposal(users.resident, title=f"골목 {i}번지 가로등") for i in range(8)]
    sizes = []
    for target in targets:
        client.post(f"/policy/proposals/{target.id}/gonggam", data={})
        sizes.append(len(client.get_cookie("session").value))
    assert sizes[-1] == sizes[3]  # stopped growing once three messages were waiting
    html = client.get("/").get_data(as_text=True)
    assert html.count("공감했습니다.") == 3


def test_the_session_is_written_as_plain_json_and_older_tagged_cookies_still_read(app, client):
    from flask.sessions import SecureCookieSessionInterface

    from gwanak.embeds.sessions import WidgetlessCookieSessions

    ours = WidgetlessCookieSessions().get_signing_serializer(app)
    flasks = SecureCookieSessionInterface().get_signing_serializer(app)
    # A cookie from before (Flask's tagged JSON: the flash tuple tagged " t") still shows.
    older = flasks.dumps({"_flashes": [("success", "공감했습니다.")]})
    client.set_cookie("session", older)
    html = client.get("/").get_data(as_text=True)
    assert "공감했습니다." in html
    # What we write back reads the same way, as plain JSON.
    written = ours.loads(client.get_cookie("session").value)
    assert "_flashes" not in written  # shown, so gone
    assert ours.loads(ours.dumps({"_flashes": [["info", "안내"]], "n": [1, 2]})) == {
        "_flashes": [["info", "안내"]],
        "n": [1, 2],
    }
