"""Hostile input at the edge answers with a Korean message, never a 500: control
characters in text fields, JSON bodies on form routes, NUL in addresses, values the
database refuses, and a JSON file nested deeper than any catalogue."""

from __future__ import annotations

import importlib
import inspect
import io
import pkgutil

import pytest
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from sqlalchemy.exc import DataError
from werkzeug.routing import IntegerConverter
from wtforms import StringField, TextAreaField

import gwanak
from gwanak.accounts.models import User
from gwanak.core.extensions import db
from gwanak.core.forms import CONTROL_MESSAGE, PortalForm
from gwanak.participation.models import Comment, Proposal
from tests.factories import proposal

GOOD_PROPOSAL = {
    "title": "골목길 가로등을 밝게 해 주세요",
    "body": "밤에 골목이 어둡습니다.",
    "category": "안전",
    "dong": "boramae",
}


def _form_classes() -> list[type]:
    found = []
    for module in pkgutil.walk_packages(gwanak.__path__, "gwanak."):
        if not module.name.endswith("forms"):
            continue
        for _, cls in inspect.getmembers(importlib.import_module(module.name), inspect.isclass):
            if issubclass(cls, FlaskForm) and cls.__module__ == module.name:
                found.append(cls)
    return found


def test_every_form_of_the_portal_derives_from_the_guarded_base():
    classes = _form_classes()
    assert len(classes) > 40
    assert [c.__name__ for c in classes if not issubclass(c, PortalForm)] == []


def test_the_base_form_refuses_control_characters_by_the_field(app):
    class Sample(PortalForm):
        title = StringField("제목")
        body = TextAreaField("내용")

    with app.test_request_context(method="POST"):
        cases = {
            ("a\x00b", "ok"): "title",
            ("ok", "a\x00b"): "body",
            ("첫줄\r\nBcc: x", "ok"): "title",
            ("사진\u202egnp.exe", "ok"): "title",
            ("ok", "\x1b[31m"): "body",
            ("ok", "줄\r\n바꿈\t탭"): None,  # a multi-line field keeps its lines
        }
        for (title, body), bad in cases.items():
            form = Sample(data={"title": title, "body": body}, meta={"csrf": False})
            assert form.validate() is (bad is None), (title, body)
            if bad:
                assert form.errors == {bad: [CONTROL_MESSAGE]}


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", "가로등\x00"), ("body", "내용\x00입니다"), ("title", "가로등\r\nBcc: a@b.c")],
)
def test_a_proposal_with_a_nul_byte_is_refused_by_the_field_and_nothing_is_saved(
    client, auth, users, field, value
):
    auth.login(users.resident)
    response = client.post("/policy/proposals/new", data={**GOOD_PROPOSAL, field: value})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert CONTROL_MESSAGE in html and f'id="{field}-error"' in html
    assert db.session.scalar(select(func.count(Proposal.id))) == 0


def test_comments_and_sign_ups_refuse_nul_too(client, auth, users):
    p = proposal(users.resident)
    auth.login(users.neighbour)
    response = client.post(f"/discussions/{p.discussion_id}/comments", data={"body": "좋아요\x00"})
    assert response.status_code == 422 and CONTROL_MESSAGE in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Comment.id))) == 0
    auth.logout()
    response = client.post(
        "/auth/signup",
        data={
            "email": "new@example.com", "password": "a-long-password",
            "password2": "a-long-password", "name": "김\x00철우", "relation": "거주",
            "dong": "boramae", "consent": "y",
        },
    )  # fmt: skip
    assert response.status_code == 422 and CONTROL_MESSAGE in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.email == "new@example.com")) is None


def _post_routes(app) -> list[str]:
    paths = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        values = {}
        for name in rule.arguments:
            if name in (rule.defaults or {}):  # given by the route, not the URL
                continue
            converter = rule._converters[name]
            items = getattr(converter, "items", None)  # <any(a, b):name>
            if items:
                values[name] = sorted(items)[0]
            else:
                numeric = isinstance(converter, IntegerConverter)
                values[name] = 2024 if name == "year" else (1 if numeric else "x")
        paths.append(rule.build(values, append_unknown=False)[1])
    return paths


@pytest.mark.parametrize("who", [None, "resident", "planning", "admin"])
def test_json_bodies_on_every_form_route_are_refused_with_415_not_500(app, auth, users, who):
    client = app.test_client()
    if who:
        auth.__class__(client).login(getattr(users, who))
    paths = _post_routes(app)
    assert len(paths) > 60
    for path in paths:
        for body in ({"title": "x"}, [1, [2, {"a": None}]], "문자열"):
            response = client.post(path, json=body)
            assert response.status_code == 415, (path, response.status_code)
            assert "웹 양식으로 보낸 내용만" in response.get_data(as_text=True)
    # A plain-text body is no form either; an empty POST still reaches the route.
    assert client.post("/auth/login", data="x", content_type="text/plain").status_code == 415
    assert client.post("/auth/login").status_code in (200, 302, 303, 422)


def test_nul_in_the_address_or_query_is_a_korean_400(client):
    for path in ("/policy/proposals?q=%00", "/policy/proposals?%00=1", "/pages/a%00b"):
        response = client.get(path)
        assert response.status_code == 400, path
        assert "잘못된 요청" in response.get_data(as_text=True)


def test_a_value_the_database_refuses_is_a_400_and_the_session_is_clean(app, client, users):
    @app.route("/test-data-error")
    def data_error():
        db.session.add(User(email="half@example.com", password_hash="!", name="반쯤"))
        db.session.flush()
        raise DataError("INSERT …", {}, Exception("invalid byte sequence"))

    response = client.get("/test-data-error")
    assert response.status_code == 400 and "잘못된 요청" in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.email == "half@example.com")) is None


def test_a_deeply_nested_json_import_is_a_korean_error_not_a_recursion_error(client, auth, users):
    from gwanak.manifesto.catalogue import import_catalogue

    for depth in (100_000, 40):
        nested = '{"areas": [' + "[" * depth + "]" * depth + "]}"
        report = import_catalogue(nested, "json")
        assert not report.ok and "너무 깊게 중첩" in report.problems[0].message
    auth.login(users.planning)
    nested = "[" * 100_000 + "]" * 100_000
    response = client.post(
        "/manifesto/manage",
        data={"file": (io.BytesIO(nested.encode()), "deep.json")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and "너무 깊게 중첩" in response.get_data(as_text=True)


def test_a_csv_import_with_a_nul_byte_is_a_korean_error(app):
    from gwanak.manifesto.catalogue import import_catalogue

    report = import_catalogue("record,code\x00\narea,1\n", "csv")
    assert not report.ok
