"""Following (알림 받기) proposals and agendas, and 내 알림: rows, mails, read marks."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select

from gwanak.core.extensions import db
from gwanak.core.mail import OutboxMail
from gwanak.core.operations import OperationError
from gwanak.participation import operations as ops
from gwanak.participation.models import Follow, Notification
from gwanak.participation.queries import department_answer
from gwanak.policy.asks import operations as asks
from gwanak.policy.board import POLICY_BOARD
from tests.factories import gonggam, make_agenda, proposal, residents

HX = {"HX-Request": "true"}


def follows(user) -> int:
    return db.session.scalar(select(func.count()).where(Follow.user_id == user.id))


def notes(user) -> list[str]:
    return db.session.scalars(
        select(Notification.event).where(Notification.user_id == user.id).order_by(Notification.id)
    ).all()


def mails(user) -> list[str]:
    return db.session.scalars(
        select(OutboxMail.subject).where(OutboxMail.to_user_id == user.id).order_by(OutboxMail.id)
    ).all()


# ---------------------------------------------------------------- following


def test_without_javascript_a_resident_follows_and_unfollows_a_proposal(client, auth, users):
    p = proposal(users.resident)
    url = f"/discussions/{p.discussion_id}/follow"
    auth.login(users.neighbour)
    assert "알림 받기" in client.get(f"/policy/proposals/{p.id}").get_data(as_text=True)
    response = client.post(url, data={"action": "follow"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/policy/proposals/{p.id}#follow"
    assert follows(users.neighbour) == 1
    page = client.get(f"/policy/proposals/{p.id}").get_data(as_text=True)
    assert "알림 받는 중" in page and "알림을 켰습니다" in page
    # Following twice (another tab) keeps one row.
    client.post(url, data={"action": "follow"})
    assert follows(users.neighbour) == 1
    response = client.post(url, data={"action": "unfollow"})
    assert response.status_code == 303 and follows(users.neighbour) == 0


def test_with_htmx_the_follow_form_is_swapped_in_place(client, auth, users):
    p = proposal(users.resident)
    url = f"/discussions/{p.discussion_id}/follow"
    auth.login(users.neighbour)
    page = client.get(f"/policy/proposals/{p.id}").get_data(as_text=True)
    assert f'data-hx-post="{url}"' in page
    response = client.post(url, data={"action": "follow"}, headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert 'id="follow"' in html and 'aria-pressed="true"' in html
    assert 'id="announce"' in html and "알림을 켰습니다" in html
    html = client.post(url, data={"action": "unfollow"}, headers=HX).get_data(as_text=True)
    assert 'aria-pressed="false"' in html and "알림을 껐습니다" in html
    assert follows(users.neighbour) == 0


def test_follow_guards(client, auth, users):
    p = proposal(users.resident)
    url = f"/discussions/{p.discussion_id}/follow"
    # Not signed in: to the log-in page, nothing recorded.
    response = client.post(url, data={"action": "follow"})
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    auth.login(users.planning)
    assert client.post(url, data={"action": "follow"}).status_code == 403
    auth.logout()
    auth.login(users.neighbour)
    assert client.post("/discussions/999999/follow", data={"action": "follow"}).status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Follow)) == 1  # the author's


def test_residents_follow_their_own_proposals(app, users):
    p = proposal(users.resident)
    assert ops.is_following(p.discussion_id, users.resident)
    with pytest.raises(OperationError) as refused:
        ops.follow(p.discussion, users.planning)
    assert refused.value.status == 403


# ---------------------------------------------------------------- notifications


def test_followers_hear_of_each_step_but_not_of_their_own_action(app, users):
    p = proposal(users.resident)
    ops.follow(p.discussion, users.neighbour)
    gonggam(p, residents(POLICY_BOARD.review_threshold))
    db.session.refresh(p)
    ops.answer_proposal(p, users.planning, outcome="adopted", body="설치하겠습니다.")
    ops.correct_answer(
        department_answer(p.discussion_id),
        users.planning,
        body="올해 안에 설치하겠습니다.",
        note="일정을 바로잡습니다.",
    )
    db.session.refresh(p)
    ops.add_progress(p, users.planning, status="ongoing", body="설치 장소를 정했습니다.")
    steps = ["review", "answered", "answer_corrected", "progress"]
    assert notes(users.resident) == notes(users.neighbour) == steps
    assert notes(users.planning) == []  # staff act; they are not told of their own acts
    assert mails(users.neighbour) == [
        "[온라인 관악청] 제안이 부서 검토를 시작합니다",
        "[온라인 관악청] 제안에 부서 답변이 등록되었습니다",
        "[온라인 관악청] 부서 답변이 수정되었습니다",
        "[온라인 관악청] 채택 제안의 추진상황이 올라왔습니다",
    ]
    body = db.session.scalar(
        select(OutboxMail.body).where(OutboxMail.to_user_id == users.neighbour.id).limit(1)
    )
    assert "/notifications" in body
    # Unfollowing stops the news.
    ops.unfollow(p.discussion, users.neighbour)
    ops.add_progress(p, users.planning, status="done", body="설치를 마쳤습니다.")
    assert len(notes(users.neighbour)) == 4 and len(notes(users.resident)) == 5


def test_a_withdrawal_tells_the_followers_not_the_author(app, users):
    p = proposal(users.resident)
    ops.follow(p.discussion, users.neighbour)
    ops.withdraw_proposal(p, users.resident)
    assert notes(users.neighbour) == ["withdrawn"] and notes(users.resident) == []


def test_hiding_tells_the_followers_why_but_not_what_was_hidden(app, users, client, auth):
    p = proposal(users.resident, "○○○ 욕설이 담긴 제목", body="숨겨야 할 내용입니다.")
    ops.follow(p.discussion, users.neighbour)
    ops.hide_proposal(p, users.planning, "욕설이 포함되어 숨깁니다.")
    assert notes(users.neighbour) == ["hidden"] and notes(users.resident) == []
    note = db.session.scalar(select(Notification).where(Notification.user_id == users.neighbour.id))
    mail = db.session.scalar(select(OutboxMail).where(OutboxMail.to_user_id == users.neighbour.id))
    for text in (note.text, mail.subject, mail.body):
        assert "욕설이 담긴 제목" not in text and "숨겨야 할 내용" not in text
    assert "숨김 처리" in note.text and "욕설이 포함되어 숨깁니다." in note.text
    assert "욕설이 포함되어 숨깁니다." in mail.body
    # The author hears by their own mail, once.
    assert mails(users.resident) == ["[온라인 관악청] 제안이 숨김 처리되었습니다"]
    auth.login(users.neighbour)
    page = client.get("/notifications").get_data(as_text=True)
    assert "욕설이 포함되어 숨깁니다." in page and "욕설이 담긴 제목" not in page


def test_a_refused_action_notifies_nobody(app, users):
    p = proposal(users.resident)
    ops.follow(p.discussion, users.neighbour)
    with pytest.raises(OperationError):
        ops.answer_proposal(p, users.planning, outcome="adopted", body="아직 검토 전입니다.")
    assert notes(users.neighbour) == [] and mails(users.neighbour) == []


def test_an_agendas_followers_hear_of_its_result_on_the_page_and_by_htmx(
    client, auth, users, frozen
):
    frozen(datetime(2026, 2, 20, 1, 0))
    agenda = make_agenda(users.planning)  # open in March 2026
    frozen(datetime(2026, 4, 6, 1, 0))  # closed: the result may be published
    url = f"/discussions/{agenda.discussion_id}/follow"
    auth.login(users.neighbour)
    page = client.get(f"/policy/asks/{agenda.id}").get_data(as_text=True)
    assert f'action="{url}"' in page
    assert "aria-pressed" in client.post(url, data={"action": "follow"}, headers=HX).get_data(
        as_text=True
    )
    auth.logout()
    asks.publish_result(agenda, users.planning, "주민 의견대로 조명 20개를 늘립니다.")
    # Publishing the same text again is refused, and is no news.
    with pytest.raises(OperationError):
        asks.publish_result(agenda, users.planning, "주민 의견대로 조명 20개를 늘립니다.")
    asks.publish_result(agenda, users.planning, "주민 의견대로 조명 24개를 늘립니다.")
    assert notes(users.neighbour) == ["agenda_result", "agenda_result"]
    assert mails(users.neighbour) == [
        "[온라인 관악청] 의제의 결과 반영 내용이 공개되었습니다",
        "[온라인 관악청] 의제의 결과 반영 내용이 수정되었습니다",
    ]


# ---------------------------------------------------------------- 내 알림


def _news_for(users) -> int:
    p = proposal(users.resident)
    ops.follow(p.discussion, users.neighbour)
    gonggam(p, residents(POLICY_BOARD.review_threshold))
    return p.id


def test_my_notifications_page_counts_and_marks_read_without_javascript(client, auth, users):
    pid = _news_for(users)
    assert "/auth/login" in client.get("/notifications").headers["Location"]
    auth.login(users.neighbour)
    home = client.get("/").get_data(as_text=True)
    assert 'href="/notifications">내 알림 <span class="badge">1' in home
    page = client.get("/notifications").get_data(as_text=True)
    assert "새 알림" in page and "기획예산과에서 검토합니다" in page
    assert f'href="/policy/proposals/{pid}"' in page
    nid = db.session.scalar(
        select(Notification.id).where(Notification.user_id == users.neighbour.id)
    )
    response = client.post(f"/notifications/{nid}/read")
    assert response.status_code == 303
    assert db.session.get(Notification, nid).read_at is not None
    home = client.get("/").get_data(as_text=True)
    assert '<span class="badge">' not in home.split("</nav>")[0]
    assert "새 알림이 없습니다." in client.post(
        "/notifications/read", follow_redirects=True
    ).get_data(as_text=True)


def test_marking_read_with_htmx_swaps_the_item(client, auth, users):
    _news_for(users)
    nid = db.session.scalar(
        select(Notification.id).where(Notification.user_id == users.neighbour.id)
    )
    auth.login(users.neighbour)
    response = client.post(f"/notifications/{nid}/read", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert f'id="notification-{nid}"' in html and "새 알림" not in html
    assert "읽음으로 표시했습니다" in html


def test_mark_all_read_and_the_guards(client, auth, users):
    _news_for(users)
    theirs = db.session.scalar(
        select(Notification.id).where(Notification.user_id == users.resident.id)
    )
    auth.login(users.neighbour)
    assert client.post(f"/notifications/{theirs}/read").status_code == 403
    assert db.session.get(Notification, theirs).read_at is None
    assert client.post("/notifications/999999/read").status_code == 404
    response = client.post("/notifications/read", follow_redirects=True)
    assert "알림 1건을 읽음으로 표시했습니다." in response.get_data(as_text=True)
    assert ops.unread_count(users.neighbour) == 0
    assert ops.unread_count(users.resident) == 1  # someone else's stay unread


def test_a_budget_proposals_author_hears_of_each_phase(app, users, frozen):
    from tests.factories import make_round, proposal_in_voting

    proposal_in_voting(make_round(), users.resident, frozen, users.autonomy)
    assert notes(users.resident) == ["budget_phase"] * 3
    assert (
        "'그늘막 설치' 제안이 '주민 투표' 단계로 넘어갔습니다."
        in db.session.scalars(
            select(Notification.text).where(Notification.user_id == users.resident.id)
        ).all()
    )


def test_racing_follows_and_racing_completions_each_happen_once(app, users):
    """Several requests at once, each on its own connection (as gunicorn workers)."""
    import threading

    from gwanak.accounts.models import User
    from gwanak.participation.models import Discussion, ProgressUpdate, Proposal

    p = proposal(users.resident)
    gonggam(p, residents(POLICY_BOARD.review_threshold))
    db.session.refresh(p)
    ops.answer_proposal(p, users.planning, outcome="adopted", body="추진하겠습니다.")
    pid, did, uid, staff_id = p.id, p.discussion_id, users.neighbour.id, users.planning.id
    barrier = threading.Barrier(8)
    refused: list[int] = []

    def act(index: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                if index % 2:
                    ops.follow(db.session.get(Discussion, did), db.session.get(User, uid))
                else:
                    ops.add_progress(
                        db.session.get(Proposal, pid),
                        db.session.get(User, staff_id),
                        status="done",
                        body=f"완료했습니다 ({index}).",
                    )
            except OperationError as error:
                refused.append(error.status)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=act, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.expire_all()
    assert follows(users.neighbour) == 1
    assert db.session.scalar(select(func.count()).select_from(ProgressUpdate)) == 1
    assert refused == [409, 409, 409]


def test_the_mayors_answer_reaches_followers_and_the_author_once(app, users, frozen):
    from gwanak.participation.models import Discussion, MayorState

    frozen(datetime(2026, 2, 20, 1, 0))
    agenda = make_agenda(users.planning)
    mine = proposal(users.resident)  # its author follows it
    unfollowed = proposal(users.resident, title="버스정류장 온열의자 설치")
    ops.unfollow(unfollowed.discussion, users.resident)
    for discussion_id in (agenda.discussion_id, mine.discussion_id, unfollowed.discussion_id):
        discussion = db.session.get(Discussion, discussion_id)
        ops.follow(discussion, users.neighbour)
        discussion.mayor_state = MayorState.QUEUED
        db.session.commit()
        ops.mayor_answer(discussion, users.mayor, "구청장이 직접 답합니다.")
    subject = "[온라인 관악청] 구청장 답변이 등록되었습니다"
    assert mails(users.neighbour).count(subject) == 3
    assert notes(users.neighbour) == ["mayor_answered"] * 3
    # The author: once per proposal, a notification only where still following.
    assert mails(users.resident).count(subject) == 2
    assert notes(users.resident) == ["mayor_answered"]
