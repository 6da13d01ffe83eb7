"""Outgoing e-mail: a request only queues it; `flask gwanak send-mail` delivers it.

`send_mail` adds a row to the outbox in the caller's transaction and returns: no SMTP
inside a request, so a slow or failing mail server neither slows nor breaks a
resident's action, and a mail exists exactly when the action that wrote it committed.
`deliver_outbox` (the `send-mail` command and the daily job) sends what is due, one mail
at a time: a failure is recorded on the mail and retried later with a growing wait; a
mail the server refuses outright, or that failed too often, is given up.

Two rules live here so no feature has to remember them: links in a mail are built from
PUBLIC_BASE_URL (never from the request's Host, which an attacker chooses), and header
text (subject, address) is one line (a title with CR/LF cannot add a `Bcc:` header) —
checked when queued and again when sent.
"""

from __future__ import annotations

import re
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import ForeignKey, String, Text, or_, select, update
from sqlalchemy.orm import Mapped, mapped_column

from gwanak.core import clock
from gwanak.core.extensions import db


class OutboxMail(db.Model):
    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now, index=True)
    to_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime | None]
    # The last failure (kept after a later success, for the record).
    error: Mapped[str | None] = mapped_column(String(500))
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    # Not tried before this moment (a retry's wait, or a sender's claim); None: due now.
    next_attempt_at: Mapped[datetime | None] = mapped_column(index=True)
    # Given up: refused by the server, or failed MAX_ATTEMPTS times.
    failed_at: Mapped[datetime | None]

    @property
    def state(self) -> str:
        if self.sent_at is not None:
            return "sent"
        if self.failed_at is not None:
            return "failed"
        return "retrying" if self.attempts else "queued"


SUBJECT_MAX = 200
# Line breaks of every kind, and the other control characters, end a header line.
_HEADER_BREAKS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")

# Waits after the 1st, 2nd, … failed attempt; after the last one the mail is given up.
RETRY_WAITS = (
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=12),
)
MAX_ATTEMPTS = len(RETRY_WAITS) + 1
# How long a sender holds a mail it is sending; a sender that died mid-way frees it then.
CLAIM_LEASE = timedelta(minutes=10)
SMTP_TIMEOUT = 10  # seconds, per connection
BATCH = 200


def header_text(value: str | None, limit: int = SUBJECT_MAX) -> str:
    """Text made safe for one mail header line: breaks and controls become a space."""
    return " ".join(_HEADER_BREAKS.sub(" ", value or "").split())[:limit]


def public_url(endpoint: str, **values) -> str:
    """An absolute link for a mail, on the portal's public address (PUBLIC_BASE_URL).

    Built without the request: `url_for(..., _external=True)` would take the Host or
    X-Forwarded-Host header, so a reset requested with `Host: evil.example` would mail
    a link to the attacker's site. Works in commands too (no request at all)."""
    base = urlsplit(current_app.config["PUBLIC_BASE_URL"].rstrip("/"))
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


def send_mail(
    to_address: str, subject: str, body: str, *, to_user_id: int | None = None
) -> OutboxMail:
    """Queue a mail in the outbox. A step: it adds the row to the caller's transaction
    (the mail exists only if the caller commits) and never talks to a mail server."""
    mail = OutboxMail(
        to_address=header_text(to_address, 254),
        subject=header_text(subject),
        body=body,
        to_user_id=to_user_id,
        created_at=clock.now(),
    )
    db.session.add(mail)
    return mail


def mail_user(user, subject: str, body: str) -> OutboxMail | None:
    """Mail a user, unless their account was deleted. A step, like `send_mail`."""
    if user is None or user.deleted_at is not None:
        return None
    return send_mail(user.email, subject, body, to_user_id=user.id)


# --- delivery (commands only) ----------------------------------------------------------


@dataclass
class Delivery:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    # True when the run stopped early because the server could not be reached.
    server_down: bool = False

    def counts(self) -> dict[str, int]:
        return {"보냄": self.sent, "재시도 대기": self.retrying, "발송 포기": self.failed}


def smtp_configured() -> bool:
    return bool(current_app.config.get("SMTP_HOST"))


def deliver_outbox(limit: int = BATCH) -> Delivery:
    """Send the mails that are due, oldest first. Commits after each mail.

    A mail is claimed (`UPDATE … WHERE` it is still due) before it is sent, so two
    senders at once never send one mail twice. One bad mail never stops the others;
    when the server is unreachable the run stops and every mail keeps its place.
    Without SMTP_HOST nothing is sent: the outbox keeps the mails.
    """
    result = Delivery()
    if not smtp_configured():
        return result
    for mail_id in _due_ids(limit):
        if not _claim(mail_id):
            continue
        mail = db.session.get(OutboxMail, mail_id)
        try:
            down = _smtp_send(mail.to_address, mail.subject, mail.body)
        except Exception as exc:  # noqa: BLE001 - any failure is recorded on the mail
            _failed(mail, exc, permanent=_is_permanent(exc), result=result)
        else:
            if down is not None:
                # Not this mail's fault: it keeps its attempts and waits with the others.
                current_app.logger.warning("mail server unreachable: %s", down)
                mail.error = f"{type(down).__name__}: {down}"[:500]
                mail.next_attempt_at = clock.now() + RETRY_WAITS[0]
                db.session.commit()
                result.server_down = True
                break
            mail.sent_at = clock.now()
            mail.attempts += 1
            mail.next_attempt_at = None
            result.sent += 1
        db.session.commit()
    return result


def _due_ids(limit: int) -> list[int]:
    return list(
        db.session.scalars(
            select(OutboxMail.id).where(*_due()).order_by(OutboxMail.id).limit(limit)
        )
    )


def _due() -> tuple:
    now = clock.now()
    return (
        OutboxMail.sent_at.is_(None),
        OutboxMail.failed_at.is_(None),
        or_(OutboxMail.next_attempt_at.is_(None), OutboxMail.next_attempt_at <= now),
    )


def mail_due() -> bool:
    """Whether any mail waits to be sent now."""
    return db.session.scalar(select(OutboxMail.id).where(*_due()).limit(1)) is not None


def _claim(mail_id: int) -> bool:
    claimed = db.session.execute(
        update(OutboxMail)
        .where(OutboxMail.id == mail_id, *_due())
        .values(next_attempt_at=clock.now() + CLAIM_LEASE)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return claimed == 1


def _is_permanent(exc: Exception) -> bool:
    """The server refused this mail for good (5xx), or the mail cannot be written."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return isinstance(exc, ValueError | UnicodeError)


def _failed(mail: OutboxMail, exc: BaseException, *, permanent: bool, result: Delivery) -> None:
    current_app.logger.warning("mail #%s not sent: %s", mail.id, exc)
    mail.attempts += 1
    mail.error = f"{type(exc).__name__}: {exc}"[:500]
    if permanent or mail.attempts >= MAX_ATTEMPTS:
        mail.failed_at = clock.now()
        mail.next_attempt_at = None
        result.failed += 1
    else:
        mail.next_attempt_at = clock.now() + RETRY_WAITS[mail.attempts - 1]
        result.retrying += 1


# One plain address (what send_mail stores for a user): no spaces, no second address.
_ADDRESS = re.compile(r"[^@\s<>,;:\"()\[\]]+@[^@\s<>,;:\"()\[\]]+")


def _message(to_address: str, subject: str, body: str) -> EmailMessage:
    # Header text is made one line again here: rows written before the rule, or by
    # hand, must not be able to add a header either.
    if not _ADDRESS.fullmatch(to_address):
        raise ValueError(f"받는 주소가 올바르지 않습니다: {to_address!r}")
    msg = EmailMessage()
    msg["From"] = header_text(current_app.config["MAIL_FROM"], 254)
    msg["To"] = to_address
    msg["Subject"] = header_text(subject)
    msg.set_content(body)
    return msg


def _smtp_send(to_address: str, subject: str, body: str) -> OSError | None:
    """Send one mail. Raises when this mail failed; returns the error when the server
    itself could not be used (the run stops: the other mails would fail alike)."""
    cfg = current_app.config
    msg = _message(to_address, subject, body)
    # Failing before the mail itself is sent (connection, TLS, log-in) is the server's
    # or the configuration's fault, as is a dropped or silent connection.
    # (SMTPException is an OSError too.)
    try:
        smtp = smtplib.SMTP(cfg["SMTP_HOST"], cfg["SMTP_PORT"], timeout=SMTP_TIMEOUT)
    except OSError as exc:
        return exc
    try:
        try:
            if cfg.get("SMTP_STARTTLS"):
                smtp.starttls()
            if cfg.get("SMTP_USER"):
                smtp.login(cfg["SMTP_USER"], cfg["SMTP_PASSWORD"] or "")
        except OSError as exc:
            return exc
        try:
            # The one recipient, given: never read back from the headers.
            smtp.send_message(msg, to_addrs=[to_address])
        except (TimeoutError, ConnectionError, smtplib.SMTPServerDisconnected) as exc:
            return exc
    finally:
        _hang_up(smtp)
    return None


def _hang_up(smtp: smtplib.SMTP) -> None:
    # After the server accepted the mail, a failing QUIT must not make it look unsent
    # (it would be sent again).
    try:
        smtp.quit()
    except OSError:
        smtp.close()
