"""제안하기: a resident proposes, neighbours give 공감 and comment, the department answers."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from gwanak.core.extensions import db
from gwanak.core.mail import OutboxMail
from gwanak.participation.models import Gonggam, Proposal, TimelineEvent
from tests.factories import proposal, residents

NEW = "/policy/proposals/new"


def _post_proposal(client, **changes):
    data = {
        "title": "도서관 운영시간 연장",
        "body": "평일 밤 10시까지 열어 주세요.",
        "category": "교육",
        "dong": "",
        "token": "",
    }
    data.update(changes)
    return client.post(NEW, data=data)


def test_without_javascript_a_proposal_goes_from_posting_to_an_adopted_answer(
    app, client, auth, users
):
    # A resident signs up and posts a proposal.
    client.post(
        "/auth/signup",
        data={
            "email": "author@example.com",
            "password": "a-long-password",
            "password2": "a-long-password",
            "name": "김철우",
            "relation": "거주",
            "dong": "boramae",
            "consent": "y",
        },  # fmt: skip
    )
    auth.login("author@example.com", "a-long-password")
    # Not yet confirmed: the form is refused with how to confirm.
    refused = client.get(NEW)
    assert refused.status_code == 403 and "인증 메일 다시 받기" in refused.get_data(as_text=True)
    confirm_mail = db.session.scalars(select(OutboxMail).order_by(OutboxMail.id.desc())).first()
    client.get(re.search(r"/auth/confirm/\S+", confirm_mail.body).group(0))
    response = _post_proposal(
        client, title="공원에 그늘막 설치", body="여름에 너무 덥습니다.", category="환경"
    )
    assert response.status_code == 303
    detail = response.headers["Location"]
    page = client.get(detail).get_data(as_text=True)
    assert "공감 모집" in page and "공감 0/5 — 5명 더 공감하면 부서 검토" in page
    assert "김*우" in page and "author@example.com" not in page
    auth.logout()

    # Five neighbours give 공감, without JavaScript (form POST → redirect).
    for neighbour in residents(5):
        auth.login(neighbour)
        response = client.post(detail + "/gonggam", data={"action": "give"})
        assert response.status_code == 303 and response.headers["Location"] == detail
        auth.logout()
    page = client.get(detail).get_data(as_text=True)
    assert "부서 검토" in page and "답변 기한" in page

    # It is in 기획예산과's queue; staff answer 채택.
    auth.login(users.planning)
    queue = client.get("/staff/participation/review").get_data(as_text=True)
    assert "공원에 그늘막 설치" in queue
    pid = int(detail.rsplit("/", 1)[1])
    response = client.post(
        f"/staff/participation/proposals/{pid}",
        data={"outcome": "adopted", "body": "내년 예산에 반영합니다."},
    )
    assert response.status_code == 303
    auth.logout()

    page = client.get(detail).get_data(as_text=True)
    assert "답변 완료" in page and "채택" in page and "내년 예산에 반영합니다." in page
    # The timeline shows each step once.
    events = db.session.scalars(select(TimelineEvent.event).order_by(TimelineEvent.id)).all()
    assert events == ["posted", "review", "answered"]
    # The author's outbox has the mails.
    subjects = db.session.scalars(
        select(OutboxMail.subject)
        .where(OutboxMail.to_address == "author@example.com")
        .order_by(OutboxMail.id)
    ).all()
    assert subjects == [
        "[온라인 관악청] 이메일 주소를 확인해 주세요",
        "[온라인 관악청] 제안이 부서 검토를 시작합니다",
        "[온라인 관악청] 제안에 부서 답변이 등록되었습니다",
    ]


def test_bad_proposals_get_korean_messages_by_the_field_and_nothing_is_saved(client, auth, users):
    auth.login(users.resident)
    cases = [
        ({"title": ""}, "제목을(를) 입력하세요"),
        ({"title": "   "}, "제목을(를) 입력하세요"),
        ({"body": "  \n  "}, "제안 내용을(를) 입력하세요"),
        ({"title": "가" * 101}, "100자 이하"),
        ({"body": "나" * 5001}, "5,000자 이하"),
        ({"body": "<script>alert(1)</script>"}, "HTML 태그는 쓸 수 없습니다"),
        ({"title": '<img src=x onerror="alert(1)">'}, "HTML 태그는 쓸 수 없습니다"),
        ({"category": "우주"}, "분야를 고르세요"),
        ({"dong": "gangnam"}, "동을 고르세요"),
    ]
    for change, message in cases:
        response = _post_proposal(client, **change)
        assert response.status_code == 422, change
        assert message in response.get_data(as_text=True), change
    assert db.session.scalar(select(func.count(Proposal.id))) == 0


def test_a_double_submit_creates_one_proposal(client, auth, users):
    auth.login(users.resident)
    first = _post_proposal(client, token="same-token-123")
    second = _post_proposal(client, token="same-token-123")
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(select(func.count(Proposal.id))) == 1


def test_staff_and_signed_out_visitors_cannot_propose(client, auth, users):
    assert client.get(NEW).status_code == 302
    assert _post_proposal(client).status_code == 302
    auth.login(users.planning)
    assert _post_proposal(client).status_code == 403
    assert db.session.scalar(select(func.count(Proposal.id))) == 0


def test_unknown_ids_are_404(client, auth, users):
    auth.login(users.resident)
    for path in (
        "/policy/proposals/999",
        "/policy/proposals/999/edit",
        "/policy/proposals/999/counts",
    ):
        assert client.get(path).status_code == 404, path
    assert client.post("/policy/proposals/999/gonggam").status_code == 404
    assert client.post("/discussions/999/comments", data={"body": "x"}).status_code == 404
    assert client.post("/comments/999/delete").status_code == 404


def test_the_author_edits_until_the_first_gonggam_and_nobody_else_can(client, auth, users):
    p = proposal(users.resident)
    auth.login(users.neighbour)
    assert client.get(f"/policy/proposals/{p.id}/edit").status_code == 403
    assert client.post(f"/policy/proposals/{p.id}/withdraw").status_code == 403
    client.post(f"/policy/proposals/{p.id}/gonggam")
    auth.logout()
    auth.login(users.resident)
    response = client.post(
        f"/policy/proposals/{p.id}/edit",
        data={"title": "바뀐 제목", "body": "바뀐 내용", "category": "안전", "dong": ""},
    )
    assert response.status_code == 303
    db.session.refresh(p)
    assert p.title == "골목길 가로등을 밝게 해 주세요"
    follow = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "공감이나 댓글이 달린 제안은 고칠 수 없습니다." in follow


def test_the_author_edits_and_withdraws_a_fresh_proposal(client, auth, users):
    p = proposal(users.resident)
    auth.login(users.resident)
    response = client.post(
        f"/policy/proposals/{p.id}/edit",
        data={"title": "바뀐 제목", "body": "바뀐 내용", "category": "안전", "dong": ""},
    )
    assert response.status_code == 303
    db.session.refresh(p)
    assert (p.title, p.dong) == ("바뀐 제목", None)
    assert client.post(f"/policy/proposals/{p.id}/withdraw").status_code == 303
    db.session.refresh(p)
    assert p.state == "withdrawn"
    assert "바뀐 제목" not in client.get("/policy/proposals").get_data(as_text=True)


def test_gonggam_on_ones_own_or_a_closed_proposal_or_signed_out_changes_nothing(
    app, client, auth, users
):
    p = proposal(users.resident)
    assert client.post(f"/policy/proposals/{p.id}/gonggam").status_code == 302  # to log in
    auth.login(users.resident)
    response = client.post(f"/policy/proposals/{p.id}/gonggam", follow_redirects=True)
    assert "자신의 제안에는 공감할 수 없습니다." in response.get_data(as_text=True)
    auth.logout()
    p.state = "answered"
    db.session.commit()
    auth.login(users.neighbour)
    response = client.post(f"/policy/proposals/{p.id}/gonggam", follow_redirects=True)
    assert "공감을 받을 수 없는 제안입니다" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Gonggam.id))) == 0
    db.session.refresh(p)
    assert p.gonggam_count == 0


def test_gonggam_is_a_toggle_while_gathering(client, auth, users):
    p = proposal(users.resident)
    auth.login(users.neighbour)
    client.post(f"/policy/proposals/{p.id}/gonggam", data={"action": "give"})
    client.post(f"/policy/proposals/{p.id}/gonggam", data={"action": "give"})  # a double submit
    db.session.refresh(p)
    assert p.gonggam_count == 1
    client.post(f"/policy/proposals/{p.id}/gonggam", data={"action": "take"})
    db.session.refresh(p)
    assert p.gonggam_count == 0 and db.session.scalar(select(func.count(Gonggam.id))) == 0


def test_with_htmx_gonggam_answers_only_the_button_fragment(client, auth, users):
    p = proposal(users.resident)
    auth.login(users.neighbour)
    response = client.post(f"/policy/proposals/{p.id}/gonggam", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<form id="gonggam"') and "<html" not in html
    assert "공감함 1" in html
    # The counts change inside the #counts live region (swapped into, not over it), and
    # the page's polite live region says what happened.
    assert '<div id="counts" data-hx-swap-oob="innerHTML">' in html
    assert "<dt>공감</dt><dd>1명</dd>" in html
    assert '<div id="announce" data-hx-swap-oob="innerHTML">공감했습니다.</div>' in html
    refused = client.post(
        f"/policy/proposals/{p.id}/gonggam", headers={"HX-Request": "true"}, data={"action": "give"}
    )
    assert refused.status_code == 200  # already given: the same state, no change


def test_the_counts_fragment_is_cheap_with_an_etag(client, users):
    p = proposal(users.resident)
    first = client.get(f"/policy/proposals/{p.id}/counts", headers={"HX-Request": "true"})
    html = first.get_data(as_text=True)
    # Only the contents of the live region: the region itself stays in the page.
    assert first.status_code == 200 and "<dt>공감</dt><dd>0명</dd>" in html
    assert 'id="counts"' not in html
    etag = first.headers["ETag"]
    again = client.get(f"/policy/proposals/{p.id}/counts", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""


def test_the_counts_poll_gets_nothing_to_swap_until_the_counts_change(client, users):
    p = proposal(users.resident)
    page = client.get(f"/policy/proposals/{p.id}").get_data(as_text=True)
    seen = re.search(r'name="seen" value="([^"]+)"', page).group(1)
    url = f"/policy/proposals/{p.id}/counts?seen={seen}"
    unchanged = client.get(url, headers={"HX-Request": "true"})
    assert unchanged.status_code == 204 and unchanged.data == b""
    from gwanak.participation import operations as ops

    ops.give_gonggam(p, users.neighbour)
    changed = client.get(url, headers={"HX-Request": "true"})
    assert changed.status_code == 200 and "<dt>공감</dt><dd>1명</dd>" in changed.get_data(True)


def test_the_list_sorts_filters_searches_korean_and_pages(client, users):
    a = proposal(users.resident, title="신림동 주차 문제 해결", category="교통", dong="sillim")
    proposal(users.resident, title="보라매공원 화장실 개선", category="환경")
    proposal(
        users.neighbour,
        title="어린이 보호구역 확대",
        category="안전",
        body="학교 앞 주차 단속을 늘려 주세요",
    )
    from gwanak.participation import operations as ops

    for person in residents(2):
        ops.give_gonggam(a, person)
    html = client.get("/policy/proposals?sort=gonggam").get_data(as_text=True)
    assert html.index("신림동 주차 문제 해결") < html.index("보라매공원 화장실 개선")
    found = client.get("/policy/proposals?q=주차").get_data(
        as_text=True
    )  # title and body, part of a word
    assert (
        "신림동 주차 문제 해결" in found
        and "어린이 보호구역 확대" in found
        and "보라매공원" not in found
    )
    assert "보라매공원" not in client.get("/policy/proposals?category=교통").get_data(as_text=True)
    assert "어린이" not in client.get("/policy/proposals?dong=sillim").get_data(as_text=True)
    assert client.get("/policy/proposals?q=%25").status_code == 200  # LIKE wildcards are escaped
    fragment = client.get("/policy/proposals?sort=latest", headers={"HX-Request": "true"}).get_data(
        as_text=True
    )
    assert fragment.lstrip().startswith('<section id="results"') and "<html" not in fragment


def test_personal_data_is_masked_in_public_and_flagged_for_staff(client, auth, users):
    p = proposal(users.resident, body="연락은 010-1234-5678 또는 kim@example.com 으로 주세요")
    html = client.get(f"/policy/proposals/{p.id}").get_data(as_text=True)
    assert "010-1234-5678" not in html and "010-****-5678" in html
    assert "kim@example.com" not in html
    auth.login(users.planning)
    assert f"제안 #{p.id}" in client.get("/staff/participation/reports").get_data(as_text=True)


def test_the_card_statistics_count_adopted_and_reference(client, users):
    from gwanak.participation import operations as ops
    from gwanak.participation.queries import card_stats

    for outcome in ("adopted", "reference", "reference", None):
        p = proposal(users.resident)
        if outcome:
            for person in residents(5):
                ops.give_gonggam(p, person)
            ops.answer_proposal(p, users.planning, outcome=outcome, body="답변")
    stats = card_stats("policy")
    assert (stats.total, stats.adopted, stats.reference) == (4, 1, 2)
    html = client.get("/policy/proposals").get_data(as_text=True)
    assert re.search(r"전체 제안</dt><dd>4건", html) and re.search(r"채택</dt><dd>1건", html)


def test_posting_is_rate_limited_per_account(db_url, tmp_path, users):
    from gwanak import create_app
    from tests.conftest import TEST_PASSWORD, base_config

    app = create_app(base_config(db_url) | {"RATELIMIT_ENABLED": True, "UPLOAD_DIR": str(tmp_path)})
    client = app.test_client()
    client.post("/auth/login", data={"email": users.resident.email, "password": TEST_PASSWORD})
    statuses = [_post_proposal(client, title=f"제안 {i}").status_code for i in range(6)]
    assert statuses == [303] * 5 + [429]
    assert db.session.scalar(select(func.count(Proposal.id))) == 5
    # Another resident is not affected by this account's limit.
    other = app.test_client()
    other.post("/auth/login", data={"email": users.neighbour.email, "password": TEST_PASSWORD})
    assert _post_proposal(other, title="다른 주민의 제안").status_code == 303


def test_search_finds_parts_of_korean_words_and_follows_edits(client, auth, users):
    p = proposal(users.resident, title="보라매공원 산책로 정비", body="야간 조명이 부족합니다")
    proposal(users.neighbour, title="도서관 연장 운영", body="주말에도 열어 주세요")
    for term, found in [
        ("매공원", True),
        ("산책로 정", True),
        ("조명이", True),
        ("공원", True),
        ("연장", False),
        ("없는말", False),
    ]:
        html = client.get(f"/policy/proposals?q={term}").get_data(as_text=True)
        assert ("보라매공원 산책로 정비" in html) is found, term
    auth.login(users.resident)
    client.post(
        f"/policy/proposals/{p.id}/edit",
        data={"title": "관악산 등산로 정비", "body": "낙석 위험", "category": "안전", "dong": ""},
    )
    assert "관악산 등산로 정비" in client.get("/policy/proposals?q=등산로 정").get_data(
        as_text=True
    )
    assert "관악산" not in client.get("/policy/proposals?q=매공원").get_data(as_text=True)
