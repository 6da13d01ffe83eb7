"""E-mail confirmation and verification levels (issue 15, finding 12).

A new account may log in and read at once; 공감, comments, votes and proposals need the
level a board's rules ask for (at least Level.EMAIL). The confirmation link is a signed,
expiring token naming the account and the address it was sent to, so a link stops
working when the address changes; it is built from PUBLIC_BASE_URL (core.mail.public_url).
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import update

from gwanak.accounts.models import LEVEL_LABELS, Level, User
from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.core.mail import public_url, send_mail
from gwanak.core.operations import OperationError
from gwanak.core.settings import get_setting

CONFIRM_SALT = "email-confirm"

UNCONFIRMED_MESSAGE = (
    "이메일 인증을 마친 주민만 공감·댓글·투표·제안에 참여할 수 있습니다. "
    "가입할 때 보낸 메일의 인증 링크를 누르세요. 메일을 받지 못했다면 "
    "화면 위쪽이나 '내 계정'에서 '인증 메일 다시 받기'를 누르세요."
)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=CONFIRM_SALT)


def confirmation_token(user: User) -> str:
    return _serializer().dumps({"u": user.id, "e": user.email})


def send_confirmation(user: User) -> None:
    """Mail the confirmation link (a step: the outbox row commits with the caller)."""
    hours = get_setting("accounts.confirm_token_hours")
    link = public_url("auth.confirm_email", token=confirmation_token(user))
    send_mail(
        user.email,
        "[온라인 관악청] 이메일 주소를 확인해 주세요",
        f"{user.name}님, 온라인 관악청에 가입해 주셔서 고맙습니다.\n\n"
        f"아래 링크를 {hours}시간 안에 누르면 이메일 인증이 끝나고 공감·댓글·투표·제안에 "
        f"참여할 수 있습니다.\n\n{link}\n\n가입하지 않으셨다면 이 메일을 무시하세요.",
        to_user_id=user.id,
    )


def resend_confirmation(user: User) -> None:
    """Send a fresh link to a signed-in, unconfirmed account. Commits."""
    if user.is_confirmed:
        raise OperationError("이미 이메일 인증을 마쳤습니다.", status=409)
    send_confirmation(user)
    db.session.commit()


def confirm_email(token: str) -> User:
    """Raise the account to Level.EMAIL by a mailed link (idempotent). Commits."""
    hours = get_setting("accounts.confirm_token_hours")
    try:
        data = _serializer().loads(token, max_age=hours * 3600)
    except SignatureExpired:
        raise OperationError(
            "인증 링크가 만료되었습니다. 로그인한 뒤 '인증 메일 다시 받기'를 누르세요.", status=410
        ) from None
    except BadSignature:
        raise OperationError("인증 링크가 올바르지 않습니다.", status=404) from None
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or user.deleted_at is not None or user.email != data.get("e"):
        raise OperationError("인증 링크가 올바르지 않습니다.", status=404)
    if user.verification_level < Level.EMAIL:
        # Compare-and-set: never lowers a level raised meanwhile (동 확인, 본인인증).
        db.session.execute(
            update(User)
            .where(User.id == user.id, User.verification_level < Level.EMAIL)
            .values(verification_level=Level.EMAIL, email_confirmed_at=clock.now())
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        db.session.refresh(user)
    return user


def level_refusal(user: User, needed: int) -> str | None:
    """The Korean refusal when `user` is below the `needed` level, else None."""
    if user.verification_level >= needed:
        return None
    if needed <= Level.EMAIL:
        return UNCONFIRMED_MESSAGE
    label = LEVEL_LABELS.get(Level(min(needed, Level.IDENTITY)), "")
    return f"이 게시판은 '{label}'까지 마친 주민만 참여할 수 있습니다. 담당 부서에 문의하세요."
