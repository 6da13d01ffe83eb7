"""Deleting asks first: without JavaScript a confirmation page (GET) whose form POSTs;
with htmx the same link asks in place. A label names the field it sits by."""

from __future__ import annotations

import re

from gwanak.core.extensions import db
from gwanak.notices import operations as notice_ops
from gwanak.notices.boards import GOVERNANCE_NOTICES
from gwanak.participation import operations as ops
from gwanak.participation.models import Comment
from tests.factories import proposal


def _confirmation_form(html: str, path: str) -> str:
    assert '<h1 id="confirm-h">정말 삭제할까요?</h1>' in html
    main = html.split('<main id="main"')[1]
    form = re.search(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', main, re.S)
    assert form and form.group(1) == path
    assert 'name="csrf_token"' in form.group(2) and ">삭제</button>" in form.group(2)
    return form.group(2)


def test_deleting_my_comment_without_javascript_asks_on_a_page_first(client, auth, users):
    p = proposal(users.neighbour)
    mine = ops.post_comment(p.discussion, users.resident, "지울 댓글입니다")
    auth.login(users.resident)
    detail = client.get(f"/policy/proposals/{p.id}").get_data(as_text=True)
    # The 삭제 control is a link to the question; htmx posts from it after confirm().
    link = re.search(rf'<a id="comment-delete-{mine.id}" href="([^"]+)"([^>]*)>삭제</a>', detail)
    assert link and link.group(1) == f"/comments/{mine.id}/delete"
    assert 'data-hx-confirm="이 댓글을 삭제할까요?"' in link.group(2)
    assert f'data-hx-post="/comments/{mine.id}/delete"' in link.group(2)

    asked = client.get(f"/comments/{mine.id}/delete")
    assert asked.status_code == 200
    form = _confirmation_form(asked.get_data(as_text=True), f"/comments/{mine.id}/delete")
    assert "지울 댓글입니다" in asked.get_data(as_text=True)
    assert f'href="/policy/proposals/{p.id}#comment-{mine.id}"' in asked.get_data(as_text=True)
    assert form
    db.session.expire_all()
    assert db.session.get(Comment, mine.id).deleted_at is None  # asking deletes nothing

    done = client.post(f"/comments/{mine.id}/delete")
    assert done.status_code == 303
    db.session.expire_all()
    assert db.session.get(Comment, mine.id).deleted_at is not None


def test_only_the_author_is_asked_about_deleting_a_comment(client, auth, users):
    p = proposal(users.neighbour)
    theirs = ops.post_comment(p.discussion, users.neighbour, "이웃의 댓글")
    assert client.get(f"/comments/{theirs.id}/delete").status_code in (302, 401)
    auth.login(users.resident)
    assert client.get(f"/comments/{theirs.id}/delete").status_code == 403
    assert client.get("/comments/999/delete").status_code == 404


def test_deleting_a_comment_with_htmx_answers_the_thread_and_announces_it(client, auth, users):
    p = proposal(users.neighbour)
    mine = ops.post_comment(p.discussion, users.resident, "지울 댓글")
    auth.login(users.resident)
    response = client.post(f"/comments/{mine.id}/delete", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.startswith('<section id="comments"')
    assert "작성자가 삭제한 댓글입니다." in html
    assert '<div id="announce" data-hx-swap-oob="innerHTML">댓글을 삭제했습니다.</div>' in html


def test_staff_deleting_a_notice_are_asked_first_and_then_it_is_gone(client, auth, users):
    notice = notice_ops.create_notice(
        GOVERNANCE_NOTICES, users.autonomy.id, title="지울 공지", body_md="본문"
    )
    auth.login(users.autonomy)
    detail = client.get(f"/governance/notices/{notice.id}").get_data(as_text=True)
    assert f'<a class="button danger" href="/governance/notices/{notice.id}/delete">' in detail
    asked = client.get(f"/governance/notices/{notice.id}/delete")
    assert asked.status_code == 200 and "지울 공지" in asked.get_data(as_text=True)
    _confirmation_form(asked.get_data(as_text=True), f"/governance/notices/{notice.id}/delete")
    assert client.get(f"/governance/notices/{notice.id}").status_code == 200
    assert client.post(f"/governance/notices/{notice.id}/delete").status_code == 303
    assert client.get(f"/governance/notices/{notice.id}").status_code == 404


def test_a_resident_is_not_asked_about_deleting_a_notice(client, auth, users):
    notice = notice_ops.create_notice(
        GOVERNANCE_NOTICES, users.autonomy.id, title="공지", body_md="본문"
    )
    auth.login(users.resident)
    assert client.get(f"/governance/notices/{notice.id}/delete").status_code == 403


def test_every_delete_control_links_to_its_question(client, auth, users):
    """No template has a delete button that deletes at once: each is a link (GET) to a
    confirmation page, and every delete route answers GET."""
    from pathlib import Path

    templates = Path(__file__).resolve().parent.parent / "templates"
    for template in templates.rglob("*.html"):
        for form in re.findall(r"<form[^>]*>", template.read_text()):
            assert not re.search(r"_(delete|remove)['\"]", form), (template, form)
    app = client.application
    for rule in app.url_map.iter_rules():
        if rule.endpoint.endswith(("_delete", "_remove")) and "POST" in rule.methods:
            assert "GET" in rule.methods, rule


def test_the_withdrawal_password_is_labelled_by_its_own_label(client, auth, users):
    auth.login(users.resident)
    html = client.get("/auth/account").get_data(as_text=True)
    withdrawal = html.split('<h2 id="del-h">')[1]
    assert '<label for="delete-password">' in withdrawal
    assert 'id="delete-password"' in withdrawal
    assert html.count('id="delete-password"') == 1 and html.count('for="password"') == 1
