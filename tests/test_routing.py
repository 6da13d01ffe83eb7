"""Routing a proposal under review: the coordinator (the board's owner) hands it to a
담당 부서, which answers; the deadline stays; the public sees the department."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from gwanak.accounts.models import Role
from gwanak.core.audit import AuditEntry
from gwanak.core.extensions import db
from gwanak.core.mail import OutboxMail
from gwanak.core.operations import OperationError
from gwanak.participation import operations as ops
from gwanak.participation.models import Proposal, TimelineEvent
from gwanak.participation.outward import responsible_department
from tests.factories import gonggam, make_user, proposal, residents

START = datetime(2026, 3, 2, 1, 0)


@pytest.fixture
def traffic(app):
    return make_user(Role.STAFF, name="교통 직원", department="교통행정과")


@pytest.fixture
def in_review(users, frozen):
    frozen(START)
    p = proposal(users.resident, "봉천로 횡단보도 신호 시간을 늘려 주세요")
    gonggam(p, residents(5))
    db.session.refresh(p)
    assert p.state == "review" and p.department == "기획예산과"
    return p


def _fresh(p) -> Proposal:
    db.session.expire_all()
    return db.session.get(Proposal, p.id)


def _events(p) -> list[str]:
    return list(
        db.session.scalars(
            select(TimelineEvent.event)
            .where(TimelineEvent.discussion_id == p.discussion_id)
            .order_by(TimelineEvent.id)
        )
    )


def test_coordinator_hands_on_and_the_deadline_stays(users, traffic, in_review, frozen):
    due = in_review.answer_due_at
    frozen(START + timedelta(days=3))
    ops.assign_proposal(
        in_review,
        users.planning,
        department="교통행정과",
        reason="신호 운영은 교통행정과 소관입니다.",
        cooperating=["도로과", "교통행정과", "도로과"],
    )
    p = _fresh(in_review)
    assert (p.department, p.cooperating, p.answer_due_at) == ("교통행정과", ["도로과"], due)
    assert responsible_department(p) == "교통행정과"
    assert _events(p)[-1] == "reassigned"
    mail = db.session.scalars(select(OutboxMail).where(OutboxMail.to_address == traffic.email))
    assert [m.subject for m in mail] == ["[온라인 관악청] 담당 제안 배정: " + p.title]
    # Handed on again: still the same deadline, and a second timeline line.
    ops.assign_proposal(p, users.planning, department="도로과", reason="도로 구조 개선 건입니다.")
    p = _fresh(p)
    assert (p.department, p.answer_due_at) == ("도로과", due)
    assert _events(p).count("reassigned") == 2


def test_only_the_coordinator_routes(users, traffic, in_review):
    before = _fresh(in_review).department
    for who in (traffic, users.autonomy, users.boramae, users.resident):
        with pytest.raises(OperationError) as refused:
            ops.assign_proposal(in_review, who, department="교통행정과", reason="이관")
        assert refused.value.status == 403
    assert _fresh(in_review).department == before
    assert "reassigned" not in _events(in_review)
    ops.assign_proposal(in_review, users.admin, department="교통행정과", reason="관리자 배정")
    assert _fresh(in_review).department == "교통행정과"


@pytest.mark.parametrize(
    ("department", "cooperating", "reason", "field"),
    [
        ("우주개발과", [], "이관", "department"),
        ("보라매동 주민센터", [], "이관", "department"),
        ("교통행정과", ["없는과"], "이관", "cooperating"),
        ("교통행정과", [], "  ", "reason"),
        ("기획예산과", [], "그대로", "department"),
    ],
)
def test_bad_routing_input_is_refused_by_its_field(
    users, in_review, department, cooperating, reason, field
):
    with pytest.raises(OperationError) as refused:
        ops.assign_proposal(
            in_review, users.planning, department=department, reason=reason, cooperating=cooperating
        )
    assert (refused.value.field, refused.value.status) == (field, 422)
    assert _fresh(in_review).department == "기획예산과"
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "proposal.reassign")
        )
        == 0
    )


def test_only_review_proposals_are_routed(users, frozen):
    frozen(START)
    p = proposal(users.resident)
    with pytest.raises(OperationError) as refused:
        ops.assign_proposal(p, users.planning, department="교통행정과", reason="이관")
    assert refused.value.status == 409


def test_only_the_assigned_department_or_coordinator_answers(users, traffic, in_review):
    ops.assign_proposal(in_review, users.planning, department="교통행정과", reason="소관 부서")
    parks = make_user(Role.STAFF, name="공원 직원", department="공원녹지과")
    with pytest.raises(OperationError) as refused:
        ops.answer_proposal(_fresh(in_review), parks, outcome="adopted", body="하겠습니다.")
    assert refused.value.status == 403
    assert _fresh(in_review).state == "review"
    answer = ops.answer_proposal(
        _fresh(in_review), traffic, outcome="adopted", body="신호 시간을 5초 늘립니다."
    )
    assert answer.department == "교통행정과"


def test_web_wrong_department_gets_403_and_nothing_changes(client, auth, users, in_review):
    make_user(Role.STAFF, name="공원 직원", email="parks@example.com", department="공원녹지과")
    auth.login("parks@example.com")
    data = {"department": "공원녹지과", "reason": "제가 할게요"}
    assert (
        client.post(f"/staff/participation/proposals/{in_review.id}/assign", data=data).status_code
        == 403
    )
    answer = {"outcome": "adopted", "body": "합니다."}
    assert (
        client.post(f"/staff/participation/proposals/{in_review.id}", data=answer).status_code
        == 403
    )
    p = _fresh(in_review)
    assert (p.department, p.state) == ("기획예산과", "review")


def test_web_assign_without_js_then_the_department_answers(client, auth, users, traffic, in_review):
    auth.login(users.planning)
    url = f"/staff/participation/proposals/{in_review.id}"
    page = client.get(url).get_data(as_text=True)
    assert "담당 부서 지정" in page and 'name="reason"' in page
    # The answer form on the same page has a `reason` too: one id each.
    assert page.count('id="reason"') == 1 and page.count('id="assign-reason"') == 1
    bad = client.post(f"{url}/assign", data={"department": "우주개발과", "reason": "이관"})
    assert bad.status_code == 422
    assert 'id="department-error"' in bad.get_data(as_text=True)
    ok = client.post(
        f"{url}/assign",
        data={"department": "교통행정과", "cooperating": ["도로과"], "reason": "신호 운영 소관"},
    )
    assert ok.status_code == 303 and ok.location.endswith(url)
    auth.logout()
    auth.login(traffic)
    queue = client.get("/staff/participation/review").get_data(as_text=True)
    assert in_review.title in queue
    done = client.post(url, data={"outcome": "adopted", "body": "신호 시간을 늘리겠습니다."})
    assert done.status_code == 303
    public = client.get(f"/policy/proposals/{in_review.id}").get_data(as_text=True)
    assert "담당 교통행정과 (협조: 도로과)" in public
    assert "담당 부서 변경" in public and "교통행정과 답변" in public
    listing = client.get("/policy/proposals").get_data(as_text=True)
    assert "담당 교통행정과" in listing and "/participation/departments" in listing
    (row,) = client.get("/open-data/proposals.json").get_json()["items"]
    assert row["department"] == "교통행정과"
    (stats,) = client.get("/open-data/department-answers.json").get_json()["items"]
    assert (stats["department"], stats["answered"]) == ("교통행정과", 1)
    assert "교통행정과 답변: 신호 시간을" in client.get("/feeds/policy-answers.atom").get_data(
        as_text=True
    )


def test_web_assign_with_htmx_swaps_the_routing_panel(client, auth, users, in_review):
    auth.login(users.planning)
    url = f"/staff/participation/proposals/{in_review.id}/assign"
    headers = {"HX-Request": "true"}
    bad = client.post(url, data={"department": "교통행정과", "reason": ""}, headers=headers)
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="routing"') and 'id="assign-reason-error"' in html
    ok = client.post(url, data={"department": "교통행정과", "reason": "소관"}, headers=headers)
    html = ok.get_data(as_text=True)
    assert ok.status_code == 200 and "<strong>교통행정과</strong>" in html
    assert "교통행정과에 배정했습니다" in html and "<html" not in html


def test_department_queue_lists_its_overdue(client, auth, users, traffic, in_review, frozen):
    ops.assign_proposal(in_review, users.planning, department="교통행정과", reason="소관")
    frozen(START + timedelta(days=40))
    auth.login(traffic)
    overview = client.get("/staff/participation/departments").get_data(as_text=True)
    assert 'href="/staff/participation/departments/traffic"' in overview
    page = client.get("/staff/participation/departments/traffic").get_data(as_text=True)
    assert "답변 기한 초과 (1건)" in page and in_review.title in page
    assert client.get("/staff/participation/departments/nowhere").status_code == 404


def test_reminders_go_to_the_assigned_department(runner, users, traffic, in_review, frozen):
    ops.assign_proposal(in_review, users.planning, department="교통행정과", reason="소관")
    frozen(in_review.answer_due_at - timedelta(days=1))
    assert ops.send_answer_reminders() == 1
    reminded = db.session.scalars(
        select(OutboxMail.to_address).where(OutboxMail.subject.like("%답변 기한 알림%"))
    ).all()
    assert reminded == [traffic.email]


def test_coordinator_follows_what_it_handed_on_and_helpers_read_only(
    client, auth, users, traffic, in_review
):
    ops.assign_proposal(
        in_review, users.planning, department="교통행정과", reason="소관", cooperating=["도로과"]
    )
    auth.login(users.planning)
    review = client.get("/staff/participation/review").get_data(as_text=True)
    assert "다른 부서에 넘긴 제안 (1건)" in review and "담당 교통행정과" in review
    auth.logout()
    roads = make_user(Role.STAFF, name="도로 직원", department="도로과")
    auth.login(roads)
    url = f"/staff/participation/proposals/{in_review.id}"
    page = client.get(url)
    assert page.status_code == 200 and "답변 게시" not in page.get_data(as_text=True)
    assert client.post(url, data={"outcome": "adopted", "body": "합니다."}).status_code == 403
    assert _fresh(in_review).state == "review"
