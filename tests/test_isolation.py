"""The test harness itself: requests and commands run as on a real server, each in its
own app context, and the test's set-up is committed before them (tests/conftest.py)."""

from __future__ import annotations

from flask import g
from flask_login import current_user

from gwanak.accounts.models import User
from gwanak.core.extensions import db
from tests.factories import make_user


def test_each_request_has_its_own_g_user_and_session(app, client, auth, users):
    seen = []

    @app.route("/probe")
    def probe():
        seen.append((g._get_current_object(), db.session(), "marker" in g, current_user.name))
        return "ok"

    g.marker = "the test's"
    auth.login(users.resident)
    client.get("/probe")
    auth.logout()
    auth.login(users.neighbour)
    client.get("/probe")
    (first_g, first_session, first_marker, first_name), (second_g, second_session, *_, name) = seen
    assert first_g is not g._get_current_object() and first_g is not second_g
    assert first_session is not db.session() and first_session is not second_session
    assert not first_marker
    assert (first_name, name) == ("김철우", "이영희")


def test_a_request_sees_the_tests_setup_and_the_test_sees_what_it_wrote(app, client):
    @app.route("/rename/<int:uid>")
    def rename(uid: int):
        user = db.session.get(User, uid)
        before = user.name
        user.name = "요청이 바꾼 이름"
        db.session.commit()
        return before

    user = make_user(name="처음 이름")
    user.name = "커밋 전 이름"  # not committed by the test: committed before the request
    assert client.get(f"/rename/{user.id}").get_data(as_text=True) == "커밋 전 이름"
    assert user.name == "요청이 바꾼 이름"


def test_a_command_runs_in_its_own_app_context(app, runner):
    seen = []

    @app.cli.command("probe")
    def probe():
        seen.append((g._get_current_object(), db.session()))

    assert runner.invoke(args=["probe"]).exit_code == 0
    assert seen[0][0] is not g._get_current_object() and seen[0][1] is not db.session()
