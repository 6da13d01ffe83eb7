"""관악구가 묻습니다!: posting, poll, opinions from the engine, close, result."""

from __future__ import annotations

import re
import threading
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from gwanak.core.extensions import db
from gwanak.core.live_figures import live_figure
from gwanak.core.operations import OperationError
from gwanak.participation import operations as part_ops
from gwanak.participation.models import Comment, Discussion
from gwanak.policy.asks import operations as ops
from gwanak.policy.asks.models import Agenda, AgendaState, PollVote
from tests.conftest import is_postgres
from tests.factories import comments, make_agenda, make_user, poll_votes, residents
from tests.query_counter import statements_for

OPEN_DAY = datetime(2026, 3, 10, 3, 0)  # 2026-03-10 12:00 KST


def test_planning_posts_both_kinds_and_autonomy_only_governance(app, users, frozen):
    frozen(OPEN_DAY)
    assert make_agenda(users.planning).department == "기획예산과"
    governance = make_agenda(users.autonomy, kind="governance", poll=None)
    assert governance.department == "자치행정과" and governance.options == []
    with pytest.raises(OperationError, match="협치의제만"):
        make_agenda(users.autonomy, kind="general")
    for other in (users.audit, users.boramae, users.resident, users.mayor):
        with pytest.raises(OperationError):
            make_agenda(other, kind="governance")
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Agenda)) == 2


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["하나"], "2개에서 6개"),
        ([str(n) for n in range(7)], "2개에서 6개"),
        (["같음", "같음"], "같은 선택지"),
    ],
)
def test_a_poll_needs_two_to_six_distinct_options(app, users, frozen, options, message):
    frozen(OPEN_DAY)
    with pytest.raises(OperationError, match=message):
        make_agenda(users.planning, poll=options)


def test_body_markdown_is_sanitized(app, users, frozen, client):
    frozen(OPEN_DAY)
    agenda = make_agenda(users.planning, body="<script>alert(1)</script>**굵게**")
    html = client.get(f"/policy/asks/{agenda.id}").get_data(as_text=True)
    assert "<script>alert" not in html and "<strong>굵게</strong>" in html


def test_one_vote_per_resident_changeable_until_close(app, users, frozen):
    frozen(OPEN_DAY)
    agenda = make_agenda(users.planning)
    yes, no = agenda.options
    ops.cast_vote(agenda, users.resident, yes.id)
    ops.cast_vote(agenda, users.resident, no.id)
    ops.cast_vote(agenda, users.neighbour, no.id)
    tallies, total = ops.tally(agenda)
    assert total == 2 and [t.votes for t in tallies] == [0, 2]
    with pytest.raises(OperationError, match="주민 계정"):
        ops.cast_vote(agenda, users.planning, yes.id)
    with pytest.raises(OperationError, match="선택지"):
        ops.cast_vote(agenda, users.resident, 999999)
    frozen(datetime(2026, 4, 1, 3, 0))
    with pytest.raises(OperationError, match="마감되었습니다"):
        ops.cast_vote(agenda, users.resident, yes.id)
    assert ops.my_vote(agenda, users.resident) == no.id


@pytest.mark.skipif(not is_postgres(), reason="concurrency is proved on PostgreSQL")
def test_votes_stay_exact_under_concurrency(app, users, frozen):
    frozen(OPEN_DAY)
    agenda = make_agenda(users.planning, poll=("가", "나", "다"))
    voters = [make_user(name=f"주민{n}") for n in range(12)]
    option_ids = [o.id for o in agenda.options]
    agenda_id = agenda.id
    voter_ids = [v.id for v in voters]
    errors = []

    def vote(user_id, rounds):
        with app.app_context():
            try:
                from gwanak.accounts.models import User

                user = db.session.get(User, user_id)
                user.is_authenticated  # noqa: B018
                mine = db.session.get(Agenda, agenda_id)
                for n in range(rounds):
                    ops.cast_vote(mine, user, option_ids[n % 3])
            except Exception as error:  # pragma: no cover - reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=vote, args=(uid, 4)) for uid in voter_ids for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert db.session.scalar(select(func.count()).select_from(PollVote)) == 12
    assert ops.tally(db.session.get(Agenda, agenda_id))[1] == 12


def test_opinions_are_refused_after_close_with_a_clear_message(app, users, frozen, client, auth):
    frozen(OPEN_DAY)
    agenda = make_agenda(users.planning)
    part_ops.post_comment(agenda.discussion, users.resident, "밝게 해 주세요.")
    frozen(datetime(2026, 4, 2, 3, 0))
    with pytest.raises(OperationError, match="마감되었습니다"):
        part_ops.post_comment(agenda.discussion, users.neighbour, "늦은 의견")
    auth.login(users.neighbour)
    response = client.post(
        f"/discussions/{agenda.discussion_id}/comments", data={"body": "늦은 의견"}
    )
    assert response.status_code == 422
    assert "마감되었습니다" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 1
    page = client.get(f"/policy/asks/{agenda.id}").get_data(as_text=True)
    assert "마감되었습니다" in page and "댓글 등록" not in page and "투표하기" not in page


def test_a_hundred_distinct_commenters_put_the_agenda_in_the_mayors_queue(app, users, frozen):
    frozen(OPEN_DAY)
    agenda = make_agenda(users.planning)
    people = residents(100)
    comments(agenda.discussion, people[:99], "의견입니다.")
    part_ops.post_comment(agenda.discussion, people[0], "한 번 더")
    assert db.session.get(Discussion, agenda.discussion_id).mayor_state is None
    part_ops.post_comment(agenda.discussion, people[99], "백 번째 참여자")
    discussion = db.session.get(Discussion, agenda.discussion_id)
    assert (discussion.mayor_state, discussion.commenter_count) == ("queued", 100)


def test_result_is_published_only_after_close_and_states_follow(app, users, frozen):
    frozen(OPEN_DAY)
    agenda = make_agenda(users.planning)
    assert agenda.state() == AgendaState.OPEN
    with pytest.raises(OperationError, match="끝난 뒤"):
        ops.publish_result(agenda, users.planning, "반영했습니다")
    frozen(datetime(2026, 4, 1, 3, 0))
    assert agenda.state() == AgendaState.CLOSED
    with pytest.raises(OperationError, match="결과 반영 내용을 입력"):
        ops.publish_result(agenda, users.planning, "   ")
    ops.publish_result(agenda, users.planning, "조명 20개를 **설치**합니다.")
    db.session.commit()
    assert agenda.state() == AgendaState.PUBLISHED
    assert "<strong>설치</strong>" in agenda.result_html


def test_another_department_cannot_publish_the_result(app, users, frozen, client, auth):
    frozen(OPEN_DAY)
    agenda = make_agenda(users.planning)
    frozen(datetime(2026, 4, 1, 3, 0))
    for who in (users.autonomy, users.audit, users.resident):
        auth.login(who)
        assert (
            client.post(f"/policy/asks/{agenda.id}/result", data={"result": "x"}).status_code == 403
        )
        auth.logout()
    assert db.session.get(Agenda, agenda.id).result_published_at is None
    assert client.get("/policy/asks/99999").status_code == 404


def test_yearly_count_against_the_target_and_the_all_time_split(app, users, frozen, client):
    frozen(OPEN_DAY)
    make_agenda(users.planning, opens=date(2026, 3, 1))
    make_agenda(users.autonomy, kind="governance", poll=None, opens=date(2026, 3, 5))
    make_agenda(
        users.autonomy,
        kind="governance",
        poll=None,
        opens=date(2026, 12, 1),
        closes=date(2026, 12, 31),
    )
    frozen(datetime(2025, 5, 1, 3, 0))
    make_agenda(
        users.autonomy,
        kind="governance",
        poll=None,
        opens=date(2025, 5, 1),
        closes=date(2025, 5, 20),
    )
    frozen(OPEN_DAY)
    assert live_figure("policy.asks_per_year", 2026) == 2  # the December one has not opened
    assert live_figure("policy.asks_per_year", 2025) == 1
    figures = ops.asks_figures()
    assert (figures.this_year, figures.target, figures.total) == (2, 12, 4)
    assert figures.by_kind == {"general": 1, "governance": 3}
    page = client.get("/policy/asks").get_data(as_text=True)
    assert "2026년 의제 <strong>2건</strong> / 목표 12건" in page
    assert "일반의제 1건, 협치의제 3건" in page


def test_the_list_uses_the_same_number_of_queries_for_10_and_100_agendas(
    app, users, frozen, client
):
    frozen(OPEN_DAY)
    for n in range(10):
        make_agenda(users.planning, title=f"의제 {n}")
    few = statements_for(client, "/policy/asks?page=1")
    for n in range(90):
        make_agenda(users.planning, title=f"의제 {n + 10}")
    many = statements_for(client, "/policy/asks?page=1")
    assert few == many


def test_the_whole_agenda_walk_without_javascript(app, users, frozen, client, auth):
    """Posting → votes → opinions → close → 결과 공개, with plain form posts."""
    frozen(OPEN_DAY)
    auth.login(users.planning)
    bad = client.post("/policy/asks/new", data={"kind": "general", "title": " ", "body": "내용",
                                                "opens_on": "2026-03-01", "closes_on": "2026-03-31"})  # fmt: skip
    assert (
        bad.status_code == 422 and db.session.scalar(select(func.count()).select_from(Agenda)) == 0
    )
    response = client.post(
        "/policy/asks/new",
        data={"kind": "general", "title": "주민 쉼터 이름 짓기", "body": "이름 후보에 투표해 주세요.",
              "opens_on": "2026-03-01", "closes_on": "2026-03-31", "poll_question": "어떤 이름이 좋을까요?",
              "poll_options": "관악쉼터\r\n봉천마루\r\n"},
    )  # fmt: skip
    assert response.status_code == 303
    agenda = db.session.scalar(select(Agenda))
    auth.logout()

    auth.login(users.resident)
    second = agenda.options[1].id
    assert (
        client.post(
            f"/policy/asks/{agenda.id}/vote", data={"option": agenda.options[0].id}
        ).status_code
        == 303
    )
    assert client.post(f"/policy/asks/{agenda.id}/vote", data={"option": second}).status_code == 303
    assert client.post(f"/policy/asks/{agenda.id}/vote", data={}).status_code == 422
    htmx = client.post(
        f"/policy/asks/{agenda.id}/vote", data={"option": second}, headers={"HX-Request": "true"}
    )
    assert htmx.status_code == 200 and "<html" not in htmx.get_data(as_text=True)
    assert (
        client.post(
            f"/discussions/{agenda.discussion_id}/comments", data={"body": "봉천마루가 좋아요"}
        ).status_code
        == 303
    )
    page = client.get(f"/policy/asks/{agenda.id}").get_data(as_text=True)
    assert "봉천마루가 좋아요" in page and "내 선택" in page and "투표 바꾸기" in page
    auth.logout()

    frozen(datetime(2026, 4, 1, 3, 0))
    auth.login(users.neighbour)
    late = client.post(f"/policy/asks/{agenda.id}/vote", data={"option": second})
    assert late.status_code == 409 and "마감되었습니다" in late.get_data(as_text=True)
    auth.logout()

    auth.login(users.planning)
    assert client.post(f"/policy/asks/{agenda.id}/result", data={"result": ""}).status_code == 422
    assert (
        client.post(
            f"/policy/asks/{agenda.id}/result", data={"result": "'봉천마루'로 정했습니다."}
        ).status_code
        == 303
    )
    page = client.get(f"/policy/asks/{agenda.id}").get_data(as_text=True)
    assert (
        "결과 공개" in page
        and "&#39;봉천마루&#39;로 정했습니다." in page
        or "'봉천마루'로 정했습니다." in page
    )
    assert (
        client.get("/policy/asks?state=published")
        .get_data(as_text=True)
        .count("주민 쉼터 이름 짓기")
        == 1
    )
    assert ops.tally(agenda)[1] == 1


def test_staff_of_a_dong_cannot_open_the_form(app, users, client, auth):
    auth.login(users.boramae)
    assert client.get("/policy/asks/new").status_code == 403
    auth.logout()
    assert "/auth/login" in client.get("/policy/asks/new").headers["Location"]


def test_the_home_page_shows_open_agendas(app, users, frozen, client):
    frozen(OPEN_DAY)
    make_agenda(users.planning, title="홈에 보이는 의제")
    assert "홈에 보이는 의제" in client.get("/").get_data(as_text=True)
    frozen(datetime(2026, 4, 2, 3, 0))
    assert "홈에 보이는 의제" not in client.get("/").get_data(as_text=True)


def test_everyone_reads_the_poll_tally_and_a_voter_sees_their_own_choice(
    app, users, frozen, client, auth
):
    frozen(OPEN_DAY)
    agenda = make_agenda(users.planning, poll=("찬성", "반대", "보류"))
    poll_votes(agenda, residents(3), option=0)
    poll_votes(agenda, [users.resident], option=1)
    html = client.get(f"/policy/asks/{agenda.id}").get_data(as_text=True)
    assert "투표 결과 (모두 4표)" in html
    assert re.search(r"<td>찬성</td><td>3</td>\s*<td>.*75.0%</td>", html)
    assert re.search(r"<td>보류</td><td>0</td>\s*<td>.*0.0%</td>", html)
    assert "로그인</a>하면 투표할 수 있습니다" in html and "내 선택" not in html
    auth.login(users.resident)
    html = client.get(f"/policy/asks/{agenda.id}").get_data(as_text=True)
    assert '<td>반대 <span class="badge ok">내 선택</span></td><td>1</td>' in html
    assert "투표 바꾸기" in html
