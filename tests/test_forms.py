"""Form messages reach people in Korean, whichever library wrote them."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DateTimeLocalField,
    DecimalField,
    FloatField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TimeField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange

from gwanak.core.forms import CSRF_MESSAGE, PortalForm

ENGLISH = re.compile(r"[A-Za-z]{3,}")
HANGUL = re.compile("[가-힣]")


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_form_of_the_portal_derives_from_the_korean_base_form(app):
    ours = {f for f in _subclasses(FlaskForm) if f.__module__.startswith("gwanak.")}
    assert len(ours) > 40
    strays = sorted(f"{f.__module__}.{f.__name__}" for f in ours if not issubclass(f, PortalForm))
    assert not strays


class EveryKind(PortalForm):
    number = IntegerField("수")
    amount = DecimalField("금액")
    ratio = FloatField("비율")
    day = DateField("날짜")
    moment = DateTimeLocalField("일시")
    hour = TimeField("시각")
    pick = SelectField("고르기", choices=[("a", "가")])
    picks = SelectMultipleField("여럿 고르기", choices=[("a", "가")])
    radio = RadioField("하나", choices=[(1, "가")], coerce=int)
    needed = StringField("필수", validators=[DataRequired()])
    present = StringField("입력", validators=[InputRequired()])
    email = StringField("메일", validators=[Email()])
    short = StringField("짧게", validators=[Length(max=2)])
    ranged = IntegerField("범위", validators=[NumberRange(min=1, max=5)])


def test_wtforms_built_in_messages_are_korean(app):
    bad = {
        "number": "열",
        "amount": "많이",
        "ratio": "x",
        "day": "2024-02-30",
        "moment": "어제",
        "hour": "25:99",
        "pick": "z",
        "picks": "z",
        "radio": "z",
        "needed": "",
        "email": "not-an-address",
        "short": "세 글자",
        "ranged": "9",
    }
    with app.test_request_context(method="POST", data=bad):
        form = EveryKind()
        assert not form.validate()
        messages = {name: errors for name, errors in form.errors.items()}
    assert set(messages) == set(bad) | {"present"}
    for name, errors in messages.items():
        for message in errors:
            assert HANGUL.search(message) and not ENGLISH.search(message), (name, message)


def test_a_missing_csrf_token_is_explained_in_korean(app):
    app.config["WTF_CSRF_ENABLED"] = True
    with app.test_request_context(method="POST", data={"needed": "x", "present": "x"}):
        form = EveryKind()
        form.validate()
        assert form.csrf_token.errors == [CSRF_MESSAGE]


def _ids(html: str) -> list[str]:
    return re.findall(r'\sid="([^"]+)"', html)


def test_pages_with_several_forms_repeat_no_id(app, client, auth, users):
    auth.login(users.resident)
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get("/auth/account").get_data(as_text=True)
    assert page.count('name="csrf_token"') >= 2
    ids = _ids(page)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_a_wrong_choice_and_a_wrong_date_on_real_forms_get_korean_messages(client, auth, users):
    signup = client.post(
        "/auth/signup",
        data={
            "email": "new@example.com",
            "password": "long-enough-password",
            "password2": "long-enough-password",
            "name": "새주민",
            "relation": "거주",
            "dong": "gangnam",
            "consent": "y",
        },
    )
    assert signup.status_code == 422
    assert "Not a valid" not in signup.get_data(as_text=True)
    assert "목록에 있는 값을 고르세요." in signup.get_data(as_text=True)

    auth.login(users.planning)
    agenda = client.post(
        "/policy/asks/new",
        data={"kind": "일반의제", "title": "제목", "body": "내용", "opens_on": "내일"},
    )
    page = agenda.get_data(as_text=True)
    assert agenda.status_code == 422
    assert "Not a valid" not in page and "This field" not in page
    assert "날짜를 2026-03-01 형식으로 입력하세요." in page
