"""Residents sign up, log in, reset a forgotten password and leave."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import func, select

from gwanak.accounts.models import User
from gwanak.accounts.operations import DELETED_NAME
from gwanak.core.extensions import db
from gwanak.core.mail import OutboxMail
from tests.conftest import TEST_PASSWORD

GOOD_SIGNUP = {
    "email": "Resident@Example.com ",
    "password": "a-long-password",
    "password2": "a-long-password",
    "name": "김철우",
    "relation": "거주",
    "dong": "boramae",
    "consent": "y",
}


def signup(client, **changes):
    return client.post("/auth/signup", data={**GOOD_SIGNUP, **changes})


def test_a_resident_signs_up_confirms_by_mail_and_logs_in(client, auth):
    response = signup(client)
    assert response.status_code == 303 and response.headers["Location"] == "/auth/login"
    user = db.session.scalar(select(User).where(User.email == "resident@example.com"))
    assert user.role == "resident" and user.dong == "boramae" and user.relation == "거주"
    assert user.privacy_consented_at is not None
    assert user.password_hash.startswith("scrypt:")
    assert user.verification_level == 0
    # Before confirming, the resident may log in and read.
    auth.login("resident@example.com", "a-long-password")
    assert "김철우님" in client.get("/").get_data(as_text=True)
    mail = db.session.scalars(select(OutboxMail).where(OutboxMail.to_user_id == user.id)).one()
    link = re.search(r"https?://\S+/auth/confirm/\S+", mail.body).group(0)
    assert client.get(urlsplit(link).path).status_code == 303
    db.session.refresh(user)
    assert user.verification_level == 1 and user.email_confirmed_at is not None


def test_bad_sign_ups_show_korean_errors_by_the_field_and_save_nothing(client):
    cases = {
        "email": ({"email": "not-an-email"}, "올바른 이메일 주소"),
        "password": ({"password": "short", "password2": "short"}, "10자 이상"),
        "password2": ({"password2": "different-password"}, "두 비밀번호가 같지 않습니다"),
        "name": ({"name": "   "}, "이름을(를) 입력하세요"),
        "relation": ({"relation": "외계"}, "관계"),
        "dong": ({"dong": "gangnam"}, "동을 고르세요"),
        "consent": ({"consent": ""}, "동의해야"),
        "long name": ({"name": "가" * 41}, "40자 이하"),
    }
    for label, (change, message) in cases.items():
        response = signup(client, **change)
        html = response.get_data(as_text=True)
        assert response.status_code == 422, label
        assert message in html, label
        assert 'aria-invalid="true"' in html, label
    assert db.session.scalar(select(User)) is None


def test_an_email_can_sign_up_only_once_and_the_answer_does_not_tell(client, users):
    fresh = signup(client, email="new-person@example.com")
    fresh_page = client.get("/auth/login").get_data(as_text=True)
    taken = signup(client, email=users.resident.email.upper())
    taken_page = client.get("/auth/login").get_data(as_text=True)
    assert taken.status_code == fresh.status_code == 303
    assert taken.headers["Location"] == fresh.headers["Location"]
    assert "가입 확인 메일을 보냈습니다" in taken_page and "이미 가입" not in taken_page
    assert fresh_page.replace("csrf", "").count("flash") == taken_page.count("flash")
    count = select(func.count()).select_from(User)
    assert db.session.scalar(count.where(func.lower(User.email) == users.resident.email)) == 1
    # The owner is told by mail instead.
    mail = db.session.scalars(select(OutboxMail).order_by(OutboxMail.id.desc())).first()
    assert mail.to_user_id == users.resident.id and "이미 가입된 주소" in mail.body


def test_log_in_log_out_and_remember_me(client, auth, users):
    response = auth.login(users.resident, remember=True)
    assert response.status_code == 303
    assert "remember_token" in response.headers.get("Set-Cookie", "") or any(
        "remember_token" in h for h in response.headers.getlist("Set-Cookie")
    )
    assert "로그아웃" in client.get("/").get_data(as_text=True)
    auth.logout()
    assert "로그인" in client.get("/").get_data(as_text=True)


def test_wrong_password_says_so_without_revealing_whether_the_account_exists(client, auth, users):
    wrong = auth.login(users.resident, "wrong-password")
    unknown = auth.login("nobody@example.com", "wrong-password")
    assert wrong.status_code == unknown.status_code == 422
    message = "이메일 또는 비밀번호가 올바르지 않습니다."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)


def test_changing_the_password_ends_other_sessions(app, client, auth, users):
    other = app.test_client()
    auth.login(users.resident)
    other.post("/auth/login", data={"email": users.resident.email, "password": TEST_PASSWORD})
    response = client.post(
        "/auth/account/password",
        data={
            "current_password": TEST_PASSWORD,
            "password": "brand-new-pass",
            "password2": "brand-new-pass",
        },
    )
    assert response.status_code == 303
    assert client.get("/auth/account").status_code == 200
    assert other.get("/auth/account").status_code == 302  # logged out: sent to log in
    assert auth.login(users.resident, "brand-new-pass").status_code in (302, 303)


def test_change_password_needs_the_current_one(client, auth, users):
    auth.login(users.resident)
    response = client.post(
        "/auth/account/password",
        data={
            "current_password": "wrong",
            "password": "brand-new-pass",
            "password2": "brand-new-pass",
        },
    )
    assert response.status_code == 422
    assert "현재 비밀번호가 올바르지 않습니다" in response.get_data(as_text=True)


def _reset_link() -> str:
    mail = db.session.scalars(select(OutboxMail).order_by(OutboxMail.id.desc())).first()
    return re.search(r"https?://[^\s]+/auth/reset/[\w-]+", mail.body).group(0)


def _reset_path() -> str:
    return urlsplit(_reset_link()).path


def test_password_reset_by_mailed_token_is_single_use(client, auth, users):
    response = client.post("/auth/reset", data={"email": users.resident.email})
    assert response.status_code == 303
    path = _reset_path()
    assert client.get(path).status_code == 200
    response = client.post(
        path, data={"password": "reset-password-1", "password2": "reset-password-1"}
    )
    assert response.status_code == 303
    assert auth.login(users.resident, "reset-password-1").status_code == 303
    assert client.get(path).status_code == 410  # used


def test_reset_token_expires(client, users, frozen):
    start = datetime(2026, 3, 2, 1, 0)
    frozen(start)
    client.post("/auth/reset", data={"email": users.resident.email})
    path = _reset_path()
    frozen(start + timedelta(minutes=59))
    assert client.get(path).status_code == 200
    frozen(start + timedelta(minutes=61))
    assert client.get(path).status_code == 410
    response = client.post(
        path, data={"password": "reset-password-1", "password2": "reset-password-1"}
    )
    assert response.status_code == 410


def test_reset_for_an_unknown_address_sends_nothing_but_says_the_same(client):
    response = client.post(
        "/auth/reset", data={"email": "nobody@example.com"}, follow_redirects=True
    )
    assert "재설정 링크를 보냈습니다" in response.get_data(as_text=True)
    assert db.session.scalar(select(OutboxMail)) is None


def test_deleting_the_account_erases_personal_data_and_keeps_the_row(client, auth, users):
    auth.login(users.resident)
    email = users.resident.email
    bad = client.post("/auth/account/delete", data={"password": "wrong", "confirm": "y"})
    assert bad.status_code == 422
    response = client.post("/auth/account/delete", data={"password": TEST_PASSWORD, "confirm": "y"})
    assert response.status_code == 303
    db.session.expire_all()
    user = db.session.get(User, users.resident.id)
    assert user.deleted_at is not None and user.name == DELETED_NAME
    assert user.email != email and user.dong is None and user.relation is None
    assert client.get("/auth/account").status_code == 302
    assert auth.login(email).status_code == 422


def test_the_sign_up_form_states_purpose_items_and_retention(client):
    html = client.get("/auth/signup").get_data(as_text=True)
    assert (
        "회원 식별" in html
        and "이메일, 이름, 관악구와의 관계" in html
        and "회원 탈퇴 시까지" in html
    )
    assert "built-in method" not in html
