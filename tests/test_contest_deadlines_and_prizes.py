"""창의제안 공모전: no results before the entry deadline, no entries after it, prize
payments recorded per winner, entrants told the outcome by mail. Refusals are Korean and
change nothing."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from gwanak.core.extensions import db
from gwanak.core.mail import OutboxMail
from gwanak.core.operations import OperationError
from gwanak.policy.contest import operations as ops
from gwanak.policy.contest.models import Contest, ContestEntry, ContestEntryEvent
from tests.factories import contest_entry, entry_fields, make_contest

DURING = datetime(2023, 6, 10, 3, 0)  # 2023-06-10 12:00 KST; the contest runs 6/1–6/30
LAST_DAY = datetime(2023, 6, 30, 14, 0)  # 23:00 KST on the last day
AFTER = datetime(2023, 7, 3, 3, 0)
PAY_DAY = datetime(2023, 7, 20, 3, 0)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _offline(title: str, received_on: date | None = None):
    data = entry_fields(title, relation="worker", received_on=received_on)
    data.channel, data.submitter_name = "post", "박민수"
    return data


def _decided(contest, users):
    winner = contest_entry(contest, users.resident, "골목길 조명 개선")
    loser = contest_entry(contest, users.neighbour, "공원 벤치 추가")
    for entry in (winner, loser):
        ops.screen_entry(entry, users.planning, "forward")
    ops.decide_entry(winner, users.planning, "excellent", "금상")
    ops.decide_entry(loser, users.planning, "rejected", reason="이미 추진 중인 사업")
    return winner, loser


def test_results_wait_for_the_entry_deadline(app, users, frozen):
    frozen(DURING)
    contest = make_contest()
    _decided(contest, users)
    for moment in (DURING, LAST_DAY):
        frozen(moment)
        with pytest.raises(OperationError) as refused:
            ops.publish_results(contest, users.planning.id)
        assert refused.value.status == 409
        assert (
            refused.value.message
            == "응모 마감일(2023-06-30)이 지난 뒤에 결과를 발표할 수 있습니다."
        )
    db.session.expire_all()
    assert db.session.get(Contest, contest.id).results_published_at is None
    assert _count(OutboxMail) == 0
    frozen(AFTER)
    ops.publish_results(contest, users.planning.id)
    assert db.session.get(Contest, contest.id).results_published_at == AFTER


def test_no_entry_after_the_deadline_online_or_offline(app, users, frozen):
    frozen(DURING)
    contest = make_contest()
    frozen(AFTER)
    with pytest.raises(OperationError, match=r"응모 기간\(2023-06-01 ~ 2023-06-30\)이 아닙니다"):
        ops.submit_entry(contest, users.resident, entry_fields())
    for received_on, message in (
        (None, r"응모 마감일\(2023-06-30\) 뒤에 들어온 응모작은 받을 수 없습니다"),
        (date(2023, 7, 1), r"응모 마감일\(2023-06-30\) 뒤에"),
        (date(2023, 7, 4), "오늘보다 늦을 수 없습니다"),
        (date(2023, 5, 31), "응모 시작일"),
    ):
        with pytest.raises(OperationError, match=message) as refused:
            ops.register_offline_entry(contest, users.planning, _offline("우편 제안", received_on))
        assert refused.value.field == "received_on"
    assert _count(ContestEntry) == 0 and _count(ContestEntryEvent) == 0

    # A letter that arrived on the last day may still be registered, until the results.
    entry = ops.register_offline_entry(
        contest, users.planning, _offline("우편 제안", date(2023, 6, 30))
    )
    assert entry.received_on == date(2023, 6, 30)
    ops.screen_entry(entry, users.planning, "non_proposal", "단순 민원")
    ops.publish_results(contest, users.planning.id)
    with pytest.raises(OperationError, match="결과를 발표한 공모전에는"):
        ops.register_offline_entry(
            contest, users.planning, _offline("늦은 제안", date(2023, 6, 29))
        )
    assert _count(ContestEntry) == 1


def test_publishing_tells_each_online_entrant_the_outcome(app, users, frozen):
    frozen(DURING)
    contest = make_contest()
    winner, loser = _decided(contest, users)
    by_phone = ops.register_offline_entry(contest, users.planning, _offline("방문 제안"))
    by_mail = _offline("이메일 제안")
    by_mail.channel, by_mail.submitter_contact = "email", "park@example.org"
    by_mail = ops.register_offline_entry(contest, users.planning, by_mail)
    for entry in (by_phone, by_mail):
        ops.screen_entry(entry, users.planning, "non_proposal", "단순 민원")
    frozen(AFTER)
    ops.publish_results(contest, users.planning.id)
    mails = {m.to_user_id or m.to_address: m for m in db.session.scalars(select(OutboxMail))}
    assert set(mails) == {users.resident.id, users.neighbour.id, "park@example.org"}
    assert (
        "'이메일 제안'은(는) 선정되지 않았습니다 (결과: 제외(비제안))"
        in mails["park@example.org"].body
    )
    assert (
        "'골목길 조명 개선'은(는) 선정되었습니다 (결과: 우수제안 · 금상)"
        in mails[users.resident.id].body
    )
    assert "선정되지 않았습니다 (결과: 불채택)" in mails[users.neighbour.id].body
    assert "/policy/contest/2023/results" in mails[users.resident.id].body
    assert mails[users.resident.id].subject == "[관악구] 창의제안 공모전 결과 안내"


def test_a_prize_payment_is_recorded_per_winner_and_corrected_with_a_reason(app, users, frozen):
    frozen(DURING)
    contest = make_contest()
    winner, loser = _decided(contest, users)
    with pytest.raises(OperationError, match="결과를 발표한 뒤에"):
        ops.record_prize_payment(winner, users.planning, date(2023, 6, 10), 500_000)
    frozen(AFTER)
    ops.publish_results(contest, users.planning.id)
    frozen(PAY_DAY)
    for entry, paid_on, amount, message, field in (
        (loser, date(2023, 7, 20), 100_000, "우수제안이나 채택된 응모작만", None),
        (winner, None, 500_000, "지급일을 입력하세요", "paid_on"),
        (winner, date(2023, 7, 21), 500_000, "오늘보다 늦을 수 없습니다", "paid_on"),
        (winner, date(2023, 7, 2), 500_000, "결과 발표일보다 빠릅니다", "paid_on"),
        (winner, date(2023, 7, 20), 0, "지급액을 1원 이상", "amount"),
        (winner, date(2023, 7, 20), None, "지급액을 1원 이상", "amount"),
    ):
        with pytest.raises(OperationError, match=message) as refused:
            ops.record_prize_payment(entry, users.planning, paid_on, amount)
        assert refused.value.field == field
    db.session.expire_all()
    assert db.session.get(ContestEntry, winner.id).prize_paid_on is None

    ops.record_prize_payment(winner, users.planning, date(2023, 7, 20), 500_000)
    with pytest.raises(OperationError, match="사유를 입력하세요"):
        ops.record_prize_payment(winner, users.planning, date(2023, 7, 20), 300_000)
    ops.record_prize_payment(
        winner, users.planning, date(2023, 7, 20), 300_000, "은상 금액으로 정정"
    )
    db.session.expire_all()
    entry = db.session.get(ContestEntry, winner.id)
    assert (entry.prize_paid_on, entry.prize_amount) == (date(2023, 7, 20), 300_000)
    steps = [e.step for e in entry.events]
    assert "시상금 지급 (2023-07-20, 500,000원)" in steps
    assert "시상금 지급 정정 (2023-07-20, 300,000원)" in steps


def test_staff_record_a_prize_on_the_entry_page_without_javascript(
    app, users, client, auth, frozen
):
    frozen(DURING)
    contest = make_contest()
    winner, _ = _decided(contest, users)
    frozen(AFTER)
    ops.publish_results(contest, users.planning.id)
    url = f"/policy/contest/staff/entries/{winner.id}"
    auth.login(users.audit)
    assert (
        client.post(
            f"{url}/prize", data={"prize-paid_on": "2023-07-03", "prize-amount": "1"}
        ).status_code
        == 403
    )
    auth.logout()
    auth.login(users.planning)
    assert "시상금 지급" in client.get(url).get_data(as_text=True)
    bad = client.post(
        f"{url}/prize", data={"prize-paid_on": "2023-07-03", "prize-amount": "열만원"}
    )
    assert bad.status_code == 422 and "숫자로 입력하세요" in bad.get_data(as_text=True)
    ok = client.post(f"{url}/prize", data={"prize-paid_on": "2023-07-03", "prize-amount": "500000"})
    assert ok.status_code == 303
    assert "500,000원 · 2023-07-03 지급" in client.get(url).get_data(as_text=True)


def test_after_the_results_the_period_cannot_be_reopened_for_entries(app, users, frozen):
    frozen(DURING)
    contest = make_contest()
    _decided(contest, users)
    frozen(AFTER)
    ops.publish_results(contest, users.planning.id)
    fields = ops.ContestFields(
        year=2023, title=contest.title, theme=contest.theme, opens_on=contest.opens_on,
        closes_on=date(2023, 7, 31), eligibility=list(contest.eligibility),
        grades=list(contest.grades), prize_rules=contest.prize_rules,
    )  # fmt: skip
    with pytest.raises(OperationError, match="응모 기간은 바꿀 수 없습니다") as refused:
        ops.update_contest(contest, fields, users.planning.id)
    assert (refused.value.field, refused.value.status) == ("closes_on", 409)
    db.session.expire_all()
    contest = db.session.get(Contest, contest.id)
    assert contest.closes_on == date(2023, 6, 30)
    # Even a period that somehow contains today refuses entries once results are out.
    contest.closes_on = date(2023, 7, 31)  # as a bad import might leave it
    with pytest.raises(OperationError, match="결과를 발표한 공모전에는 응모할 수 없습니다"):
        ops.submit_entry(contest, users.resident, entry_fields("늦은 제안"))
    db.session.rollback()
    assert _count(ContestEntry) == 2
    # The rest of the contest can still be corrected after the results.
    fields.closes_on, fields.theme = date(2023, 6, 30), "구민 생활 불편 개선 (오타 정정)"
    ops.update_contest(db.session.get(Contest, contest.id), fields, users.planning.id)
    assert db.session.get(Contest, contest.id).theme.endswith("(오타 정정)")
