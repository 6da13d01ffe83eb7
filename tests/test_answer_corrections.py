"""After the answer: the department corrects its published answer (kept and shown as
수정됨 with its history) and reports 추진상황 on an adopted proposal until 완료."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm.attributes import set_committed_value

from gwanak.core.audit import AuditEntry
from gwanak.core.extensions import db
from gwanak.core.operations import OperationError
from gwanak.participation import operations as ops
from gwanak.participation.models import (
    Answer,
    AnswerRevision,
    ProgressRevision,
    ProgressUpdate,
    Proposal,
    TimelineEvent,
)
from gwanak.policy.board import POLICY_BOARD
from tests.factories import gonggam, proposal, residents

FIRST = "내년 상반기에 보라매동 골목 가로등 12개를 LED로 바꾸겠습니다."
FIXED = "내년 하반기에 보라매동 골목 가로등 12개를 LED로 바꾸겠습니다."


def answered(author, staff, outcome: str = "adopted", body: str = FIRST) -> Proposal:
    """A proposal that reached review by 공감 and got the department's answer."""
    p = proposal(author)
    gonggam(p, residents(POLICY_BOARD.review_threshold))
    db.session.refresh(p)
    ops.answer_proposal(p, staff, outcome=outcome, body=body)
    db.session.refresh(p)
    return p


def the_answer(p: Proposal) -> Answer:
    return db.session.scalar(select(Answer).where(Answer.discussion_id == p.discussion_id))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# ---------------------------------------------------------------- correcting an answer


def test_a_correction_keeps_the_old_answer_and_says_why(app, users):
    p = answered(users.resident, users.planning)
    answer = the_answer(p)
    ops.correct_answer(
        answer, users.planning, body=FIXED, note="공사 시기를 잘못 적어 바로잡습니다."
    )
    db.session.refresh(answer)
    assert answer.body == FIXED and answer.revised_at is not None
    [revision] = answer.revisions
    assert revision.body == FIRST and revision.outcome == "adopted"
    assert revision.note == "공사 시기를 잘못 적어 바로잡습니다."
    assert revision.written_at == answer.created_at
    # A second correction keeps the first correction's text too: every version stays.
    ops.correct_answer(
        answer, users.planning, body=FIXED + " 공사 중 통행을 안내합니다.", note="안내 추가"
    )
    db.session.refresh(answer)
    assert [r.body for r in answer.revisions] == [FIRST, FIXED]
    events = db.session.scalars(
        select(TimelineEvent.event).where(TimelineEvent.discussion_id == p.discussion_id)
    ).all()
    assert events.count("answer_corrected") == 2
    assert (
        db.session.scalar(
            select(func.count()).where(AuditEntry.action == "proposal.answer.correct")
        )
        == 2
    )


def test_the_outcome_can_be_corrected_on_the_policy_board(app, users):
    p = answered(users.resident, users.planning, outcome="reference")
    ops.correct_answer(
        the_answer(p), users.planning, outcome="adopted", body=FIXED, note="검토 결과 채택"
    )
    db.session.refresh(p)
    assert p.outcome == "adopted"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"body": "   "}, "body", "답변을(를) 입력하세요."),
        ({"note": ""}, "note", "고친 까닭을(를) 입력하세요."),
        ({"note": "가" * 201}, "note", "200자 이하"),
        ({"body": FIRST}, "body", "고친 내용이 없습니다"),
        ({"outcome": "other"}, "reason", "사유를 적어야"),
        ({"outcome": "maybe"}, "outcome", "처리 결과를 고르세요"),
    ],
)
def test_bad_corrections_are_refused_in_korean_and_change_nothing(
    app, users, changes, field, message
):
    p = answered(users.resident, users.planning)
    fields = {"body": FIXED, "note": "바로잡습니다."} | changes
    with pytest.raises(OperationError) as refused:
        ops.correct_answer(the_answer(p), users.planning, **fields)
    assert refused.value.field == field and message in refused.value.message
    assert count(AnswerRevision) == 0
    assert the_answer(p).body == FIRST


def test_only_the_answering_department_may_correct(app, users):
    p = answered(users.resident, users.planning)
    for someone in (users.audit, users.boramae, users.resident, users.mayor):
        with pytest.raises(OperationError) as refused:
            ops.correct_answer(the_answer(p), someone, body=FIXED, note="고침")
        assert refused.value.status == 403
    ops.correct_answer(the_answer(p), users.admin, body=FIXED, note="관리자가 오타를 고침")
    assert count(AnswerRevision) == 1


def test_a_correction_racing_another_is_told_and_writes_nothing(app, users):
    p = answered(users.resident, users.planning)
    stale = the_answer(p)
    stale_version = stale.revised_at
    ops.correct_answer(stale, users.planning, body=FIXED, note="먼저 고침")
    # The second person's page still showed the first version (as loaded, not a change).
    set_committed_value(stale, "revised_at", stale_version)
    with pytest.raises(OperationError) as refused:
        ops.correct_answer(stale, users.planning, body=FIXED + "!", note="나중에 고침")
    assert refused.value.status == 409
    assert count(AnswerRevision) == 1


def test_correcting_through_the_back_office_and_seeing_it_in_public(client, auth, users):
    p = answered(users.resident, users.planning)
    aid = the_answer(p).id
    url = f"/staff/participation/answers/{aid}/correct"
    auth.login(users.audit)
    assert client.get(url).status_code == 403
    auth.logout()
    auth.login(users.planning)
    assert client.get("/staff/participation/answers/999999/correct").status_code == 404
    page = client.get(url).get_data(as_text=True)
    assert FIRST in page and 'for="note"' in page
    # Without a reason: the Korean message by the field, nothing saved.
    response = client.post(url, data={"outcome": "adopted", "body": FIXED, "note": ""})
    assert response.status_code == 422
    assert 'id="note-error"' in response.get_data(as_text=True)
    assert count(AnswerRevision) == 0
    response = client.post(
        url, data={"outcome": "adopted", "body": FIXED, "note": "공사 시기를 바로잡습니다."}
    )
    assert response.status_code == 303
    auth.logout()
    page = client.get(f"/policy/proposals/{p.id}").get_data(as_text=True)
    assert FIXED in page and "수정됨" in page
    assert "수정 기록 1건" in page and FIRST in page and "공사 시기를 바로잡습니다." in page


def test_a_mayors_answer_is_not_corrected_here(client, auth, users, app):
    from gwanak.participation.models import Discussion, MayorState

    p = proposal(users.resident)
    discussion = db.session.get(Discussion, p.discussion_id)
    discussion.mayor_state = MayorState.QUEUED
    db.session.commit()
    answer = ops.mayor_answer(discussion, users.mayor, "구청장으로서 답합니다.")
    auth.login(users.planning)
    assert client.get(f"/staff/participation/answers/{answer.id}/correct").status_code == 404


# ---------------------------------------------------------------- 추진상황


def test_progress_runs_until_done_and_a_correction_reopens_it(app, users):
    p = answered(users.resident, users.planning)
    ops.add_progress(p, users.planning, status="ongoing", body="설치 위치 12곳을 확정했습니다.")
    done = ops.add_progress(p, users.planning, status="done", body="12개 모두 LED로 바꿨습니다.")
    db.session.refresh(p)
    assert p.progress == "done" and p.progress_label == "완료"
    with pytest.raises(OperationError) as refused:
        ops.add_progress(p, users.planning, status="ongoing", body="추가 설치를 검토합니다.")
    assert refused.value.status == 409 and "추진 완료" in refused.value.message
    assert count(ProgressUpdate) == 2
    # The first update's status cannot change: only the latest says where it stands.
    first = db.session.scalars(select(ProgressUpdate).order_by(ProgressUpdate.id)).first()
    with pytest.raises(OperationError) as refused:
        ops.correct_progress(first, users.planning, status="done", body=first.body, note="x")
    assert refused.value.field == "status"
    ops.correct_progress(
        done,
        users.planning,
        status="ongoing",
        body="10개를 바꿨고 2개는 전신주 이설 뒤 바꿉니다.",
        note="2개가 남아 있어 바로잡습니다.",
    )
    db.session.refresh(p)
    assert p.progress == "ongoing"
    [revision] = db.session.scalars(select(ProgressRevision)).all()
    assert revision.status == "done" and revision.body == "12개 모두 LED로 바꿨습니다."
    ops.add_progress(p, users.planning, status="done", body="남은 2개도 바꿨습니다.")
    assert count(ProgressUpdate) == 3


@pytest.mark.parametrize("outcome", ["reference", "rejected"])
def test_progress_is_for_adopted_proposals_only(app, users, outcome):
    p = answered(users.resident, users.planning, outcome=outcome)
    with pytest.raises(OperationError) as refused:
        ops.add_progress(p, users.planning, status="ongoing", body="추진합니다.")
    assert refused.value.status == 409 and "채택된 제안에만" in refused.value.message
    assert count(ProgressUpdate) == 0


def test_progress_in_review_is_refused(app, users):
    p = proposal(users.resident)
    with pytest.raises(OperationError) as refused:
        ops.add_progress(p, users.planning, status="ongoing", body="추진합니다.")
    assert refused.value.status == 409


@pytest.mark.parametrize(
    ("status", "body", "field"),
    [("", "추진합니다.", "status"), ("later", "추진합니다.", "status"), ("ongoing", "  ", "body")],
)
def test_bad_progress_is_refused_by_the_field(app, users, status, body, field):
    p = answered(users.resident, users.planning)
    with pytest.raises(OperationError) as refused:
        ops.add_progress(p, users.planning, status=status, body=body)
    assert refused.value.field == field
    assert count(ProgressUpdate) == 0
    db.session.refresh(p)
    assert p.progress is None


def test_only_the_department_posts_progress(app, users):
    p = answered(users.resident, users.planning)
    for someone in (users.audit, users.resident, users.mayor):
        with pytest.raises(OperationError) as refused:
            ops.add_progress(p, someone, status="ongoing", body="추진합니다.")
        assert refused.value.status == 403
    assert count(ProgressUpdate) == 0


def test_an_adopted_proposal_with_progress_stays_adopted(app, users):
    p = answered(users.resident, users.planning)
    ops.add_progress(p, users.planning, status="ongoing", body="설계 중입니다.")
    with pytest.raises(OperationError) as refused:
        ops.correct_answer(
            the_answer(p), users.planning, outcome="rejected", body=FIXED, note="재검토"
        )
    assert refused.value.field == "outcome" and refused.value.status == 409
    db.session.refresh(p)
    assert p.outcome == "adopted"


def test_progress_through_the_back_office_and_in_public(client, auth, users):
    p = answered(users.resident, users.planning)
    url = f"/staff/participation/proposals/{p.id}/progress"
    auth.login(users.audit)
    assert client.get(url).status_code == 403
    auth.logout()
    auth.login(users.planning)
    assert client.get("/staff/participation/proposals/999999/progress").status_code == 404
    response = client.post(url, data={"status": "ongoing", "body": ""})
    assert response.status_code == 422
    assert 'id="body-error"' in response.get_data(as_text=True)
    response = client.post(url, data={"status": "ongoing", "body": "설치 위치를 정했습니다."})
    assert response.status_code == 303
    response = client.post(url, data={"status": "done", "body": "설치를 마쳤습니다."})
    assert response.status_code == 303
    response = client.post(url, data={"status": "ongoing", "body": "한 번 더"})
    assert response.status_code == 409
    assert "추진 완료된 제안" in response.get_data(as_text=True)
    uid = db.session.scalar(select(func.max(ProgressUpdate.id)))
    assert client.get("/staff/participation/progress/999999/correct").status_code == 404
    response = client.post(
        f"/staff/participation/progress/{uid}/correct",
        data={"status": "done", "body": "설치를 마쳤습니다. 점등 시험도 끝냈습니다.", "note": ""},
    )
    assert response.status_code == 422 and 'id="note-error"' in response.get_data(as_text=True)
    response = client.post(
        f"/staff/participation/progress/{uid}/correct",
        data={
            "status": "done",
            "body": "설치를 마쳤습니다. 점등 시험도 끝냈습니다.",
            "note": "점등 시험 결과를 덧붙입니다.",
        },
    )
    assert response.status_code == 303
    auth.logout()
    page = client.get(f"/policy/proposals/{p.id}").get_data(as_text=True)
    assert "추진상황 — 완료" in page and "설치 위치를 정했습니다." in page
    assert "점등 시험도 끝냈습니다." in page and "점등 시험 결과를 덧붙입니다." in page
    # The public list of adopted proposals across boards, linked from the board's list.
    assert "/participation/adopted" in client.get("/policy/proposals").get_data(as_text=True)
    listing = client.get("/participation/adopted").get_data(as_text=True)
    assert p.title in listing and "완료" in listing
    assert p.title in client.get("/participation/adopted?progress=done").get_data(as_text=True)
    assert p.title not in client.get("/participation/adopted?progress=ongoing").get_data(
        as_text=True
    )
    fragment = client.get(
        "/participation/adopted?board=policy", headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert p.title in fragment and "<html" not in fragment


def test_the_adopted_list_leaves_out_hidden_and_other_outcomes(client, users):
    assert "/participation/adopted" not in client.get("/sitemap.xml").get_data(as_text=True)
    adopted = answered(users.resident, users.planning)
    answered(users.resident, users.planning, outcome="rejected")
    assert "/participation/adopted" in client.get("/sitemap.xml").get_data(as_text=True)
    ops.hide_proposal(adopted, users.planning, "개인정보가 들어 있습니다.")
    listing = client.get("/participation/adopted").get_data(as_text=True)
    assert "조건에 맞는 채택 제안이 없습니다." in listing


def test_the_demo_has_a_corrected_answer_and_dated_progress_on_working_days(app, frozen):
    from datetime import datetime

    from gwanak.core import clock
    from gwanak.core.demo import seed_demo
    from gwanak.core.workdays import is_working_day

    frozen(datetime(2026, 11, 26, 3, 0))
    for _ in seed_demo():
        pass
    p = db.session.scalar(select(Proposal).where(Proposal.progress.is_not(None)))
    updates = db.session.scalars(
        select(ProgressUpdate).where(ProgressUpdate.proposal_id == p.id).order_by(ProgressUpdate.id)
    ).all()
    assert 2 <= len(updates) <= 3 and p.progress == updates[-1].status
    answer = the_answer(p)
    assert len(answer.revisions) == 1 and answer.revised_at > answer.created_at
    moments = [answer.revised_at] + [u.created_at for u in updates]
    assert moments == sorted(moments) and answer.created_at < moments[0]
    assert moments[-1] < clock.now()
    for moment in moments:
        day = clock.to_kst(moment).date()
        assert day.year == 2026 and is_working_day(day), day
    # Running the seed again adds nothing.
    for _ in seed_demo():
        pass
    assert count(ProgressUpdate) == len(updates) and count(AnswerRevision) == 1


def test_a_budget_answer_keeps_the_outcome_its_phases_decided(app, users, frozen):
    from gwanak.budget.models import Phase
    from gwanak.budget.proposal_operations import move_phase
    from tests.factories import AFTER_VOTE, make_round, proposal_in_voting

    extra = proposal_in_voting(make_round(), users.resident, frozen, users.autonomy)
    frozen(AFTER_VOTE)
    move_phase(extra, Phase.NOT_SELECTED, users.autonomy, note="예산 범위를 넘습니다.")
    p = db.session.get(Proposal, extra.proposal_id)
    answer = the_answer(p)
    with pytest.raises(OperationError) as refused:
        ops.correct_answer(
            answer, users.autonomy, outcome="adopted", body=answer.body, note="재검토"
        )
    assert (refused.value.field, refused.value.status) == ("outcome", 409)
    # Its wording can still be corrected.
    ops.correct_answer(
        answer,
        users.autonomy,
        body=answer.body + " 내년 공모에 다시 제안해 주세요.",
        note="안내 추가",
    )
    db.session.refresh(p)
    assert p.outcome == answer.outcome and len(answer.revisions) == 1


def test_the_public_page_links_the_department_to_its_back_office(client, auth, users):
    p = answered(users.resident, users.planning)
    link = f'href="/staff/participation/proposals/{p.id}"'
    auth.login(users.audit)
    assert link not in client.get(f"/policy/proposals/{p.id}").get_data(as_text=True)
    auth.logout()
    auth.login(users.planning)
    assert link in client.get(f"/policy/proposals/{p.id}").get_data(as_text=True)
    staff_page = client.get(f"/staff/participation/proposals/{p.id}").get_data(as_text=True)
    assert f"/staff/participation/answers/{the_answer(p).id}/correct" in staff_page
    assert f"/staff/participation/proposals/{p.id}/progress" in staff_page
    assert f"/staff/participation/proposals/{p.id}/progress" in client.get(
        "/staff/participation/adopted"
    ).get_data(as_text=True)
