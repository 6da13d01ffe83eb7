"""창의제안 공모전: entries, screening, committee, re-review, implementation, results."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from werkzeug.datastructures import FileStorage

from gwanak.core.audit import AuditEntry
from gwanak.core.extensions import db
from gwanak.core.live_figures import live_figure
from gwanak.core.operations import OperationError
from gwanak.core.uploads import Upload, is_public
from gwanak.policy.contest import operations as ops
from gwanak.policy.contest.models import Contest, ContestEntry, ContestEntryEvent, EntryState
from tests.factories import contest_entry, entry_fields, make_contest, make_user
from tests.query_counter import statements_for

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n"
DURING = datetime(2023, 6, 10, 3, 0)  # 2023-06-10 12:00 KST
AFTER = datetime(2023, 7, 3, 3, 0)  # the entry deadline (6/30) has passed


def test_the_2023_contest_figures_70_57_13_are_rebuilt_from_entries(app, users, frozen):
    """70 received, 57 valid, 13 excluded = 1 duplicate + 12 non-proposals."""
    frozen(DURING)
    contest = make_contest()
    entries = []
    for n in range(60):  # online entries by 60 residents
        person = make_user(name=f"주민{n}")
        entries.append(contest_entry(contest, person, f"제안 {n}"))
    channels = ["epeople", "email", "post", "visit"]
    for n in range(10):  # officials' and others' entries registered by staff
        data = entry_fields(f"접수 제안 {n}", relation="official" if n < 6 else "worker")
        data.channel = channels[n % 4]
        data.submitter_name = f"공무원{n}"
        entries.append(ops.register_offline_entry(contest, users.planning, data))
    db.session.commit()

    ops.screen_entry(entries[0], users.planning, "duplicate", "2번 제안과 같은 내용")
    for entry in entries[1:13]:
        ops.screen_entry(entry, users.planning, "non_proposal", "단순 민원")
    for entry in entries[13:]:
        ops.screen_entry(entry, users.planning, "forward")
    ops.decide_entry(entries[13], users.planning, "excellent", "금상")
    ops.decide_entry(entries[14], users.planning, "excellent", "장려")
    ops.decide_entry(entries[15], users.planning, "rejected", reason="예산 과다")
    db.session.commit()

    stats = ops.contest_statistics(contest)
    assert (stats.received, stats.valid, stats.excluded) == (70, 57, 13)
    assert stats.excluded_by_cause == {"duplicate": 1, "non_proposal": 12}
    assert (stats.residents, stats.officials) == (64, 6)
    assert stats.by_channel["online"] == 60
    assert stats.excellent_by_grade == {"금상": 1, "은상": 0, "동상": 0, "장려": 1}
    # A pledge's live count takes a contest once its results are published.
    assert live_figure("policy.contests_per_year", 2023) == 0
    contest.results_published_at = datetime(2023, 9, 12, 5, 0)
    db.session.commit()
    assert live_figure("policy.contests_per_year", 2023) == 1
    assert live_figure("policy.contests_per_year", 2022) == 0


def test_an_entry_walks_every_step_with_actor_time_and_reason(app, users, frozen):
    frozen(DURING)
    contest = make_contest()
    entry = contest_entry(contest, users.resident)
    ops.screen_entry(entry, users.planning, "forward", "검토 가치 있음")
    ops.decide_entry(entry, users.planning, "rejected", reason="재원 부족")
    ops.rereview_entry(entry, users.planning, True, "동상", "재심 결과 실현 가능")
    ops.track_implementation(entry, users.planning, "planned", None, "내년 예산 반영")
    ops.track_implementation(entry, users.planning, "implemented", date(2024, 3, 2))
    db.session.commit()
    assert entry.state == EntryState.ADOPTED and entry.grade == "동상"
    steps = [
        (e.step, e.actor_id, e.reason) for e in db.session.query(ContestEntryEvent).order_by("id")
    ]
    assert steps == [
        ("접수", users.resident.id, "온라인 접수"),
        ("실무심사 통과", users.planning.id, "검토 가치 있음"),
        ("제안심사위원회 불채택", users.planning.id, "재원 부족"),
        ("재심 채택", users.planning.id, "재심 결과 실현 가능"),
        ("실시 예정", users.planning.id, "내년 예산 반영"),
        ("실시 완료 (2024-03-02)", users.planning.id, ""),
    ]
    assert db.session.query(AuditEntry).filter_by(object_type="contest_entry").count() == 5
    assert ops.contest_statistics(contest).implemented == 1


def test_steps_out_of_order_are_refused_and_nothing_changes(app, users, frozen):
    frozen(DURING)
    contest = make_contest()
    entry = contest_entry(contest, users.resident)
    db.session.commit()
    with pytest.raises(OperationError, match="심사위원회에 회부된"):
        ops.decide_entry(entry, users.planning, "excellent", "금상")
    with pytest.raises(OperationError, match="사유를 입력하세요"):
        ops.screen_entry(entry, users.planning, "duplicate", "   ")
    ops.screen_entry(entry, users.planning, "forward")
    with pytest.raises(OperationError, match="창안등급을 고르세요"):
        ops.decide_entry(entry, users.planning, "excellent", "대상")
    with pytest.raises(OperationError, match="불채택된 응모작만"):
        ops.rereview_entry(entry, users.planning, True, reason="x")
    with pytest.raises(OperationError, match="우수제안이나 채택된"):
        ops.track_implementation(entry, users.planning, "planned", None)
    ops.decide_entry(entry, users.planning, "rejected", reason="중복 예산")
    ops.rereview_entry(entry, users.planning, False, reason="재심 기각")
    with pytest.raises(OperationError, match="이미 재심"):
        ops.rereview_entry(entry, users.planning, True, reason="다시")


def test_entries_outside_the_period_or_without_consent_are_refused(app, users, frozen):
    frozen(DURING)
    contest = make_contest()
    frozen(datetime(2023, 7, 1, 3, 0))
    with pytest.raises(OperationError, match="응모 기간"):
        ops.submit_entry(contest, users.resident, entry_fields())
    frozen(DURING)
    with pytest.raises(OperationError, match="동의해야"):
        ops.submit_entry(contest, users.resident, _no_consent())
    with pytest.raises(OperationError, match="자격"):
        ops.submit_entry(make_contest(2024, eligibility=["official"], opens_on=date(2023, 6, 1)),
                         users.resident, entry_fields())  # fmt: skip
    ops.submit_entry(contest, users.resident, entry_fields())
    with pytest.raises(OperationError, match="같은 제목으로 이미"):
        ops.submit_entry(contest, users.resident, entry_fields())
    # Each refusal wrote nothing: only the one accepted entry is stored.
    assert db.session.query(ContestEntry).count() == 1


def _no_consent() -> ops.EntryFields:
    data = entry_fields()
    data.consent = False
    return data


def test_attachments_stay_private_until_winners_are_announced(app, users, frozen):
    frozen(DURING)
    contest = make_contest()
    data = entry_fields(attachment=FileStorage(io.BytesIO(PDF), "제안서.pdf"))
    winner = ops.submit_entry(contest, users.resident, data)
    other = ops.submit_entry(
        contest,
        users.neighbour,
        entry_fields("다른 제안", attachment=FileStorage(io.BytesIO(PDF), "b.pdf")),
    )
    db.session.commit()
    assert not is_public(winner.attachment) and not is_public(other.attachment)
    for entry in (winner, other):
        ops.screen_entry(entry, users.planning, "forward")
    ops.decide_entry(winner, users.planning, "excellent", "금상")
    ops.decide_entry(other, users.planning, "rejected", reason="효과 불분명")
    frozen(AFTER)
    ops.publish_results(contest, users.planning.id)
    db.session.commit()
    assert is_public(winner.attachment)
    assert not is_public(other.attachment)
    client = app.test_client()
    assert client.get(other.attachment.url).status_code == 404
    assert client.get(winner.attachment.url).status_code == 200


def test_a_file_of_the_wrong_kind_is_refused_by_the_field(app, users, client, auth, frozen):
    frozen(DURING)
    make_contest()
    auth.login(users.resident)
    form = {
        "title": "제안",
        "problem": "문제",
        "proposal": "방안",
        "effect": "효과",
        "relation": "resident",
        "consent": "y",
        "attachment": (io.BytesIO(b"MZ\x90\x00evil"), "제안.pdf"),
    }
    response = client.post(
        "/policy/contest/2023/enter", data=form, content_type="multipart/form-data"
    )
    assert response.status_code == 422
    assert "허용되지 않는 파일" in response.get_data(as_text=True)
    assert db.session.query(ContestEntry).count() == 0
    assert db.session.query(Upload).count() == 0


def test_the_consent_notice_lists_the_personal_data_collected(app, users, client, auth, frozen):
    frozen(DURING)
    make_contest()
    items = ops.consent_notice()["items"]
    auth.login(users.resident)
    entry_page = client.get("/policy/contest/2023/enter").get_data(as_text=True)
    auth.logout()
    auth.login(users.planning)
    register_page = client.get("/policy/contest/staff/2023/register").get_data(as_text=True)
    for page in (entry_page, register_page):
        assert f"<dd>{items}</dd>" in page
        assert "built-in method" not in page


def test_a_resident_enters_online_and_sees_the_state(app, users, client, auth, frozen):
    frozen(DURING)
    make_contest()
    auth.login(users.resident)
    page = client.get("/policy/contest/2023/enter").get_data(as_text=True)
    assert "보유 기간" in page and "목적" in page and "항목" in page
    form = {"title": "  ", "problem": "문제", "proposal": "방안", "effect": "효과",
            "relation": "resident", "consent": "y"}  # fmt: skip
    assert client.post("/policy/contest/2023/enter", data=form).status_code == 422
    form["title"] = "<b>공원 벤치</b>"
    response = client.post("/policy/contest/2023/enter", data=form)
    assert response.status_code == 303
    mine = client.get("/policy/contest/mine").get_data(as_text=True)
    assert "&lt;b&gt;공원 벤치&lt;/b&gt;" in mine and "접수" in mine
    frozen(datetime(2023, 8, 1))
    closed = client.get("/policy/contest/2023/enter")
    assert closed.status_code == 409 and "응모할 수 없습니다" in closed.get_data(as_text=True)


def test_staff_register_an_offline_entry_and_screen_it_on_the_web(app, users, client, auth, frozen):
    frozen(DURING)
    make_contest()
    auth.login(users.planning)
    form = {"channel": "post", "submitter_name": "박민수", "submitter_contact": "010-1234-5678",
            "relation": "worker", "title": "우편 제안", "problem": "문제", "proposal": "방안",
            "effect": "효과", "consent": "y"}  # fmt: skip
    assert client.post("/policy/contest/staff/2023/register", data=form).status_code == 303
    entry = db.session.query(ContestEntry).one()
    assert (entry.channel, entry.registered_by_id, entry.submitter_id) == (
        "post",
        users.planning.id,
        None,
    )
    bad = client.post(f"/policy/contest/staff/entries/{entry.id}/screen",
                      data={"screen-decision": "non_proposal", "screen-reason": ""})  # fmt: skip
    assert bad.status_code == 422 and "사유를 입력하세요" in bad.get_data(as_text=True)
    ok = client.post(
        f"/policy/contest/staff/entries/{entry.id}/screen", data={"screen-decision": "forward"}
    )
    assert ok.status_code == 303
    again = client.post(
        f"/policy/contest/staff/entries/{entry.id}/screen", data={"screen-decision": "forward"}
    )
    assert again.status_code == 409
    decided = client.post(
        f"/policy/contest/staff/entries/{entry.id}/decide",
        data={"decide-decision": "excellent", "decide-grade": "은상"},
    )
    assert decided.status_code == 303
    queue = client.get("/policy/contest/staff/2023").get_data(as_text=True)
    assert "우수제안 · 은상" in queue
    assert "2023-06-30)이 지난 뒤에 결과를 발표할 수 있습니다" in queue and "/publish" not in queue
    early = client.post("/policy/contest/staff/2023/publish", follow_redirects=True)
    assert "응모 마감일(2023-06-30)이 지난 뒤에 결과를 발표할 수 있습니다." in early.get_data(
        as_text=True
    )
    assert db.session.get(Contest, entry.contest_id).results_published_at is None
    frozen(AFTER)
    assert client.post("/policy/contest/staff/2023/publish").status_code == 303
    results = client.get("/policy/contest/2023/results").get_data(as_text=True)
    assert "박*수" in results and "박민수" not in results and "010-1234" not in results


@pytest.mark.parametrize("who", ["resident", "autonomy", "boramae", "mayor"])
def test_only_the_planning_department_runs_the_contest(app, users, client, auth, frozen, who):
    frozen(DURING)
    contest = make_contest()
    entry = ops.submit_entry(contest, users.neighbour, entry_fields())
    db.session.commit()
    auth.login(getattr(users, who))
    assert client.get("/policy/contest/staff").status_code == 403
    assert client.get(f"/policy/contest/staff/entries/{entry.id}").status_code == 403
    response = client.post(
        f"/policy/contest/staff/entries/{entry.id}/screen", data={"screen-decision": "forward"}
    )
    assert response.status_code == 403
    assert db.session.get(ContestEntry, entry.id).state == EntryState.RECEIVED


def test_staff_create_a_contest_and_a_second_for_the_same_year_is_refused(app, users, client, auth):
    auth.login(users.planning)
    form = {"year": "2025", "title": "창의제안 공모전", "theme": "탄소중립", "opens_on": "2025-05-01",
            "closes_on": "2025-05-31", "eligibility": ["resident", "official"], "grades": "금상, 은상, 장려",
            "prize_rules": "**금상** 1명"}  # fmt: skip
    assert client.post("/policy/contest/staff", data=form).status_code == 303
    again = client.post("/policy/contest/staff", data=form)
    assert again.status_code == 422 and "2025년 공모전이 이미 있습니다" in again.get_data(
        as_text=True
    )
    form |= {"year": "2026", "closes_on": "2025-04-01"}
    late = client.post("/policy/contest/staff", data=form)
    assert late.status_code == 422 and "마감일은 시작일보다" in late.get_data(as_text=True)
    page = client.get("/policy/contest/2025").get_data(as_text=True)
    assert "<strong>금상</strong>" in page and "관악구민, 공무원" in page


def test_results_are_not_shown_before_they_are_published(app, users, client, frozen):
    frozen(DURING)
    contest = make_contest()
    ops.submit_entry(contest, users.resident, entry_fields())
    db.session.commit()
    page = client.get("/policy/contest/2023/results").get_data(as_text=True)
    assert "아직 결과를 발표하지 않았습니다" in page and "골목길" not in page
    frozen(AFTER)
    with pytest.raises(OperationError, match="아직 심사하지 않은"):
        ops.publish_results(contest, users.planning.id)
    assert client.get("/policy/contest/1999").status_code == 404


def test_the_staff_queue_and_results_use_the_same_queries_for_10_and_100_entries(
    app, users, client, auth, frozen
):
    frozen(DURING)
    contest = make_contest()

    def add(n0, n1):
        for n in range(n0, n1):
            entry = ops.submit_entry(contest, make_user(name=f"주민{n}"), entry_fields(f"제안 {n}"))
            ops.screen_entry(entry, users.planning, "forward")
            ops.decide_entry(entry, users.planning, "excellent", "장려")
        db.session.commit()

    add(0, 10)
    auth.login(users.planning)
    db.session.expire_all()
    few = statements_for(client, "/policy/contest/staff/2023")
    add(10, 100)
    db.session.expire_all()
    assert statements_for(client, "/policy/contest/staff/2023") == few
    frozen(AFTER)
    ops.publish_results(contest, users.planning.id)
    db.session.commit()
    assert statements_for(client, "/policy/contest/2023/results") <= 12


def test_personal_data_is_purged_after_the_retention_period(app, users, frozen, runner):
    frozen(DURING)
    contest = make_contest()
    data = entry_fields(submitter_contact="010-1234-5678")
    data.channel, data.submitter_name = "visit", "박민수"
    entry = ops.register_offline_entry(contest, users.planning, data)
    ops.screen_entry(entry, users.planning, "non_proposal", "민원")
    frozen(AFTER)
    ops.publish_results(contest, users.planning.id)
    db.session.commit()
    frozen(datetime(2026, 6, 1))
    assert "0건" in runner.invoke(args=["gwanak", "purge-contest-data"]).output
    frozen(datetime(2026, 7, 10))  # three years after the results (2023-07-03)
    assert "1건" in runner.invoke(args=["gwanak", "purge-contest-data"]).output
    entry = db.session.get(ContestEntry, entry.id)
    assert (entry.submitter_name, entry.submitter_contact) == ("박*수", "")
    assert "0건" in runner.invoke(args=["gwanak", "purge-contest-data"]).output


@pytest.mark.parametrize("who", ["planning", "audit", "mayor", "admin"])
def test_back_office_accounts_cannot_enter_but_an_official_enters_as_a_resident(
    app, users, client, auth, frozen, who
):
    frozen(DURING)
    contest = make_contest()
    account = getattr(users, who)
    with pytest.raises(OperationError, match="주민 계정으로"):
        ops.submit_entry(contest, account, entry_fields(relation="official"))
    auth.login(account)
    page = client.get("/policy/contest/2023/enter")
    assert page.status_code == 403 and "주민 계정으로" in page.get_data(as_text=True)
    form = {"title": "제안", "problem": "문제", "proposal": "방안", "effect": "효과",
            "relation": "official", "consent": "y"}  # fmt: skip
    assert client.post("/policy/contest/2023/enter", data=form).status_code == 403
    assert db.session.query(ContestEntry).count() == 0
    auth.logout()
    official = make_user(name="박공무")  # an official, with a resident account of their own
    entry = ops.submit_entry(contest, official, entry_fields(relation="official"))
    db.session.commit()
    assert entry.relation == "official" and entry.submitter_id == official.id
