"""Attacks on accounts, each reproduced: a poisoned reset link, cookies that outlive
log-out, reset links that outlive a reset, and password guessing (alone, in parallel,
from many addresses) that must neither succeed nor lock the owner out."""

from __future__ import annotations

import re
import threading
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import select, text

from gwanak import create_app
from gwanak.accounts import operations as account_ops
from gwanak.accounts.models import LoginThrottle
from gwanak.core.extensions import db
from gwanak.core.mail import OutboxMail
from gwanak.core.settings import set_setting
from tests.conftest import TEST_PASSWORD, base_config

START = datetime(2026, 3, 2, 1, 0)
LOCKED_WORDS = ("잠겼", "잠금")


def _latest_mail() -> OutboxMail:
    return db.session.scalars(select(OutboxMail).order_by(OutboxMail.id.desc())).first()


def _link_in(mail: OutboxMail) -> str:
    return re.search(r"\S+/auth/reset/[\w-]+", mail.body).group(0)


def _login(client, email, password, ip="10.0.0.1"):
    return client.post(
        "/auth/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": ip},
    )


# ---------------------------------------------------------------- 1. reset link host


def test_the_reset_link_goes_to_the_public_address_whatever_host_the_request_names(
    app, client, users
):
    app.config["PUBLIC_BASE_URL"] = "https://gwanak.example.kr"
    client.post(
        "/auth/reset",
        data={"email": users.resident.email},
        headers={"Host": "evil.example", "X-Forwarded-Host": "evil.example"},
    )
    link = _link_in(_latest_mail())
    assert link.startswith("https://gwanak.example.kr/auth/reset/")
    assert "evil" not in _latest_mail().body


def test_behind_a_trusted_proxy_x_forwarded_host_does_not_poison_the_reset_link(
    db_url, tmp_path, users
):
    proxied = create_app(
        base_config(db_url)
        | {
            "TRUST_PROXY": True,
            "PUBLIC_BASE_URL": "https://gwanak.example.kr",
            "UPLOAD_DIR": str(tmp_path),
        }
    )
    with proxied.app_context():
        proxied.test_client().post(
            "/auth/reset",
            data={"email": users.resident.email},
            headers={"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http"},
        )
        link = _link_in(_latest_mail())
        db.session.remove()
    assert urlsplit(link).netloc == "gwanak.example.kr"


def test_the_date_mail_links_to_the_public_address_too(app, users):
    from gwanak.core.mail import public_url

    app.config["PUBLIC_BASE_URL"] = "https://gwanak.example.kr/portal"
    with app.test_request_context("/", headers={"Host": "evil.example"}):
        assert (
            public_url("cheong.my_applications")
            == "https://gwanak.example.kr/portal/cheong/date-apply/mine"
        )
    assert public_url("auth.login") == "https://gwanak.example.kr/portal/auth/login"


# ---------------------------------------------------------------- 5. log-out


def test_log_out_ends_the_session_and_the_remember_me_cookie_on_the_server(
    app, client, auth, users
):
    auth.login(users.resident, remember=True)
    session_cookie = client.get_cookie("session").value
    remember_cookie = client.get_cookie("remember_token").value

    def thief(**cookies):
        other = app.test_client()
        for name, value in cookies.items():
            other.set_cookie(name, value)
        return other.get("/auth/account").status_code

    assert thief(session=session_cookie) == 200  # a copied cookie works while logged in …
    assert thief(remember_token=remember_cookie) == 200
    auth.logout()
    assert thief(session=session_cookie) == 302  # … and not after log-out
    assert thief(remember_token=remember_cookie) == 302
    assert auth.login(users.resident).status_code == 303  # the owner logs in again


# ---------------------------------------------------------------- 11. reset links


def test_after_a_reset_the_other_reset_links_stop_working(client, auth, users):
    client.post("/auth/reset", data={"email": users.resident.email})
    first = urlsplit(_link_in(_latest_mail())).path
    client.post("/auth/reset", data={"email": users.resident.email})
    second = urlsplit(_link_in(_latest_mail())).path
    assert first != second
    new = {"password": "reset-password-1", "password2": "reset-password-1"}
    assert client.post(second, data=new).status_code == 303
    assert client.get(first).status_code == 410
    stolen = {"password": "attacker-pass-1", "password2": "attacker-pass-1"}
    assert client.post(first, data=stolen).status_code == 410
    assert auth.login(users.resident, "attacker-pass-1").status_code == 422
    assert auth.login(users.resident, "reset-password-1").status_code == 303


def test_a_password_change_also_ends_reset_links_still_out(client, auth, users):
    client.post("/auth/reset", data={"email": users.resident.email})
    link = urlsplit(_link_in(_latest_mail())).path
    auth.login(users.resident)
    client.post(
        "/auth/account/password",
        data={
            "current_password": TEST_PASSWORD,
            "password": "brand-new-pass",
            "password2": "brand-new-pass",
        },
    )
    assert client.get(link).status_code == 410


# ---------------------------------------------------------------- 6. guessing


def test_five_wrong_passwords_from_an_attacker_do_not_lock_out_the_admin(
    client, users, frozen, app
):
    frozen(START)
    for target in (users.admin, users.mayor):
        for _ in range(12):
            html = _login(app.test_client(), target.email, "guess", ip="198.51.100.66")
            assert not any(word in html.get_data(as_text=True) for word in LOCKED_WORDS)
        # The owner, from their own address, logs in at once — and again next time.
        assert _login(app.test_client(), target.email, TEST_PASSWORD).status_code == 303
        assert _login(app.test_client(), target.email, TEST_PASSWORD).status_code == 303


def test_the_owner_on_their_own_device_gets_in_during_an_attack_from_many_addresses(
    app, users, frozen
):
    frozen(START)
    owner = app.test_client()
    assert _login(owner, users.mayor.email, TEST_PASSWORD, ip="10.1.1.1").status_code == 303
    assert owner.get_cookie("gwanak_device", path="/auth/login") is not None
    owner.post("/auth/logout")
    set_setting("accounts.login_account_free_failures", 10)
    db.session.commit()
    for n in range(15):  # a botnet: many addresses, a guess each
        _login(app.test_client(), users.mayor.email, "guess", ip=f"203.0.113.{n}")
    # Anybody else is slowed down on this account now …
    stranger = _login(app.test_client(), users.mayor.email, TEST_PASSWORD, ip="10.9.9.9")
    assert "로그인 시도가 너무 많습니다" in stranger.get_data(as_text=True)
    # … but the owner's browser, known by its device cookie, is not, from any address.
    assert _login(owner, users.mayor.email, TEST_PASSWORD, ip="10.9.9.9").status_code == 303


def test_the_account_wide_wait_never_grows_past_its_short_ceiling(app, users, frozen):
    set_setting("accounts.login_account_free_failures", 3)
    db.session.commit()
    moment = START
    frozen(moment)
    for n in range(40):  # a long attack from ever new addresses
        _login(app.test_client(), users.mayor.email, "guess", ip=f"203.0.113.{n}")
        moment += timedelta(seconds=5)
        frozen(moment)
    page = _login(app.test_client(), users.mayor.email, TEST_PASSWORD, ip="10.9.9.9")
    if page.status_code != 303:
        seconds = int(re.search(r"(\d+)초 뒤에", page.get_data(as_text=True)).group(1))
        assert seconds <= 60
        frozen(moment + timedelta(seconds=seconds))
        page = _login(app.test_client(), users.mayor.email, TEST_PASSWORD, ip="10.9.9.9")
    assert page.status_code == 303


def test_the_throttle_message_does_not_tell_whether_the_account_exists(app, users, frozen):
    frozen(START)
    answers = {}
    for email in (users.resident.email, "nobody@example.com"):
        client = app.test_client()
        pages = [_login(client, email, "guess").get_data(as_text=True) for _ in range(6)]
        answers[email] = [re.search(r'role="alert"><p>([^<]+)', p).group(1) for p in pages]
    known, unknown = answers.values()
    assert known == unknown
    assert known[0] == "이메일 또는 비밀번호가 올바르지 않습니다."
    assert known[-1] == "로그인 시도가 너무 많습니다. 1초 뒤에 다시 시도하세요."


def test_waits_double_after_the_free_failures_and_the_right_password_then_works(app, users, frozen):
    frozen(START)
    client = app.test_client()
    for _ in range(5):
        assert "올바르지 않습니다" in _login(client, users.resident.email, "bad").get_data(
            as_text=True
        )
    moment = START
    for wait in (1, 2, 4, 8):
        refused = _login(client, users.resident.email, TEST_PASSWORD)
        assert refused.status_code == 422 and f"{wait}초 뒤에" in refused.get_data(as_text=True)
        moment += timedelta(seconds=wait)
        frozen(moment)
        assert "올바르지 않습니다" in _login(client, users.resident.email, "bad").get_data(
            as_text=True
        )
    moment += timedelta(seconds=16)
    frozen(moment)
    assert _login(client, users.resident.email, TEST_PASSWORD).status_code == 303
    # Success forgets the failures: the next mistake is free again.
    client.post("/auth/logout")
    assert "올바르지 않습니다" in _login(client, users.resident.email, "bad").get_data(as_text=True)


def test_forty_parallel_guesses_check_no_more_passwords_than_allowed(app, users, monkeypatch):
    set_setting("accounts.login_free_failures", 5)
    db.session.commit()
    checks: list[str] = []
    lock = threading.Lock()
    real_check = account_ops.check_password_hash

    def counting_check(hash_value, password):
        with lock:
            checks.append(password)
        return real_check(hash_value, password)

    monkeypatch.setattr(account_ops, "check_password_hash", counting_check)
    email, barrier = users.admin.email, threading.Barrier(40)
    errors: list[BaseException] = []

    def guess(n: int) -> None:
        with app.app_context():
            try:
                with app.test_request_context("/auth/login", method="POST"):
                    barrier.wait()
                    account_ops.authenticate(email, f"guess-{n}", address="198.51.100.7")
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(checks) == 5
    db.engine.dispose()


def test_no_address_or_email_is_stored_in_clear(app, users, frozen):
    frozen(START)
    _login(app.test_client(), users.resident.email, "bad", ip="198.51.100.23")
    rows = db.session.execute(text("SELECT * FROM login_throttles")).all()
    assert len(rows) == 3
    joined = " ".join(str(v) for row in rows for v in row)
    assert "198.51.100" not in joined and users.resident.email not in joined
    assert all(re.fullmatch(r"[0-9a-f]{64}", row[0]) for row in rows)


def test_thresholds_are_settings(app, users, frozen):
    frozen(START)
    set_setting("accounts.login_free_failures", 2)
    db.session.commit()
    client = app.test_client()
    _login(client, users.resident.email, "bad")
    _login(client, users.resident.email, "bad")
    third = _login(client, users.resident.email, TEST_PASSWORD)
    assert "로그인 시도가 너무 많습니다" in third.get_data(as_text=True)


def test_a_device_cookie_of_another_account_gives_no_way_around_the_account_count(
    app, users, frozen
):
    from gwanak.accounts.throttle import _account

    frozen(START)
    attacker = app.test_client()
    _login(attacker, users.neighbour.email, TEST_PASSWORD)  # the attacker's own account
    attacker.post("/auth/logout")
    for _ in range(5):
        _login(attacker, users.resident.email, "bad")
    # The device cookie is for another account: the failures count against the
    # target account as a whole, as from any stranger.
    counted = db.session.get(LoginThrottle, _account(users.resident.email))
    assert counted is not None and counted.failures == 5
