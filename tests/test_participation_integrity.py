"""Issue 15, finding 12: participation integrity.

Made-up accounts gave 공감 and votes: sign-up now mails a confirmation link, and until it
is followed the account may read but not take part; thresholds and tallies count
confirmed accounts only; sign-up does not tell which addresses have accounts; staff see
bursts of new accounts on one proposal, compared by keyed hashes of their networks.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from gwanak.accounts.models import Level, User
from gwanak.accounts.verification import confirm_email, confirmation_token
from gwanak.budget.proposal_operations import cast_vote as cast_budget_vote
from gwanak.core.extensions import db
from gwanak.core.mail import OutboxMail
from gwanak.core.operations import OperationError
from gwanak.core.settings import set_setting
from gwanak.participation import operations as ops
from gwanak.participation.models import Comment, Gonggam, Proposal
from gwanak.policy.asks.models import PollVote
from gwanak.policy.board import POLICY_BOARD
from tests.factories import (
    IN_VOTE,
    make_agenda,
    make_round,
    make_user,
    proposal,
    proposal_in_voting,
    residents,
)

SIGNUP = {
    "email": "newbie@example.com",
    "password": "a-long-password",
    "password2": "a-long-password",
    "name": "신입생",
    "relation": "거주",
    "dong": "boramae",
    "consent": "y",
}


def _confirm_link(user_id: int) -> str:
    mail = db.session.scalars(
        select(OutboxMail).where(OutboxMail.to_user_id == user_id).order_by(OutboxMail.id.desc())
    ).first()
    return re.search(r"https?://\S+/auth/confirm/\S+", mail.body).group(0)


def test_an_unconfirmed_resident_reads_but_every_way_of_taking_part_is_refused(client, auth, users):
    target = proposal(users.neighbour)
    detail = f"/policy/proposals/{target.id}"
    auth.login(users.unconfirmed)
    page = client.get(detail)
    assert page.status_code == 200 and "인증 메일 다시 받기" in page.get_data(as_text=True)

    gave = client.post(detail + "/gonggam", data={"action": "give"}, follow_redirects=True)
    assert "이메일 인증을 마친 주민만" in gave.get_data(as_text=True)
    # With htmx the button's fragment says it in place (409, swapped by the config).
    fragment = client.post(
        detail + "/gonggam", data={"action": "give"}, headers={"HX-Request": "true"}
    )
    assert fragment.status_code == 409
    assert "이메일 인증을 마친 주민만" in fragment.get_data(as_text=True)
    client.post(f"/discussions/{target.discussion_id}/comments", data={"body": "저도 찬성"})
    form = client.get("/policy/proposals/new")
    assert form.status_code == 403 and "이메일 인증을 마친 주민만" in form.get_data(as_text=True)
    posted = client.post(
        "/policy/proposals/new",
        data={"title": "가짜 제안", "body": "내용", "category": "안전", "dong": ""},
    )
    assert posted.status_code == 403

    assert db.session.scalar(select(func.count()).select_from(Gonggam)) == 0
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 0
    assert db.session.scalar(select(func.count()).select_from(Proposal)) == 1
    db.session.refresh(target)
    assert target.gonggam_count == 0


def test_operations_refuse_unconfirmed_accounts_so_counts_are_of_confirmed_accounts(
    app, users, frozen
):
    target = proposal(users.resident)
    fakes = [make_user(name=f"가짜{n}", confirmed=False) for n in range(6)]
    for fake in fakes:
        with pytest.raises(OperationError) as refused:
            ops.give_gonggam(target, fake)
        assert refused.value.status == 403 and "이메일 인증" in refused.value.message
        with pytest.raises(OperationError):
            ops.post_comment(target.discussion, fake, "좋아요")
        with pytest.raises(OperationError):
            ops.create_proposal(
                POLICY_BOARD, fake, title="제목", body="본문", category="안전", dong=None
            )
    db.session.refresh(target)
    assert target.gonggam_count == 0 and target.state == "gathering"
    # The same people, once confirmed, count.
    for fake in fakes[:5]:
        confirm_email(confirmation_token(fake))
        ops.give_gonggam(target, fake)
    db.session.refresh(target)
    assert target.gonggam_count == 5 and target.state == "review"


def test_poll_and_budget_votes_need_a_confirmed_account(app, users, frozen):
    frozen(datetime(2026, 2, 20, 3, 0))
    agenda = make_agenda(users.planning)
    frozen(datetime(2026, 3, 10, 3, 0))
    from gwanak.policy.asks.operations import cast_vote as cast_poll_vote

    with pytest.raises(OperationError, match="이메일 인증"):
        cast_poll_vote(agenda, users.unconfirmed, agenda.options[0].id)
    assert db.session.scalar(select(func.count()).select_from(PollVote)) == 0

    extra = proposal_in_voting(make_round(), users.resident, frozen, users.planning)
    frozen(IN_VOTE)
    with pytest.raises(OperationError, match="이메일 인증"):
        cast_budget_vote(extra, users.unconfirmed)
    db.session.refresh(extra)
    assert extra.vote_count == 0
    cast_budget_vote(extra, users.neighbour)
    db.session.refresh(extra)
    assert extra.vote_count == 1


def test_a_board_may_require_a_higher_level(app, users):
    target = proposal(users.neighbour)
    set_setting("board.policy.participation_level", 2)
    db.session.commit()
    with pytest.raises(OperationError, match="동 주민센터 확인"):
        ops.give_gonggam(target, users.resident)
    checked = make_user(name="확인된 주민")
    checked.verification_level = Level.DONG
    db.session.commit()
    assert ops.give_gonggam(target, checked).count == 1
    # A board cannot ask for less than a confirmed e-mail.
    with pytest.raises(OperationError):
        set_setting("board.policy.participation_level", 0)


def test_the_confirmation_link_goes_to_the_public_address_and_expires(app, client, auth):
    app.config["PUBLIC_BASE_URL"] = "https://gwanak.example.kr"
    client.post("/auth/signup", data=SIGNUP, headers={"Host": "evil.example"})
    user = db.session.scalar(select(User).where(User.email == "newbie@example.com"))
    link = _confirm_link(user.id)
    assert link.startswith("https://gwanak.example.kr/auth/confirm/")
    # A forged or altered token is refused; the level does not move.
    assert client.get(urlsplit(link).path + "x").status_code == 404
    # Past its lifetime the link is refused with a way to get a new one.
    later = datetime.now() + timedelta(hours=49)
    import itsdangerous.timed

    real_time = itsdangerous.timed.time.time
    itsdangerous.timed.time.time = lambda: later.timestamp()
    try:
        expired = client.get(urlsplit(link).path)
    finally:
        itsdangerous.timed.time.time = real_time
    assert expired.status_code == 410 and "만료" in expired.get_data(as_text=True)
    db.session.refresh(user)
    assert user.verification_level == 0
    assert client.get(urlsplit(link).path).status_code == 303
    db.session.refresh(user)
    assert user.verification_level == 1


def test_a_link_for_an_old_address_does_not_confirm_a_new_one(app, users):
    token = confirmation_token(users.unconfirmed)
    users.unconfirmed.email = "changed@example.com"
    db.session.commit()
    with pytest.raises(OperationError):
        confirm_email(token)


def test_the_resend_form_mails_a_fresh_link(client, auth, users):
    auth.login(users.unconfirmed)
    before = db.session.scalar(select(func.count()).select_from(OutboxMail))
    html = client.get("/auth/account").get_data(as_text=True)
    assert "이메일 미인증" in html and "인증 메일 다시 받기" in html
    response = client.post("/auth/confirm/resend")
    assert response.status_code == 303
    assert db.session.scalar(select(func.count()).select_from(OutboxMail)) == before + 1
    client.get(urlsplit(_confirm_link(users.unconfirmed.id)).path)
    db.session.refresh(users.unconfirmed)
    assert users.unconfirmed.is_confirmed
    # Confirmed: the notice is gone and a resend is politely refused.
    assert "인증 메일 다시 받기" not in client.get("/").get_data(as_text=True)
    client.post("/auth/confirm/resend")
    assert db.session.scalar(select(func.count()).select_from(OutboxMail)) == before + 1


def test_sign_up_and_reset_answer_the_same_for_taken_and_free_addresses(client, users):
    answers = []
    for email in ("free@example.com", users.resident.email):
        signed = client.post("/auth/signup", data={**SIGNUP, "email": email})
        signed_page = client.get(signed.headers["Location"]).get_data(as_text=True)
        reset = client.post("/auth/reset", data={"email": email})
        reset_page = client.get(reset.headers["Location"]).get_data(as_text=True)
        flashes = re.findall(r'<p class="flash[^"]*">([^<]*)</p>', signed_page + reset_page)
        answers.append((signed.status_code, signed.headers["Location"], flashes))
    assert answers[0] == answers[1]
    assert "이미 가입" not in str(answers)


def test_staff_see_bursts_of_new_accounts_on_one_proposal_by_keyed_address(
    app, client, auth, users, frozen
):
    start = datetime(2026, 5, 1, 3, 0)
    frozen(start - timedelta(days=3))
    target = proposal(users.neighbour, title="우리 동네 공원 리모델링")
    quiet = proposal(users.neighbour, title="도서관 야간 개방")
    # Long-standing residents support the quiet proposal within the hour: no burst.
    neighbours = residents(6, "이웃")
    frozen(start - timedelta(days=1))
    for person in neighbours:
        ops.give_gonggam(quiet, person)
    # Six accounts made the same evening from one network, all 공감 within the hour.
    frozen(start)
    for n in range(6):
        client.post(
            "/auth/signup",
            data={**SIGNUP, "email": f"burst{n}@example.com", "name": f"몰림{n}"},
            environ_base={"REMOTE_ADDR": "203.0.113.7"},
        )
    fakes = db.session.scalars(select(User).where(User.email.like("burst%"))).all()
    assert len({u.signup_address_key for u in fakes}) == 1
    assert all("203.0.113" not in (u.signup_address_key or "") for u in fakes)
    for n, fake in enumerate(fakes):
        confirm_email(confirmation_token(fake))
        frozen(start + timedelta(minutes=5 * n))
        ops.give_gonggam(target, fake)

    auth.login(users.planning)
    html = client.get("/staff/participation/bursts").get_data(as_text=True)
    assert "우리 동네 공원 리모델링" in html and "6개" in html and "1곳" in html
    assert "도서관 야간 개방" not in html
    assert "203.0.113" not in html
    auth.logout()
    auth.login(users.resident)
    assert client.get("/staff/participation/bursts").status_code == 403


def test_demo_residents_are_confirmed(app, runner):
    runner.invoke(args=["gwanak", "seed-demo"])
    demo = db.session.scalars(select(User).where(User.email.like("%@demo.gwanak.example"))).all()
    assert demo and all(u.verification_level >= Level.EMAIL for u in demo)
