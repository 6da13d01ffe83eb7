"""Log-in throttling: slow a password guesser down without ever locking the owner out.

Every attempt is counted *before* its password is checked, by one atomic
compare-and-set UPDATE per key, and committed at once; so however many requests arrive
together, at most the free number of passwords is checked before the wait begins (the
old lock counted after checking, and 40 parallel attempts got 19 checks). After the
free failures each further failure doubles the wait, up to a ceiling.

Keys (all HMAC-SHA256 with SECRET_KEY, so neither addresses nor e-mails are stored):
- (account, address): a guesser on one address against one account;
- address: one address spraying many accounts;
- account: many addresses against one account; its ceiling is short
  (`accounts.login_account_backoff_max_seconds`), so it slows a botnet but cannot keep
  the owner out for long;
- device: after a successful log-in the browser gets a signed device cookie; attempts
  that present it for that account are counted on the device alone, so the owner on their
  own device is never slowed by anybody else's failures (OWASP's "device cookies").

Keys are derived from the typed address even when no such account exists, so the
answers for existing and unknown accounts are the same.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete, select, update

from gwanak.accounts.models import LoginThrottle
from gwanak.core.extensions import db
from gwanak.core.security import client_network
from gwanak.core.settings import get_setting
from gwanak.core.sql import insert_ignoring

DEVICE_COOKIE = "gwanak_device"
DEVICE_COOKIE_DAYS = 365
_CAS_ROUNDS = 60  # compare-and-set retries; each round at least one contender wins


@dataclass(frozen=True)
class _Rule:
    key: str
    free: int
    max_seconds: int


def _digest(*parts: str) -> str:
    message = "|".join(parts).encode()
    return hmac.new(current_app.secret_key.encode(), message, hashlib.sha256).hexdigest()


def address_key(address: str | None) -> str:
    """The stored form of a client address: a keyed hash, never the address."""
    return _digest("address", client_network(address))


def _account(email: str) -> str:
    return _digest("account", email.strip().lower())


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="login-device")


def new_device_token(email: str) -> str:
    """The device cookie's value: which account it is for, and a random device id."""
    return _serializer().dumps({"a": _account(email)[:32], "d": secrets.token_hex(16)})


def _device_id(token: str | None, email: str) -> str | None:
    if not token:
        return None
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("a") != _account(email)[:32]:
        return None
    device = data.get("d")
    return device if isinstance(device, str) else None


def _rules(email: str, address: str | None, device: str | None) -> list[_Rule]:
    free = get_setting("accounts.login_free_failures")
    ceiling = get_setting("accounts.login_backoff_max_seconds")
    if device is not None:
        return [_Rule(_digest("device", device), free, ceiling)]
    net = client_network(address)
    return [
        _Rule(_digest("pair", email.strip().lower(), net), free, ceiling),
        _Rule(address_key(address), get_setting("accounts.login_address_free_failures"), ceiling),
        _Rule(
            _account(email),
            get_setting("accounts.login_account_free_failures"),
            get_setting("accounts.login_account_backoff_max_seconds"),
        ),
    ]


@dataclass
class Attempt:
    """A counted attempt: `wait_until` is set when it was refused (no password check)."""

    email: str
    address: str | None
    device: str | None
    rules: list[_Rule]
    wait_until: datetime | None = None
    device_token: str | None = None


def begin_attempt(email: str, address: str | None, device_token: str | None, now) -> Attempt:
    """Count an attempt on every key before any password is checked; refuse while a key waits."""
    device = _device_id(device_token, email)
    rules = _rules(email, address, device)
    attempt = Attempt(email, address, device, rules)
    # Look first, without counting, so a waiting key does not grow the others.
    waits = db.session.scalars(
        select(LoginThrottle.blocked_until).where(
            LoginThrottle.key.in_([r.key for r in rules]), LoginThrottle.blocked_until > now
        )
    ).all()
    db.session.rollback()
    if waits:
        attempt.wait_until = max(waits)
        return attempt
    for rule in rules:
        until = _claim(rule, now)
        if until is not None:
            attempt.wait_until = until
            return attempt
    return attempt


def attempt_succeeded(attempt: Attempt) -> None:
    """The password was right: forget this account's failures; give the address its
    count back (an office full of people logging in is not an attacker)."""
    own = [r.key for r in attempt.rules if r.key != address_key(attempt.address)]
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.key.in_(own)))
    if attempt.device is None:
        db.session.execute(
            update(LoginThrottle)
            .where(LoginThrottle.key == address_key(attempt.address), LoginThrottle.failures > 0)
            .values(failures=LoginThrottle.failures - 1)
        )
        attempt.device_token = new_device_token(attempt.email)
    db.session.commit()


def _backoff(failures: int, rule: _Rule) -> timedelta:
    first = get_setting("accounts.login_backoff_seconds")
    doublings = min(failures - rule.free, 30)
    return timedelta(seconds=min(rule.max_seconds, first * 2**doublings))


def _claim(rule: _Rule, now: datetime) -> datetime | None:
    """Count one failure-to-be on a key, atomically. None: go ahead; else wait until then."""
    forget = timedelta(hours=get_setting("accounts.login_forget_hours"))
    for _ in range(_CAS_ROUNDS):
        row = db.session.execute(
            select(
                LoginThrottle.failures, LoginThrottle.last_failure_at, LoginThrottle.blocked_until
            ).where(LoginThrottle.key == rule.key)
        ).first()
        if row is None:
            blocked = now + _backoff(1, rule) if rule.free <= 1 else None
            inserted = _insert_ignore(rule.key, now, blocked)
            db.session.commit()
            if inserted:
                return None
            continue
        failures, last, blocked = row
        if blocked is not None and blocked > now:
            db.session.rollback()
            return blocked
        counted = 0 if last is not None and now - last >= forget else failures
        new = counted + 1
        changed = db.session.execute(
            update(LoginThrottle)
            .where(LoginThrottle.key == rule.key, LoginThrottle.failures == failures)
            .values(
                failures=new,
                last_failure_at=now,
                blocked_until=now + _backoff(new, rule) if new >= rule.free else None,
            )
        ).rowcount
        db.session.commit()
        if changed == 1:
            return None
    return now + timedelta(seconds=1)  # contention beyond reason: treat as a wait


def _insert_ignore(key: str, now: datetime, blocked: datetime | None) -> bool:
    values = {"key": key, "failures": 1, "last_failure_at": now, "blocked_until": blocked}
    return insert_ignoring(db.session, LoginThrottle, values)
