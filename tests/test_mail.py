"""Mail through a real (local, fake) SMTP server: a title cannot add headers, and one
mail that fails cannot stop a batch."""

from __future__ import annotations

import socketserver
import threading
from datetime import datetime, timedelta
from email import message_from_bytes, policy

import pytest
from sqlalchemy import select

from gwanak.core.extensions import db
from gwanak.core.mail import OutboxMail, header_text, send_mail
from gwanak.participation import operations as ops
from tests.factories import proposal, residents

START = datetime(2026, 3, 2, 1, 0)


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: EHLO, MAIL, RCPT, DATA, QUIT."""

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        server = self.server
        self.reply("220 fake ESMTP")
        recipients: list[str] = []
        while line := self.rfile.readline():
            command = line.decode(errors="replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 fake")
            elif verb == "MAIL":
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                address = command.split(":", 1)[1].strip(" <>")
                if address in server.refuse:
                    self.reply("550 no such user")
                else:
                    recipients.append(address)
                    self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 go ahead")
                data = b""
                while (chunk := self.rfile.readline()) != b".\r\n":
                    data += chunk
                server.received.append((recipients, message_from_bytes(data, policy=policy.SMTP)))
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 OK")


@pytest.fixture
def smtp(app):
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.daemon_threads = True
    server.received = []
    server.refuse = set()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config.update(
        SMTP_HOST="127.0.0.1", SMTP_PORT=server.server_address[1], SMTP_STARTTLS=False
    )
    yield server
    server.shutdown()
    server.server_close()


def _reminders(smtp) -> list:
    return [(r, m) for r, m in smtp.received if "답변 기한 알림" in m["Subject"]]


def _to_review(p, frozen):
    frozen(START)
    for person in residents(5):
        ops.give_gonggam(p, person)
    db.session.refresh(p)
    assert p.state == "review"


def test_a_title_with_cr_lf_adds_no_header_and_reminders_still_go_out(runner, users, frozen, smtp):
    frozen(START)
    evil = proposal(users.resident, title="가로등\r\nBcc: victim@example.com")
    plain = proposal(users.neighbour, title="공원 벤치를 늘려 주세요")
    _to_review(evil, frozen)
    _to_review(plain, frozen)
    frozen(START + timedelta(days=26))
    result = runner.invoke(args=["gwanak", "answer-reminders"])
    assert result.exit_code == 0, result.output
    assert "2건" in result.output
    reminders = _reminders(smtp)
    assert [recipients for recipients, _ in reminders] == [[users.planning.email]] * 2
    for _, message in smtp.received:
        assert message["Bcc"] is None and "victim@" not in message.get("To", "")
        assert "\n" not in message["Subject"]
    subjects = db.session.scalars(select(OutboxMail.subject)).all()
    assert "[온라인 관악청] 답변 기한 알림: 가로등 Bcc: victim@example.com" in subjects


def test_one_mail_refused_by_the_server_does_not_stop_the_others(runner, users, frozen, smtp):
    frozen(START)
    first = proposal(users.resident, title="첫 제안")
    second = proposal(users.neighbour, title="둘째 제안")
    _to_review(first, frozen)
    _to_review(second, frozen)
    from tests.conftest import make_user

    colleague = make_user("staff", name="기획 직원2", department="기획예산과")
    smtp.refuse.add(users.planning.email)
    frozen(START + timedelta(days=26))
    result = runner.invoke(args=["gwanak", "answer-reminders"])
    assert result.exit_code == 0 and "2건" in result.output
    assert [r for r, _ in _reminders(smtp)] == [[colleague.email], [colleague.email]]
    failed = db.session.scalars(
        select(OutboxMail).where(OutboxMail.to_user_id == users.planning.id)
    ).all()
    assert len(failed) == 2 and all(m.error and m.sent_at is None for m in failed)


def test_header_text_is_one_line_of_bounded_length():
    assert header_text("a\r\nBcc: x\u2028y\x00z\x85w") == "a Bcc: x y z w"
    assert len(header_text("가" * 500)) == 200


def test_a_long_subject_is_cut_to_the_column_not_refused_by_the_database(app, users):
    mail = send_mail(users.resident.email, "제목 " * 150, "본문")
    db.session.commit()
    assert len(mail.subject) == 200
