"""Account operations: plain functions that own their transaction's rules."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from gwanak.accounts import throttle, verification
from gwanak.accounts.models import Level, PasswordResetToken, Role, User
from gwanak.accounts.organisation import require_active
from gwanak.core import clock
from gwanak.core.audit import record_audit
from gwanak.core.extensions import db
from gwanak.core.mail import public_url, send_mail
from gwanak.core.menus import dong
from gwanak.core.operations import OperationError
from gwanak.core.settings import SettingSpec, get_setting

# scrypt is memory-hard and ships with werkzeug: no extra dependency.
HASH_METHOD = "scrypt"
DELETED_NAME = "탈퇴한 회원"

# Rules as data: installed by this feature (Feature.settings).
SETTINGS = (
    # Log-in throttling (accounts/throttle.py): no account is ever locked; after the
    # free failures each further one doubles the wait, per key.
    SettingSpec(
        "accounts.login_free_failures",
        "한 계정에 같은 주소·기기에서 기다림 없이 허용하는 로그인 실패 횟수",
        5,
        minimum=1,
        maximum=100,
    ),
    SettingSpec(
        "accounts.login_address_free_failures",
        "한 주소에서 (모든 계정 합쳐) 기다림 없이 허용하는 로그인 실패 횟수",
        20,
        minimum=1,
        maximum=1000,
    ),
    SettingSpec(
        "accounts.login_account_free_failures",
        "한 계정에 (처음 보는 기기 모두 합쳐) 기다림 없이 허용하는 로그인 실패 횟수",
        20,
        minimum=1,
        maximum=1000,
    ),
    SettingSpec(
        "accounts.login_backoff_seconds",
        "허용 횟수를 넘긴 첫 실패 뒤 기다리는 시간(초, 실패마다 두 배)",
        1,
        minimum=1,
        maximum=3600,
    ),
    SettingSpec(
        "accounts.login_backoff_max_seconds",
        "로그인 실패 뒤 가장 긴 기다림(초, 주소·기기별)",
        900,
        minimum=1,
        maximum=86400,
    ),
    SettingSpec(
        "accounts.login_account_backoff_max_seconds",
        "계정 전체 기준 가장 긴 기다림(초): 짧게 두어 계정 주인이 잠기지 않게 함",
        60,
        minimum=1,
        maximum=3600,
    ),
    SettingSpec(
        "accounts.login_forget_hours",
        "실패가 없으면 실패 횟수를 잊는 시간(시간)",
        24,
        minimum=1,
        maximum=720,
    ),
    SettingSpec(
        "accounts.reset_token_minutes", "비밀번호 재설정 링크 유효 시간(분)", 60, minimum=5
    ),
    SettingSpec(
        "accounts.confirm_token_hours", "가입 확인(이메일 인증) 링크 유효 시간(시간)", 48, minimum=1
    ),
    SettingSpec(
        "accounts.participation_level",
        "게시판 밖 토론(안건·공약 등)에 참여하는 데 필요한 인증 단계 (1 이메일, 2 동 주민센터, 3 본인인증)",
        1,
        minimum=1,
        maximum=3,
    ),
)


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=HASH_METHOD)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def register_resident(
    *,
    email: str,
    password: str,
    name: str,
    relation: str,
    dong_slug: str,
    consented: bool,
    address: str | None = None,
) -> User | None:
    """Create a resident account (unconfirmed) and mail its confirmation link.

    When the address already has an account nothing is created and its owner is told by
    mail; the caller answers the same either way (returns None then), so sign-up does not
    reveal which addresses have accounts. Both paths hash a password: same timing."""
    if not consented:
        raise OperationError("개인정보 수집·이용에 동의해야 가입할 수 있습니다.", field="consent")
    hashed = hash_password(password)
    existing = find_by_email(email)
    if existing is not None:
        if existing.deleted_at is None:
            send_mail(
                existing.email,
                "[온라인 관악청] 이 주소로 가입 신청이 있었습니다",
                f"{existing.name}님, 이 이메일 주소로 온라인 관악청 가입 신청이 들어왔지만 "
                "이미 가입된 주소라 새 계정을 만들지 않았습니다.\n\n"
                "비밀번호가 생각나지 않으면 아래에서 재설정하세요.\n"
                f"{public_url('auth.request_reset')}\n\n"
                "직접 신청하지 않으셨다면 이 메일을 무시하세요.",
                to_user_id=existing.id,
            )
            db.session.commit()
        return None
    user = User(
        email=normalise_email(email),
        password_hash=hashed,
        name=name.strip(),
        role=Role.RESIDENT,
        relation=relation,
        dong=dong_slug,
        privacy_consented_at=clock.now(),
        created_at=clock.now(),
        verification_level=Level.NONE,
        signup_address_key=throttle.address_key(address) if address else None,
    )
    db.session.add(user)
    db.session.flush()
    verification.send_confirmation(user)
    db.session.commit()
    return user


def create_user(
    *,
    email: str,
    password: str,
    name: str,
    role: str,
    department: str | None = None,
    office_dong: str | None = None,
    actor_id: int | None = None,
) -> User:
    """Create any account (admin back office and CLI): staff, mayor, admin or resident."""
    role = Role(role)
    if role == Role.STAFF:
        if office_dong:
            if dong(office_dong) is None:
                raise OperationError("알 수 없는 동입니다.", field="office_dong")
            department = None
        elif not department:
            raise OperationError(
                "직원은 부서 또는 동 주민센터를 지정해야 합니다.", field="department"
            )
        else:
            department = require_active(department).name
    else:
        department = None
        office_dong = None
    if len(password) < 10:
        raise OperationError("비밀번호는 10자 이상이어야 합니다.", field="password")
    if find_by_email(email):
        raise OperationError("이미 가입된 이메일 주소입니다.", field="email")
    user = User(
        email=normalise_email(email),
        password_hash=hash_password(password),
        name=name.strip(),
        role=role,
        department=department,
        office_dong=office_dong,
        created_at=clock.now(),
    )
    db.session.add(user)
    db.session.flush()
    record_audit(
        "user.create",
        "user",
        user.id,
        after={"role": str(role), "department": department, "office_dong": office_dong},
        actor_id=actor_id,
    )
    db.session.commit()
    return user


@dataclass
class LoginResult:
    user: User | None
    error: str | None = None
    # Set after a successful log-in on a browser without one: the device cookie's value.
    device_token: str | None = None


LOGIN_FAILED = "이메일 또는 비밀번호가 올바르지 않습니다."


def authenticate(
    email: str, password: str, *, address: str | None = None, device_token: str | None = None
) -> LoginResult:
    """Check a password under the log-in throttle (accounts/throttle.py).

    No account is ever locked; a key that has failed too often waits, and while it waits
    no password is checked. The answers never tell whether an account exists: the same
    words, the same throttle, the same hashing time."""
    now = clock.now()
    attempt = throttle.begin_attempt(email, address, device_token, now)
    if attempt.wait_until is not None:
        return LoginResult(None, _wait_message(attempt.wait_until - now))
    user = find_by_email(email)
    if user is None or user.deleted_at is not None:
        # Spend the same time as a real check so timing does not reveal accounts.
        check_password_hash(_DUMMY_HASH, password)
        return LoginResult(None, LOGIN_FAILED)
    if not check_password_hash(user.password_hash, password):
        return LoginResult(None, LOGIN_FAILED)
    throttle.attempt_succeeded(attempt)
    return LoginResult(user, device_token=attempt.device_token)


def _wait_message(wait: timedelta) -> str:
    seconds = max(1, int(wait.total_seconds() + 0.999))
    amount = f"{seconds}초" if seconds < 120 else f"{(seconds + 59) // 60}분"
    return f"로그인 시도가 너무 많습니다. {amount} 뒤에 다시 시도하세요."


_DUMMY_HASH = generate_password_hash("not-a-real-password", method=HASH_METHOD)


def change_password(user: User, current: str, new: str) -> None:
    if not check_password_hash(user.password_hash, current):
        raise OperationError("현재 비밀번호가 올바르지 않습니다.", field="current_password")
    _set_password(user, new)
    db.session.commit()


def _set_password(user: User, new: str) -> None:
    """New password: other sessions end, and every reset link still out stops working."""
    user.password_hash = hash_password(new)
    end_sessions(user)
    db.session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=clock.now())
        .execution_options(synchronize_session=False)
    )


def end_sessions(user: User) -> None:
    """Every session and "remember me" cookie of this user stops working (the cookies
    carry the session version; load_user compares it). The caller commits."""
    db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(session_version=User.session_version + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(user, ["session_version"])


def log_out(user: User) -> None:
    """Log-out ends the session on the server too: a copied session or remember-me
    cookie is worthless afterwards (on every device of this user)."""
    end_sessions(user)
    db.session.commit()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def request_password_reset(email: str) -> None:
    """Mail a single-use reset link if the account exists; say nothing either way."""
    user = find_by_email(email)
    if user is None or user.deleted_at is not None:
        return
    token = secrets.token_urlsafe(32)
    minutes = get_setting("accounts.reset_token_minutes")
    db.session.add(
        PasswordResetToken(
            user_id=user.id,
            token_hash=_token_hash(token),
            created_at=clock.now(),
            expires_at=clock.now() + timedelta(minutes=minutes),
        )
    )
    link = public_url("auth.reset_password", token=token)
    send_mail(
        user.email,
        "[온라인 관악청] 비밀번호 재설정 안내",
        f"{user.name}님, 아래 링크에서 {minutes}분 안에 새 비밀번호를 정하세요.\n\n{link}\n\n"
        "요청하지 않으셨다면 이 메일을 무시하세요.",
        to_user_id=user.id,
    )
    db.session.commit()


def valid_reset_token(token: str) -> PasswordResetToken | None:
    row = db.session.scalar(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == _token_hash(token))
    )
    if row is None or row.used_at is not None or row.expires_at <= clock.now():
        return None
    return row


def reset_password(token: str, new: str) -> User:
    """Set a new password by a mailed link. The link, and every other link still out for
    this account, is used up; a second request with the same link changes nothing."""
    row = valid_reset_token(token)
    if row is None:
        raise OperationError("재설정 링크가 만료되었거나 이미 사용되었습니다. 다시 요청하세요.")
    claimed = db.session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.id == row.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=clock.now())
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        raise OperationError("재설정 링크가 만료되었거나 이미 사용되었습니다. 다시 요청하세요.")
    user = db.session.get(User, row.user_id)
    assert user is not None
    _set_password(user, new)
    db.session.commit()
    return user


def delete_account(user: User, password: str) -> None:
    """The resident leaves: personal data is erased, posts stay under an anonymous name."""
    if not check_password_hash(user.password_hash, password):
        raise OperationError("비밀번호가 올바르지 않습니다.", field="password")
    anonymise_user(user)
    db.session.commit()


def anonymise_user(user: User) -> None:
    user.email = f"deleted-{user.id}-{secrets.token_hex(4)}@invalid"
    user.name = DELETED_NAME
    user.password_hash = "!"  # no password matches
    user.relation = None
    user.dong = None
    user.deleted_at = clock.now()
    user.session_version = user.session_version + 1
    db.session.execute(
        PasswordResetToken.__table__.delete().where(PasswordResetToken.user_id == user.id)
    )


def load_user(user_id: str) -> User | None:
    """Flask-Login loader: the id carries the session version, so old cookies expire."""
    raw_id, _, version = user_id.partition(":")
    if not raw_id.isdigit():
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or user.deleted_at is not None or str(user.session_version) != version:
        return None
    return user
