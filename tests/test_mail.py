"""Mail: requests only queue it; `flask gwanak send-mail` delivers it through a real
(local, fake) SMTP server, retries what failed, and a title cannot add headers; one mail
that fails cannot stop a batch."""

from __future__ import annotations

import socket
import socketserver
import threading
from datetime import datetime, timedelta
from email import message_from_bytes, policy

import pytest
from sqlalchemy import select

from gwanak.core import mail as mail_module
from gwanak.core.extensions import db
from gwanak.core.mail import MAX_ATTEMPTS, OutboxMail, header_text, send_mail
from gwanak.participation import operations as ops
from tests.factories import make_user, proposal, residents

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
                elif address in server.busy:
                    self.reply("451 try again later")
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
    server.busy = set()
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
    assert smtp.received == []  # queued only
    result = runner.invoke(args=["gwanak", "send-mail"])
    assert result.exit_code == 0, result.output
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
    colleague = make_user("staff", name="기획 직원2", department="기획예산과")
    smtp.refuse.add(users.planning.email)
    frozen(START + timedelta(days=26))
    result = runner.invoke(args=["gwanak", "answer-reminders"])
    assert result.exit_code == 0 and "2건" in result.output
    result = runner.invoke(args=["gwanak", "send-mail"])
    assert result.exit_code == 0 and "발송 포기 2통" in result.output, result.output
    assert [r for r, _ in _reminders(smtp)] == [[colleague.email], [colleague.email]]
    failed = db.session.scalars(
        select(OutboxMail).where(OutboxMail.to_user_id == users.planning.id)
    ).all()
    # 550 is final: given up at once, never tried again.
    assert len(failed) == 2 and all(m.error and m.sent_at is None for m in failed)
    assert all(m.failed_at is not None and m.attempts == 1 for m in failed)
    frozen(START + timedelta(days=30))
    runner.invoke(args=["gwanak", "send-mail"])
    assert len(_reminders(smtp)) == 2


def test_header_text_is_one_line_of_bounded_length():
    assert header_text("a\r\nBcc: x\u2028y\x00z\x85w") == "a Bcc: x y z w"
    assert len(header_text("가" * 500)) == 200


def test_a_long_subject_is_cut_to_the_column_not_refused_by_the_database(app, users):
    mail = send_mail(users.resident.email, "제목 " * 150, "본문")
    db.session.commit()
    assert len(mail.subject) == 200


@pytest.fixture
def silent_server(app):
    """A mail server that accepts connections and never answers (a hung SMTP host)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    app.config.update(
        SMTP_HOST="127.0.0.1", SMTP_PORT=listener.getsockname()[1], SMTP_STARTTLS=False
    )
    yield listener
    listener.close()


def _nobody_connected(listener: socket.socket) -> bool:
    listener.settimeout(0.2)
    try:
        connection, _ = listener.accept()
    except TimeoutError:
        return True
    connection.close()
    return False


def test_a_request_only_queues_its_mail_even_when_the_mail_server_hangs(
    client, users, silent_server
):
    response = client.post("/auth/reset", data={"email": users.resident.email})
    assert response.status_code == 303
    mail = db.session.scalars(select(OutboxMail)).one()
    assert (mail.to_user_id, mail.sent_at, mail.error, mail.attempts) == (
        users.resident.id,
        None,
        None,
        0,
    )
    assert mail.state == "queued"
    # The request never opened a connection to the (hung) server.
    assert _nobody_connected(silent_server)


def test_a_hung_server_stops_the_run_and_every_mail_keeps_its_place(
    app, runner, users, frozen, silent_server, monkeypatch
):
    monkeypatch.setattr(mail_module, "SMTP_TIMEOUT", 0.3)
    frozen(START)
    for n in range(3):
        send_mail(users.resident.email, f"알림 {n}", "본문", to_user_id=users.resident.id)
    db.session.commit()
    result = runner.invoke(args=["gwanak", "send-mail"])
    assert result.exit_code == 0, result.output
    mails = db.session.scalars(select(OutboxMail).order_by(OutboxMail.id)).all()
    assert [m.sent_at for m in mails] == [None] * 3
    # Not the mails' fault: no attempt is counted; the first waits five minutes, the
    # others were not tried at all.
    assert [m.attempts for m in mails] == [0, 0, 0]
    assert mails[0].error and mails[0].next_attempt_at == START + timedelta(minutes=5)
    assert mails[1].error is None and mails[1].next_attempt_at is None


def test_send_mail_delivers_the_queue_and_marks_it_sent(app, runner, users, frozen, smtp):
    frozen(START)
    send_mail(users.resident.email, "첫 메일", "안녕하세요", to_user_id=users.resident.id)
    send_mail(users.neighbour.email, "둘째 메일", "반갑습니다", to_user_id=users.neighbour.id)
    db.session.commit()
    assert smtp.received == []
    result = runner.invoke(args=["gwanak", "send-mail"])
    assert result.exit_code == 0 and "메일 2통을 보냈습니다" in result.output, result.output
    assert [(r, m["Subject"]) for r, m in smtp.received] == [
        ([users.resident.email], "첫 메일"),
        ([users.neighbour.email], "둘째 메일"),
    ]
    assert "안녕하세요" in smtp.received[0][1].get_content()
    mails = db.session.scalars(select(OutboxMail).order_by(OutboxMail.id)).all()
    assert [(m.state, m.sent_at, m.attempts) for m in mails] == [("sent", START, 1)] * 2
    runner.invoke(args=["gwanak", "send-mail"])
    assert len(smtp.received) == 2  # sent once


def test_a_failed_mail_waits_and_is_retried_later(app, runner, users, frozen, smtp):
    frozen(START)
    send_mail(users.resident.email, "재시도할 메일", "본문", to_user_id=users.resident.id)
    db.session.commit()
    smtp.busy.add(users.resident.email)
    result = runner.invoke(args=["gwanak", "send-mail"])
    assert "재시도 대기 1통" in result.output, result.output
    mail = db.session.scalars(select(OutboxMail)).one()
    assert (mail.state, mail.attempts) == ("retrying", 1)
    assert "451" in mail.error and mail.next_attempt_at == START + timedelta(minutes=5)

    frozen(START + timedelta(minutes=3))  # still waiting: not tried
    smtp.busy.clear()
    runner.invoke(args=["gwanak", "send-mail"])
    assert smtp.received == [] and db.session.get(OutboxMail, mail.id).attempts == 1

    frozen(START + timedelta(minutes=6))
    runner.invoke(args=["gwanak", "send-mail"])
    mail = db.session.get(OutboxMail, mail.id)
    assert (mail.state, mail.attempts, mail.sent_at) == ("sent", 2, START + timedelta(minutes=6))
    assert [r for r, _ in smtp.received] == [[users.resident.email]]


def test_a_mail_that_keeps_failing_is_given_up(app, runner, users, frozen, smtp):
    frozen(START)
    send_mail(users.resident.email, "계속 실패", "본문")
    db.session.commit()
    smtp.busy.add(users.resident.email)
    at = START
    for _ in range(MAX_ATTEMPTS + 2):
        runner.invoke(args=["gwanak", "send-mail"])
        at += timedelta(days=1)
        frozen(at)
    mail = db.session.scalars(select(OutboxMail)).one()
    assert (mail.state, mail.attempts) == ("failed", MAX_ATTEMPTS)
    assert mail.failed_at is not None and mail.next_attempt_at is None


def test_cr_lf_in_stored_headers_cannot_add_a_header_or_stop_the_others(app, runner, users, smtp):
    # Rows written around send_mail (old rows, a hand-made fix): delivery cleans them too.
    evil = OutboxMail(
        to_address=users.resident.email,
        subject="공지\r\nBcc: victim@example.com",
        body="본문",
    )
    bad_address = OutboxMail(
        to_address="someone@example.com\r\nBcc: victim@example.com", subject="x", body="본문"
    )
    plain = OutboxMail(to_address=users.neighbour.email, subject="평범한 메일", body="본문")
    db.session.add_all([evil, bad_address, plain])
    db.session.commit()
    result = runner.invoke(args=["gwanak", "send-mail"])
    assert result.exit_code == 0, result.output
    assert [r for r, _ in smtp.received] == [[users.resident.email], [users.neighbour.email]]
    for _, message in smtp.received:
        assert message["Bcc"] is None and "\n" not in message["Subject"]
    assert smtp.received[0][1]["Subject"] == "공지 Bcc: victim@example.com"
    refused = db.session.get(OutboxMail, bad_address.id)
    assert refused.state == "failed" and "받는 주소" in refused.error


def test_without_smtp_the_outbox_keeps_the_mail(app, runner, users):
    send_mail(users.resident.email, "보관", "본문")
    db.session.commit()
    result = runner.invoke(args=["gwanak", "send-mail"])
    assert result.exit_code == 0 and "SMTP_HOST" in result.output
    assert db.session.scalars(select(OutboxMail)).one().state == "queued"


def test_senders_running_at_once_send_each_mail_once(app, users, smtp, frozen):
    frozen(START)
    for n in range(12):
        send_mail(f"reader{n}@example.com", f"소식 {n}", "본문")
    db.session.commit()
    barrier = threading.Barrier(3)
    errors: list[Exception] = []

    def sender() -> None:
        with app.app_context():
            try:
                barrier.wait()
                mail_module.deliver_outbox()
            except Exception as exc:  # noqa: BLE001 (reported below)
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=sender) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    received = sorted(r[0] for r, _ in smtp.received)
    assert received == sorted(f"reader{n}@example.com" for n in range(12))
    assert {m.state for m in db.session.scalars(select(OutboxMail))} == {"sent"}


def test_the_outbox_page_shows_each_mails_state(app, client, auth, users, frozen):
    frozen(START)
    queued = send_mail("a@example.com", "대기 메일", "본문")
    sent = send_mail("b@example.com", "보낸 메일", "본문")
    retrying = send_mail("c@example.com", "재시도 메일", "본문")
    given_up = send_mail("d@example.com", "포기 메일", "본문")
    sent.sent_at, sent.attempts = START, 1
    retrying.attempts, retrying.error = 1, "SMTPRecipientsRefused: 451"
    retrying.next_attempt_at = START + timedelta(minutes=5)
    given_up.attempts, given_up.error, given_up.failed_at = 1, "SMTPRecipientsRefused: 550", START
    db.session.commit()
    auth.login(users.admin)
    page = client.get("/staff/outbox").get_data(as_text=True)
    assert queued.state == "queued" and "발송 대기" in page
    assert "발송됨 (2026-03-02 10:00)" in page
    assert "재시도 대기 (1회 실패, 다음 2026-03-02 10:05): SMTPRecipientsRefused: 451" in page
    assert "발송 포기: SMTPRecipientsRefused: 550" in page
    # The list shows subjects; each mail's body is on its own page.
    assert "<pre" not in page
    detail = client.get(f"/staff/outbox/{retrying.id}").get_data(as_text=True)
    assert "재시도 메일" in detail and "본문" in detail and "c@example.com" in detail
    assert client.get("/staff/outbox/999999").status_code == 404


def test_the_outbox_pages_by_twenty_and_keeps_bodies_on_their_own_pages(app, client, auth, users):
    for n in range(21):
        send_mail(f"r{n}@example.com", f"안내 메일 {n}", "관악구 온라인 관악청 안내입니다. " * 40)
    db.session.commit()
    auth.login(users.admin)
    first = client.get("/staff/outbox").get_data(as_text=True)
    assert first.count("/staff/outbox/") == 20 and "?page=2" in first
    assert "온라인 관악청 안내입니다" not in first and len(first.encode()) < 40 * 1024
    second = client.get("/staff/outbox?page=2").get_data(as_text=True)
    assert second.count("/staff/outbox/") == 1 and "안내 메일 0<" in second


def test_an_idle_send_mail_run_is_not_recorded(app, runner, users, smtp):
    from gwanak.core.jobs import JobRun

    assert "보낼 메일이 없습니다" in runner.invoke(args=["gwanak", "send-mail"]).output
    assert db.session.scalar(select(JobRun)) is None
    send_mail(users.resident.email, "하나", "본문")
    db.session.commit()
    assert "메일 1통을 보냈습니다" in runner.invoke(args=["gwanak", "send-mail"]).output
    run = db.session.scalars(select(JobRun)).one()
    assert (run.job, run.outcome, run.counts["보냄"]) == ("mail.deliver", "ok", 1)
