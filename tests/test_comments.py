"""Comments on any discussion: replies, edits, deletes, htmx, the mayor's threshold, moderation."""

from __future__ import annotations

import re

from sqlalchemy import select

from gwanak.core.extensions import db
from gwanak.core.mail import OutboxMail
from gwanak.core.settings import set_setting
from gwanak.participation import operations as ops
from gwanak.participation.models import Comment, TimelineEvent
from tests.factories import comments, proposal, residents


def _comment(client, p, body="좋은 제안입니다.", **extra):
    return client.post(
        f"/discussions/{p.discussion_id}/comments", data={"body": body, **extra}, **{}
    )


def test_a_comment_without_javascript_redirects_to_it(client, auth, users):
    p = proposal(users.resident)
    auth.login(users.neighbour)
    response = _comment(client, p)
    assert response.status_code == 303
    assert response.headers["Location"].startswith(f"/policy/proposals/{p.id}?cpage=last#comment-")
    html = client.get(f"/policy/proposals/{p.id}").get_data(as_text=True)
    assert "좋은 제안입니다." in html and "이*희" in html


def test_a_comment_form_sent_twice_makes_one_comment_and_both_lead_to_it(client, auth, users):
    p = proposal(users.resident)
    auth.login(users.neighbour)
    first = _comment(client, p, body="두 번 눌러도 하나만", token="comment-form-token-0001")
    again = _comment(client, p, body="두 번 눌러도 하나만", token="comment-form-token-0001")
    assert first.status_code == again.status_code == 303
    assert first.headers["Location"] == again.headers["Location"]
    stored = db.session.scalars(select(Comment).where(Comment.discussion_id == p.discussion_id))
    assert [c.body for c in stored] == ["두 번 눌러도 하나만"]
    db.session.refresh(p.discussion)
    assert p.discussion.comment_count == 1 and p.discussion.commenter_count == 1
    # A new form (another token) is another comment.
    assert _comment(client, p, body="새 댓글", token="comment-form-token-0002").status_code == 303
    db.session.refresh(p.discussion)
    assert p.discussion.comment_count == 2


def test_with_htmx_the_new_comment_appears_in_place(client, auth, users):
    p = proposal(users.resident)
    auth.login(users.neighbour)
    response = client.post(
        f"/discussions/{p.discussion_id}/comments",
        data={"body": "htmx 댓글"},
        headers={"HX-Request": "true"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert (
        html.lstrip().startswith('<section id="comments"')
        and "htmx 댓글" in html
        and "<html" not in html
    )
    bad = client.post(
        f"/discussions/{p.discussion_id}/comments",
        data={"body": " "},
        headers={"HX-Request": "true"},
    )
    assert bad.status_code == 422 and "댓글을(를) 입력하세요" in bad.get_data(as_text=True)


def test_bad_comments_are_refused_with_a_message_and_nothing_saved(client, auth, users):
    p = proposal(users.resident)
    auth.login(users.neighbour)
    for body, message in [
        ("", "댓글을(를) 입력하세요"),
        ("가" * 1001, "1,000자 이하"),
        ("<b>굵게</b>", "HTML 태그"),
    ]:
        response = _comment(client, p, body)
        assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db.session.scalar(select(Comment)) is None


def test_replies_edits_and_soft_deletes_by_the_author_only(client, auth, users):
    p = proposal(users.resident)
    top = ops.post_comment(p.discussion, users.neighbour, "첫 댓글")
    auth.login(users.resident)
    client.post(
        f"/discussions/{p.discussion_id}/comments",
        data={"body": "답글입니다", "parent_id": str(top.id)},
    )
    reply = db.session.scalar(select(Comment).where(Comment.parent_id == top.id))
    assert reply is not None
    assert client.get(f"/comments/{top.id}/edit").status_code == 403
    assert client.post(f"/comments/{top.id}/delete").status_code == 403
    response = client.post(f"/comments/{reply.id}/edit", data={"body": "고친 답글"})
    assert response.status_code == 303
    assert client.post(f"/comments/{reply.id}/delete").status_code == 303
    html = client.get(f"/policy/proposals/{p.id}").get_data(as_text=True)
    assert "작성자가 삭제한 댓글입니다." in html and "고친 답글" not in html
    db.session.refresh(reply)
    assert reply.deleted_at is not None and reply.body == ""  # erased; the row keeps its place
    db.session.refresh(p.discussion)
    assert (p.discussion.comment_count, p.discussion.commenter_count) == (1, 1)


def test_distinct_commenters_count_people_not_comments(users):
    p = proposal(users.resident)
    for _ in range(3):
        ops.post_comment(p.discussion, users.neighbour, "또 씁니다")
    ops.post_comment(p.discussion, users.resident, "작성자 답변")
    db.session.refresh(p.discussion)
    assert (p.discussion.comment_count, p.discussion.commenter_count) == (4, 2)


def test_reaching_the_mayor_threshold_queues_the_proposal_once_and_the_mayor_answers(
    client, auth, users
):
    set_setting("board.policy.mayor_commenters", 3)
    db.session.commit()
    p = proposal(users.resident)
    comments(p.discussion, residents(4), "구청장님 답변 부탁드립니다")
    db.session.refresh(p.discussion)
    assert p.discussion.mayor_state == "queued" and p.discussion.mayor_due_at is not None
    events = db.session.scalars(select(TimelineEvent.event)).all()
    assert events.count("mayor_queued") == 1
    assert (
        db.session.scalar(select(OutboxMail).where(OutboxMail.to_user_id == users.mayor.id))
        is not None
    )

    auth.login(users.mayor)
    assert "골목길 가로등" in client.get("/staff/participation/mayor").get_data(as_text=True)
    response = client.post(
        f"/staff/participation/mayor/{p.discussion_id}", data={"body": "바로 추진하겠습니다."}
    )
    assert response.status_code == 303
    again = client.post(f"/staff/participation/mayor/{p.discussion_id}", data={"body": "두 번째"})
    assert again.status_code == 422 and "이미 답변했습니다" in again.get_data(as_text=True)
    auth.logout()
    html = client.get(f"/policy/proposals/{p.id}").get_data(as_text=True)
    assert "구청장 답변" in html and "바로 추진하겠습니다." in html


def test_only_the_mayor_writes_mayor_answers(client, auth, users):
    p = proposal(users.resident)
    auth.login(users.planning)
    assert client.get(f"/staff/participation/mayor/{p.discussion_id}").status_code == 403
    assert client.get("/staff/participation/mayor").status_code == 403


def test_reported_comments_are_hidden_with_a_reason_and_leave_the_counts(client, auth, users):
    p = proposal(users.resident)
    bad = ops.post_comment(p.discussion, users.neighbour, "광고 글입니다")
    auth.login(users.resident)
    client.post(f"/comments/{bad.id}/report", data={"reason": "광고"})
    second = client.post(
        f"/comments/{bad.id}/report", data={"reason": "광고"}, follow_redirects=True
    )
    assert "이미 신고한 글입니다" in second.get_data(as_text=True)
    auth.logout()

    auth.login(users.audit)  # another department
    assert (
        client.post(
            f"/staff/participation/comments/{bad.id}/hide", data={"reason": "광고"}
        ).status_code
        == 403
    )
    auth.logout()
    auth.login(users.planning)
    assert "광고 글입니다" in client.get("/staff/participation/reports").get_data(as_text=True)
    no_reason = client.post(f"/staff/participation/comments/{bad.id}/hide", data={"reason": ""})
    assert no_reason.status_code == 303
    db.session.refresh(bad)
    assert bad.hidden_at is None
    client.post(f"/staff/participation/comments/{bad.id}/hide", data={"reason": "상업 광고"})
    auth.logout()

    html = client.get(f"/policy/proposals/{p.id}").get_data(as_text=True)
    assert (
        "관리자에 의해 숨김 처리되었습니다" in html
        and "상업 광고" in html
        and "광고 글입니다" not in html
    )
    db.session.refresh(bad)
    assert bad.body == "광고 글입니다"  # kept
    db.session.refresh(p.discussion)
    assert (p.discussion.comment_count, p.discussion.commenter_count) == (0, 0)

    auth.login(users.planning)
    client.post(f"/staff/participation/comments/{bad.id}/restore", data={"reason": "오판"})
    db.session.refresh(p.discussion)
    assert (p.discussion.comment_count, p.discussion.commenter_count) == (1, 1)


def test_hidden_proposals_leave_the_list_and_keep_their_data(client, auth, users):
    p = proposal(users.resident, title="숨길 제안")
    auth.login(users.planning)
    client.post(f"/staff/participation/proposals/{p.id}/hide", data={"reason": "욕설"})
    auth.logout()
    assert "숨길 제안" not in client.get("/policy/proposals").get_data(as_text=True)
    html = client.get(f"/policy/proposals/{p.id}").get_data(as_text=True)
    assert "관리자에 의해 숨김 처리되었습니다" in html and "욕설" in html
    auth.login(users.neighbour)
    response = _comment(client, p)
    assert response.status_code == 422
    assert "숨김 처리된 제안에는 댓글을 달 수 없습니다" in response.get_data(as_text=True)


def test_long_threads_are_paged_and_a_new_comment_lands_on_the_last_page(client, auth, users):
    set_setting("comments.per_page", 5)
    db.session.commit()
    p = proposal(users.resident)
    for n in range(12):
        ops.post_comment(p.discussion, users.neighbour, f"댓글번호{n:02d}")
    first = client.get(f"/policy/proposals/{p.id}").get_data(as_text=True)
    assert "댓글번호00" in first and "댓글번호05" not in first and "댓글 1 / 3쪽" in first
    last = client.get(f"/policy/proposals/{p.id}?cpage=last").get_data(as_text=True)
    assert "댓글번호11" in last and "댓글번호09" not in last
    auth.login(users.resident)
    response = _comment(client, p, "새 댓글")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "새 댓글" in page and "댓글 3 / 3쪽" in page
    assert client.get(f"/policy/proposals/{p.id}?cpage=99").status_code == 200  # clamped


def test_a_page_shows_20_comments_by_default(client, users):
    p = proposal(users.resident)
    people = residents(3)
    for n in range(25):
        ops.post_comment(p.discussion, people[n % 3], f"댓글번호{n:02d}")
    first = client.get(f"/policy/proposals/{p.id}").get_data(as_text=True)
    assert "댓글번호19" in first and "댓글번호20" not in first and "댓글 1 / 2쪽" in first
    assert f'href="/policy/proposals/{p.id}?cpage=2#comments">다음 댓글</a>' in first
    second = client.get(f"/policy/proposals/{p.id}?cpage=2").get_data(as_text=True)
    assert "댓글번호20" in second and "댓글번호24" in second and "댓글번호19" not in second


def test_a_comment_shows_its_first_replies_and_links_to_the_rest(client, users):
    p = proposal(users.resident)
    people = residents(3)
    busy = ops.post_comment(p.discussion, users.neighbour, "답글 많은 댓글")
    quiet = ops.post_comment(p.discussion, users.neighbour, "답글 적은 댓글")
    for n in range(5):
        ops.post_comment(p.discussion, people[n % 3], f"답글번호{n}", parent_id=busy.id)
    ops.post_comment(p.discussion, people[0], "하나뿐인 답글", parent_id=quiet.id)
    html = client.get(f"/policy/proposals/{p.id}?cpage=1").get_data(as_text=True)
    assert "답글번호1" in html and "답글번호2" not in html and "하나뿐인 답글" in html
    # Without JavaScript: a real link to the same page with that comment's replies all shown.
    link = f"/policy/proposals/{p.id}?cpage=1&amp;thread={busy.id}#comment-{busy.id}"
    assert f'<a href="{link}">답글 3개 더 보기</a>' in html
    assert html.count("더 보기</a>") == 1  # the other comment shows all it has
    whole = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert "답글번호4" in whole and "답글 3개 더 보기" not in whole and "하나뿐인 답글" in whole


def test_a_reply_lands_on_its_parents_page_with_all_its_replies(client, auth, users):
    set_setting("comments.per_page", 5)
    db.session.commit()
    p = proposal(users.resident)
    first = ops.post_comment(p.discussion, users.neighbour, "첫 댓글")
    for n in range(4):
        ops.post_comment(p.discussion, users.neighbour, f"앞선 답글{n}", parent_id=first.id)
    for n in range(11):
        ops.post_comment(p.discussion, users.neighbour, f"댓글번호{n:02d}")
    auth.login(users.resident)
    response = _comment(client, p, "늦은 답글", parent_id=str(first.id))
    reply = db.session.scalar(select(Comment).where(Comment.body == "늦은 답글"))
    location = response.headers["Location"]
    assert location == f"/policy/proposals/{p.id}?cpage=1&thread={first.id}#comment-{reply.id}"
    page = client.get(location).get_data(as_text=True)
    assert f'id="comment-{reply.id}"' in page and "댓글 1 / 3쪽" in page
    htmx = client.post(
        f"/discussions/{p.discussion_id}/comments",
        data={"body": "htmx 답글", "parent_id": str(first.id)},
        headers={"HX-Request": "true"},
    ).get_data(as_text=True)
    assert "htmx 답글" in htmx and "늦은 답글" in htmx and "답글을 등록했습니다." in htmx


def test_a_reply_to_a_reply_lands_in_its_top_level_thread(client, auth, users):
    set_setting("comments.per_page", 5)
    db.session.commit()
    p = proposal(users.resident)
    first = ops.post_comment(p.discussion, users.neighbour, "첫 댓글")
    for n in range(11):
        ops.post_comment(p.discussion, users.neighbour, f"댓글번호{n:02d}")
    # A reply written after eleven more comments: its id is past the first page's.
    reply = ops.post_comment(p.discussion, users.neighbour, "첫 답글", parent_id=first.id)
    auth.login(users.resident)
    response = _comment(client, p, "답글에 단 답글", parent_id=str(reply.id))
    again = db.session.scalar(select(Comment).where(Comment.body == "답글에 단 답글"))
    assert again.parent_id == first.id
    location = response.headers["Location"]
    assert location == f"/policy/proposals/{p.id}?cpage=1&thread={first.id}#comment-{again.id}"
    assert f'id="comment-{again.id}"' in client.get(location).get_data(as_text=True)


def test_the_busiest_threads_page_stays_under_40_kb(client, users):
    """DESIGN.md §8: a public page's HTML under 40 KB, whatever the thread's length."""
    p = proposal(users.resident)
    people = residents(10)
    body = "버스 정류장 그늘막이 꼭 필요합니다. 여름마다 기다리는 어르신들이 힘들어하십니다."
    for n in range(60):
        top = ops.post_comment(p.discussion, people[n % 10], f"{body} {n}")
        for r in range(6):
            ops.post_comment(
                p.discussion, people[(n + r) % 10], f"{body} 답글 {r}", parent_id=top.id
            )
    html = client.get(f"/policy/proposals/{p.id}").get_data()
    assert len(html) < 40 * 1024, len(html)


def test_a_deleted_comments_text_leaves_the_database_and_the_report_queue(client, auth, users):
    from gwanak.participation.models import Report

    p = proposal(users.resident)
    bad = ops.post_comment(p.discussion, users.neighbour, "험담과 연락처 010-9876-5432")
    keep = ops.post_comment(p.discussion, users.neighbour, "다른 댓글")
    ops.report_item("comment", bad.id, users.resident, "험담")
    auth.login(users.neighbour)
    assert client.post(f"/comments/{bad.id}/delete").status_code == 303
    auth.logout()
    db.session.expire_all()
    row = db.session.get(Comment, bad.id)
    assert row is not None and row.deleted_at is not None  # the place in the thread stays
    assert row.body == "" and not row.flagged_personal_data
    assert db.session.get(Comment, keep.id).body == "다른 댓글"
    report = db.session.scalar(select(Report).where(Report.target_id == bad.id))
    assert report.resolved_at is not None and report.resolution == "deleted"
    auth.login(users.planning)
    queue = client.get("/staff/participation/reports").get_data(as_text=True)
    assert "험담과 연락처" not in queue and "9876" not in queue


def test_comment_and_timeline_times_are_machine_readable_to_the_second(client, auth, users, frozen):
    from datetime import datetime

    frozen(datetime(2024, 5, 1, 3, 4, 5, 678901))
    p = proposal(users.resident)
    auth.login(users.neighbour)
    _comment(client, p)
    html = client.get(f"/policy/proposals/{p.id}").get_data(as_text=True)
    stamps = re.findall(r'<time datetime="([^"]*)"', html)
    assert "2024-05-01T03:04:05Z" in stamps
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\dZ)?", s) for s in stamps), stamps
