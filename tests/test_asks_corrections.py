"""관악구가 묻습니다!: staff correct an agenda — edit, extend, close early, withdraw — and
the result, with its earlier texts public. Every refusal is Korean and changes nothing."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from gwanak.core.audit import AuditEntry
from gwanak.core.extensions import db
from gwanak.core.operations import OperationError
from gwanak.participation import operations as part_ops
from gwanak.policy.asks import operations as ops
from gwanak.policy.asks.models import Agenda, AgendaResultVersion, AgendaState, PollVote
from tests.factories import make_agenda

OPEN_DAY = datetime(2026, 3, 10, 3, 0)  # 2026-03-10 12:00 KST
AFTER_CLOSE = datetime(2026, 4, 1, 3, 0)


def _fresh(agenda_id: int) -> Agenda:
    db.session.rollback()
    db.session.expire_all()
    return db.session.get(Agenda, agenda_id)


def _audits(action: str) -> int:
    return db.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action)
    )


def test_editing_marks_the_agenda_and_keeps_the_old_text_in_the_audit(app, users, frozen):
    frozen(OPEN_DAY)
    agenda = make_agenda(users.planning)
    with pytest.raises(OperationError) as refused:
        ops.edit_agenda(agenda, users.planning, " ", "새 내용")
    assert (refused.value.field, refused.value.message) == ("title", "제목을 입력하세요.")
    with pytest.raises(OperationError, match="고친 내용이 없습니다"):
        ops.edit_agenda(agenda, users.planning, agenda.title, agenda.body_md)
    agenda = _fresh(agenda.id)
    assert agenda.edited_at is None and _audits("agenda.edit") == 0

    ops.edit_agenda(
        agenda, users.planning, "봉천천 산책로 조명 (장소 정정)", "**장소**를 고쳤습니다."
    )
    agenda = _fresh(agenda.id)
    assert agenda.title == "봉천천 산책로 조명 (장소 정정)" and agenda.edited_at is not None
    assert "<strong>장소</strong>" in agenda.body_html
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "agenda.edit"))
    assert entry.before["title"] == "봉천천 산책로 야간 조명, 어떻게 할까요?"


def test_extending_refuses_the_past_and_an_earlier_date_then_reopens_votes(app, users, frozen):
    frozen(OPEN_DAY)
    agenda = make_agenda(users.planning)
    for closes_on, message in (
        (date(2026, 3, 9), "이미 지난 날짜"),
        (date(2026, 3, 31), r"지금 마감일\(2026-03-31\)보다 늦어야"),
        (None, "새 마감일을 입력하세요"),
    ):
        with pytest.raises(OperationError, match=message) as refused:
            ops.extend_deadline(agenda, users.planning, closes_on)
        assert refused.value.field == "closes_on"
    assert _fresh(agenda.id).closes_on == date(2026, 3, 31) and _audits("agenda.extend") == 0

    frozen(AFTER_CLOSE)  # the date passed; nobody published a result: extending reopens it
    agenda = _fresh(agenda.id)
    assert agenda.state() == AgendaState.CLOSED
    ops.extend_deadline(agenda, users.planning, date(2026, 4, 15))
    agenda = _fresh(agenda.id)
    assert agenda.state() == AgendaState.OPEN and _audits("agenda.extend") == 1
    ops.cast_vote(agenda, users.resident, agenda.options[0].id)


def test_closing_early_stops_votes_and_opinions_and_allows_the_result(app, users, frozen):
    frozen(OPEN_DAY)
    agenda = make_agenda(users.planning)
    with pytest.raises(OperationError, match="끝난 뒤"):
        ops.publish_result(agenda, users.planning, "반영했습니다.")
    ops.close_early(agenda, users.planning)
    agenda = _fresh(agenda.id)
    assert agenda.state() == AgendaState.CLOSED
    with pytest.raises(OperationError, match="2026-03-10에 조기 마감") as refused:
        ops.cast_vote(agenda, users.resident, agenda.options[0].id)
    assert refused.value.status == 409
    with pytest.raises(OperationError, match="조기 마감"):
        part_ops.post_comment(agenda.discussion, users.resident, "늦은 의견")
    with pytest.raises(OperationError, match="의견을 받는 중인 의제만") as again:
        ops.close_early(agenda, users.planning)
    assert again.value.status == 409
    with pytest.raises(OperationError, match="조기 마감한 의제는 연장할 수 없습니다"):
        ops.extend_deadline(agenda, users.planning, date(2026, 4, 30))
    assert db.session.scalar(select(func.count()).select_from(PollVote)) == 0
    assert _fresh(agenda.id).closes_on == date(2026, 3, 31)
    ops.publish_result(_fresh(agenda.id), users.planning, "조명 20개를 설치합니다.")
    assert _fresh(agenda.id).state() == AgendaState.PUBLISHED


def test_withdrawing_needs_a_public_reason_and_then_nothing_moves(app, users, frozen, client):
    frozen(OPEN_DAY)
    agenda = make_agenda(users.planning)
    with pytest.raises(OperationError) as refused:
        ops.withdraw_agenda(agenda, users.planning, "  ")
    assert refused.value.field == "reason" and "철회 사유를 입력하세요" in refused.value.message
    assert _fresh(agenda.id).withdrawn_at is None

    ops.withdraw_agenda(_fresh(agenda.id), users.planning, "같은 내용의 의제가 이미 진행 중입니다.")
    agenda = _fresh(agenda.id)
    assert agenda.state() == AgendaState.WITHDRAWN
    for attempt, message in (
        (lambda: ops.cast_vote(agenda, users.resident, agenda.options[0].id), "철회된 의제"),
        (lambda: part_ops.post_comment(agenda.discussion, users.resident, "의견"), "철회된 의제"),
        (lambda: ops.edit_agenda(agenda, users.planning, "새 제목", "새 내용"), "철회된 의제"),
        (lambda: ops.extend_deadline(agenda, users.planning, date(2026, 5, 1)), "철회된 의제"),
        (lambda: ops.close_early(agenda, users.planning), "철회된 의제"),
        (lambda: ops.withdraw_agenda(agenda, users.planning, "다시"), "철회된 의제"),
    ):
        with pytest.raises(OperationError, match=message):
            attempt()
    frozen(AFTER_CLOSE)
    with pytest.raises(OperationError, match="철회된 의제에는 결과를 공개할 수 없습니다"):
        ops.publish_result(_fresh(agenda.id), users.planning, "결과")
    agenda = _fresh(agenda.id)
    assert (agenda.title, agenda.closes_on, agenda.result_md) == (
        "봉천천 산책로 야간 조명, 어떻게 할까요?",
        date(2026, 3, 31),
        None,
    )
    assert db.session.scalar(select(func.count()).select_from(PollVote)) == 0
    page = client.get(f"/policy/asks/{agenda.id}").get_data(as_text=True)
    assert "철회된 의제입니다" in page and "같은 내용의 의제가 이미 진행 중입니다." in page
    assert "/policy/asks/" + str(agenda.id) not in client.get("/policy/asks?state=open").get_data(
        as_text=True
    )


def test_a_published_result_cannot_be_withdrawn_or_extended(app, users, frozen):
    frozen(OPEN_DAY)
    agenda = make_agenda(users.planning)
    frozen(AFTER_CLOSE)
    ops.publish_result(agenda, users.planning, "조명을 늘립니다.")
    agenda = _fresh(agenda.id)
    with pytest.raises(OperationError, match="결과가 공개된 의제는 철회할 수 없습니다"):
        ops.withdraw_agenda(agenda, users.planning, "사유")
    with pytest.raises(OperationError, match="결과가 공개된 의제는 마감일을 바꿀 수 없습니다"):
        ops.extend_deadline(agenda, users.planning, date(2026, 5, 1))
    agenda = _fresh(agenda.id)
    assert agenda.withdrawn_at is None and agenda.closes_on == date(2026, 3, 31)


def test_correcting_the_result_keeps_the_earlier_text_public(app, users, frozen, client):
    frozen(OPEN_DAY)
    agenda = make_agenda(users.planning)
    frozen(AFTER_CLOSE)
    ops.publish_result(agenda, users.planning, "조명 **20개**를 설치합니다.")
    with pytest.raises(OperationError, match="고친 내용이 없습니다"):
        ops.publish_result(_fresh(agenda.id), users.planning, "조명 **20개**를 설치합니다.")
    assert db.session.scalar(select(func.count()).select_from(AgendaResultVersion)) == 0
    page = client.get(f"/policy/asks/{agenda.id}").get_data(as_text=True)
    assert "수정됨" not in page and "이전 내용" not in page

    frozen(datetime(2026, 4, 3, 3, 0))
    ops.publish_result(_fresh(agenda.id), users.planning, "조명 **24개**를 설치합니다.")
    agenda = _fresh(agenda.id)
    assert agenda.result_published_at == AFTER_CLOSE
    assert agenda.result_updated_at == datetime(2026, 4, 3, 3, 0)
    page = client.get(f"/policy/asks/{agenda.id}").get_data(as_text=True)
    assert "<strong>24개</strong>" in page and "수정됨 2026-04-03" in page
    assert "이전 내용 1건 보기" in page and "<strong>20개</strong>" in page
    assert "2026-04-01 12:00에 공개, 2026-04-03 12:00에 고침" in page


def test_staff_walk_without_javascript_and_with_htmx(app, users, frozen, client, auth):
    frozen(OPEN_DAY)
    agenda = make_agenda(users.planning)
    base = f"/policy/asks/{agenda.id}"
    for who in (users.autonomy, users.resident):
        auth.login(who)
        assert client.get(f"{base}/manage").status_code == 403
        assert client.post(f"{base}/close").status_code == 403
        assert (
            client.post(f"{base}/edit", data={"title": "남의 의제", "body": "x"}).status_code == 403
        )
        auth.logout()
    assert _fresh(agenda.id).closed_early_at is None

    auth.login(users.planning)
    detail = client.get(base).get_data(as_text=True)
    assert f"{base}/edit" in detail and f"{base}/manage" in detail
    assert client.get(f"{base}/edit").status_code == 200
    bad = client.post(f"{base}/edit", data={"title": "", "body": "내용"})
    assert bad.status_code == 422 and 'id="title-error"' in bad.get_data(as_text=True)
    ok = client.post(f"{base}/edit", data={"title": "산책로 조명 의제", "body": "고친 내용"})
    assert ok.status_code == 303
    assert "수정됨" in client.get(base).get_data(as_text=True)

    assert client.get(f"{base}/manage").status_code == 200
    past = client.post(f"{base}/extend", data={"closes_on": "2026-03-01"})
    assert past.status_code == 422 and "이미 지난 날짜" in past.get_data(as_text=True)
    assert client.post(f"{base}/extend", data={"closes_on": "2026-04-10"}).status_code == 303
    assert _fresh(agenda.id).closes_on == date(2026, 4, 10)

    htmx = {"HX-Request": "true"}
    bad = client.post(f"{base}/withdraw", data={"reason": ""}, headers=htmx)
    text = bad.get_data(as_text=True)
    assert bad.status_code == 200 and "<html" not in text and 'id="reason-error"' in text
    assert _fresh(agenda.id).withdrawn_at is None
    done = client.post(f"{base}/close", headers=htmx)
    text = done.get_data(as_text=True)
    assert done.status_code == 200 and "<html" not in text and "조기 마감했습니다" in text
    again = client.post(f"{base}/close")
    assert again.status_code == 409 and "의견을 받는 중인 의제만" in again.get_data(as_text=True)
    manage = client.get(f"{base}/manage").get_data(as_text=True)
    assert "지금 마감" not in manage and "마감 연장" not in manage and "의제 철회" in manage
    assert (
        client.post(f"{base}/withdraw", data={"reason": "예산이 확보되지 않았습니다."}).status_code
        == 303
    )
    assert "예산이 확보되지 않았습니다." in client.get(base).get_data(as_text=True)


def test_before_it_opens_the_opening_day_can_be_corrected(app, users, frozen, client, auth):
    frozen(datetime(2026, 2, 20, 3, 0))
    agenda = make_agenda(users.planning)  # opens 3/1, closes 3/31
    for opens_on, message in (
        (date(2026, 2, 19), "시작일이 이미 지난 날짜입니다"),
        (date(2026, 4, 1), r"시작일은 마감일\(2026-03-31\)보다 늦을 수 없습니다"),
    ):
        with pytest.raises(OperationError, match=message) as refused:
            ops.edit_agenda(agenda, users.planning, agenda.title, agenda.body_md, opens_on)
        assert refused.value.field == "opens_on"
    assert _fresh(agenda.id).opens_on == date(2026, 3, 1)
    auth.login(users.planning)
    url = f"/policy/asks/{agenda.id}/edit"
    assert 'name="opens_on"' in client.get(url).get_data(as_text=True)
    form = {"title": agenda.title, "body": agenda.body_md}
    assert client.post(url, data=form | {"opens_on": "2026-03-05"}).status_code == 303
    assert _fresh(agenda.id).opens_on == date(2026, 3, 5)

    frozen(OPEN_DAY)  # open now: the opening day stays what residents saw
    assert 'name="opens_on"' not in client.get(url).get_data(as_text=True)
    refused = client.post(url, data=form | {"opens_on": "2026-03-12"})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 409 and "시작일을 바꿀 수 없습니다" in text
    assert _fresh(agenda.id).opens_on == date(2026, 3, 5)


def test_withdrawing_takes_the_agenda_out_of_the_mayors_queue(app, users, frozen, client, auth):
    from gwanak.participation.models import Discussion, TimelineEvent
    from gwanak.participation.queries import mayor_queue
    from tests.factories import comments, residents

    frozen(OPEN_DAY)
    agenda = make_agenda(users.planning)
    comments(agenda.discussion, residents(100), "의견입니다.")
    assert [d.id for d in mayor_queue()] == [agenda.discussion_id]
    reason = "같은 내용의 의제가 이미 진행 중입니다."
    ops.withdraw_agenda(_fresh(agenda.id), users.planning, reason)
    assert mayor_queue() == []
    discussion = db.session.get(Discussion, agenda.discussion_id)
    assert discussion.mayor_state is None and discussion.mayor_due_at is None
    event = db.session.scalar(
        select(TimelineEvent).where(
            TimelineEvent.discussion_id == agenda.discussion_id,
            TimelineEvent.event == "mayor_dropped",
        )
    )
    assert event is not None and reason in event.note and event.actor_id == users.planning.id
    auth.login(users.mayor)
    page = client.get("/staff/participation/mayor").get_data(as_text=True)
    assert agenda.title not in page
    with pytest.raises(OperationError, match="구청장 답변 대상이 아니거나"):
        part_ops.mayor_answer(discussion, users.mayor, "답변")
