"""Outgoing e-mail: always kept in the outbox; sent by SMTP when it is configured.

Two rules live here so no feature has to remember them: links in a mail are built from
PUBLIC_BASE_URL (never from the request's Host, which an attacker chooses), and header
text (subject, address) is one line (a title with CR/LF cannot add a `Bcc:` header).
"""

from __future__ import annotations

import re
import smtplib
from datetime import datetime
from email.message import EmailMessage
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import ForeignKey, String, Text
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
    error: Mapped[str | None] = mapped_column(String(500))


SUBJECT_MAX = 200
# Line breaks of every kind, and the other control characters, end a header line.
_HEADER_BREAKS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")


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
    """Queue a mail in the outbox (same transaction as the caller) and try SMTP if set up.

    The outbox row is the record; an SMTP failure is noted on it, never raised, so a
    mail server outage cannot undo a resident's action, and one bad mail cannot stop a
    batch (reminders, notifications) half-way.
    """
    to_address = header_text(to_address, 254)
    subject = header_text(subject)
    mail = OutboxMail(
        to_address=to_address,
        subject=subject,
        body=body,
        to_user_id=to_user_id,
        created_at=clock.now(),
    )
    db.session.add(mail)
    host = current_app.config.get("SMTP_HOST")
    if host:
        try:
            _smtp_send(to_address, subject, body)
            mail.sent_at = clock.now()
        except Exception as exc:  # noqa: BLE001 - any failure is recorded, never raised
            current_app.logger.warning("mail %r not sent", subject, exc_info=True)
            mail.error = f"{type(exc).__name__}: {exc}"[:500]
    return mail


def mail_user(user, subject: str, body: str) -> OutboxMail | None:
    """Mail a user, unless their account was deleted."""
    if user is None or user.deleted_at is not None:
        return None
    return send_mail(user.email, subject, body, to_user_id=user.id)


def _smtp_send(to_address: str, subject: str, body: str) -> None:
    cfg = current_app.config
    msg = EmailMessage()
    msg["From"] = cfg["MAIL_FROM"]
    msg["To"] = to_address
    msg["Subject"] = subject
    msg.set_content(body)
    with smtplib.SMTP(cfg["SMTP_HOST"], cfg["SMTP_PORT"], timeout=10) as smtp:
        if cfg.get("SMTP_STARTTLS"):
            smtp.starttls()
        if cfg.get("SMTP_USER"):
            smtp.login(cfg["SMTP_USER"], cfg["SMTP_PASSWORD"] or "")
        smtp.send_message(msg)
