"""Staff of a pledge's department keep it up to date: actuals, execution, status, milestones."""

from __future__ import annotations

import io
import json
import threading
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from gwanak.core.audit import AuditEntry
from gwanak.core.extensions import db
from gwanak.core.live_figures import LiveFigure, live_figures
from gwanak.core.operations import OperationError
from gwanak.manifesto.catalogue import export_catalogue
from gwanak.manifesto.models import IndicatorFigure, Pledge, PledgeChange
from gwanak.manifesto.rates import pledge_report
from tests.conftest import is_postgres
from tests.factories import card_catalogue, card_pledge

EDIT = "/manifesto/pledges/6-1-1"
# The edit page holds several forms; each has a prefix so its fields' ids stay unique.
PREFIXES = {"/actual": "actual", "/execution": "exec", "/status": "status", "/milestones": "ms"}


def post(client, action: str, data: dict, **kwargs):
    prefix = PREFIXES[action]
    return client.post(EDIT + action, data={f"{prefix}-{k}": v for k, v in data.items()}, **kwargs)


@pytest.fixture
def card(app):
    return card_pledge()


def rate_of(code: str = "6-1-1") -> Decimal:
    db.session.expire_all()
    pledge = db.session.scalar(select(Pledge).where(Pledge.code == code))
    return pledge_report(pledge, this_year=2023).total_rate


def test_planning_staff_record_an_actual_and_the_rate_history_and_audit_follow(
    client, auth, users, card
):
    auth.login(users.planning)
    assert client.get(EDIT + "/edit").status_code == 200
    response = post(client, "/actual", data={"indicator": 1, "year": 2023, "actual": "30"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(EDIT + "/edit")
    # 6 + 30 of 48 → 75.0 %; (35×75 + 35×40 + 30×42.9) / 100 = 53.1; 50:50 → 26.6
    assert rate_of() == Decimal("26.6")
    change = db.session.scalar(select(PledgeChange))
    assert change.what == "지표 1 정책참여방 운영 2023년 실적"
    assert (change.before, change.after, change.actor_id) == ("12", "30", users.planning.id)
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "manifesto.update"))
    assert audit.object_id == "6-1-1" and audit.actor_id == users.planning.id
    html = client.get(EDIT + "/edit").get_data(as_text=True)
    assert "변경 이력" in html and "기획 직원" in html


def test_an_update_with_htmx_answers_with_the_edit_fragment(client, auth, users, card):
    auth.login(users.planning)
    response = post(client, "/status", data={"status": "정상추진"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<div id="pledge-edit">' in html and "<html" not in html
    assert card.status == "정상추진"


def test_budget_execution_is_added_per_year_and_source(client, auth, users, card):
    auth.login(users.planning)
    data = {"year": 2024, "source": "구비", "executed": "3.1"}
    assert post(client, "/execution", data=data).status_code == 303
    db.session.expire_all()
    budget = pledge_report(card).budget
    assert budget.executed == Decimal("8.49")
    assert "8.49" in client.get(EDIT).get_data(as_text=True)


def test_a_milestone_joins_the_timeline_as_plain_text(client, auth, users, card):
    auth.login(users.planning)
    data = {"happened_on": "2024-05-20", "title": "<b>2024 공모전</b>", "detail": "접수 80건"}
    assert post(client, "/milestones", data=data).status_code == 303
    html = client.get(EDIT).get_data(as_text=True)
    assert "&lt;b&gt;2024 공모전&lt;/b&gt;" in html and "<b>2024" not in html
    assert post(client, "/milestones", data=data).status_code == 422  # double submit


@pytest.mark.parametrize(
    ("url", "data", "message"),
    [
        ("/actual", {"indicator": 1, "year": 2023, "actual": "-3"}, "0 이상의 숫자로"),
        ("/actual", {"indicator": 1, "year": 2023, "actual": "열둘"}, "숫자로 입력하세요."),
        ("/actual", {"indicator": 1, "year": 2023, "actual": ""}, "실적을(를) 입력하세요"),
        ("/actual", {"indicator": 1, "year": 2030, "actual": "1"}, "사업기간(2022~2026년)"),
        ("/actual", {"indicator": 9, "year": 2023, "actual": "1"}, "목록에 있는 값을 고르세요."),
        ("/actual", {"indicator": 1, "year": 2023, "actual": "12"}, "이미 저장된 값과 같습니다"),
        (
            "/execution",
            {"year": 2023, "source": "복권", "executed": "1"},
            "목록에 있는 값을 고르세요.",
        ),
        ("/execution", {"year": 2023, "source": "구비", "executed": "-1"}, "0 이상의 숫자로"),
        ("/status", {"status": "이행 후 지속추진"}, "이미 그 추진상황입니다"),
        ("/status", {"status": "<script>"}, "목록에 있는 값을 고르세요."),
        ("/milestones", {"happened_on": "2024-01-01", "title": "   "}, "추진사항을(를) 입력하세요"),
        (
            "/milestones",
            {"happened_on": "어제", "title": "x"},
            "날짜를 2026-03-01 형식으로 입력하세요.",
        ),
        ("/milestones", {"happened_on": "2024-01-01", "title": "x" * 201}, "200자 이하"),
    ],
)
def test_bad_updates_are_refused_next_to_the_field_and_nothing_saved(
    client, auth, users, card, url, data, message
):
    before = export_catalogue()
    auth.login(users.planning)
    response = post(client, url, data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert export_catalogue() == before
    assert db.session.scalar(select(func.count(PledgeChange.id))) == 0


def test_a_live_year_cannot_be_typed_over(client, auth, users, card):
    key = "policy.asks_per_year"
    live_figures()[key] = LiveFigure(key, "관악구가 묻습니다! 의제 수", lambda year: 3)
    auth.login(users.planning)
    response = post(client, "/actual", data={"indicator": 1, "year": 2024, "actual": "9"})
    assert response.status_code == 422
    assert "실시간으로 집계합니다" in response.get_data(as_text=True)
    html = client.get(EDIT).get_data(as_text=True)
    assert "관악구가 묻습니다! 의제 수 (2024년부터 실시간)" in html
    assert 'class="badge live">실시간' in html


def test_only_the_pledges_department_may_update_it(client, auth, users, card):
    data = {"status": "정상추진"}
    anonymous = post(client, "/status", data=data)
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]
    for user in (users.resident, users.autonomy, users.boramae, users.mayor):
        auth.login(user)
        assert client.get(EDIT + "/edit").status_code == 403
        assert post(client, "/status", data=data).status_code == 403
        auth.logout()
    auth.login(users.admin)
    assert post(client, "/status", data=data).status_code == 303
    assert client.post("/manifesto/pledges/9-9-9/status", data=data).status_code == 404


def test_the_pledge_page_offers_the_edit_link_only_to_its_department(client, auth, users, card):
    assert "실적·예산·추진상황 입력" not in client.get(EDIT).get_data(as_text=True)
    auth.login(users.planning)
    assert "실적·예산·추진상황 입력" in client.get(EDIT).get_data(as_text=True)


# ---------------------------------------------------------------- import and export pages


def upload(client, name: str, text: str):
    return client.post(
        "/manifesto/manage",
        data={"file": (io.BytesIO(text.encode("utf-8")), name)},
        content_type="multipart/form-data",
    )


def test_planning_imports_a_file_and_downloads_it_again(client, auth, users, app):
    auth.login(users.planning)
    response = upload(client, "6-1-1.json", json.dumps(card_catalogue(), ensure_ascii=False))
    assert response.status_code == 303
    assert db.session.scalar(select(func.count(Pledge.id))) == 1
    exported = client.get("/manifesto/manage/export.json")
    assert exported.headers["Content-Disposition"].endswith('manifesto-catalogue.json"')
    assert json.loads(exported.data) == export_catalogue()
    csv_text = client.get("/manifesto/manage/export.csv").get_data(as_text=True)
    assert csv_text.startswith("\ufeffrecord,code,parent")
    assert upload(client, "catalogue.csv", csv_text).status_code == 303
    assert client.get("/manifesto/manage/export.xml").status_code == 404


def test_a_bad_upload_shows_every_problem_and_changes_nothing(client, auth, users, app):
    data = card_catalogue()
    pledge = data["areas"][0]["goals"][0]["groups"][0]["pledges"][0]
    pledge["indicators"][0]["weight"] = 50
    pledge["budget"][0]["planned"] = "사"
    auth.login(users.planning)
    response = upload(client, "bad.json", json.dumps(data, ensure_ascii=False))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "가져오지 않았습니다. 아래 2곳을" in html
    assert (
        "가중치의 합이 100이 아닙니다 (115)" in html
        and "&#39;사&#39;은(는) 숫자가 아닙니다" in html
    )
    assert db.session.scalar(select(func.count(Pledge.id))) == 0
    assert upload(client, "empty.json", "").status_code == 422
    assert upload(client, "x.json", "{").status_code == 422
    response = client.post(
        "/manifesto/manage",
        data={"file": (io.BytesIO(b"\xff\xfe\x00bad"), "x.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and "UTF-8" in response.get_data(as_text=True)
    assert client.post("/manifesto/manage", data={}).status_code == 422


def test_only_planning_and_admins_import_and_residents_see_no_back_office(client, auth, users, app):
    auth.login(users.autonomy)
    assert client.get("/manifesto/manage").status_code == 200
    assert upload(client, "6-1-1.json", "{}").status_code == 403
    auth.logout()
    auth.login(users.resident)
    assert client.get("/manifesto/manage").status_code == 403
    assert client.get("/manifesto/manage/export.csv").status_code == 403


@pytest.mark.postgres_only
@pytest.mark.skipif(not is_postgres(), reason="needs PostgreSQL")
def test_concurrent_actual_updates_keep_one_row_and_a_full_history(app, users, card, monkeypatch):
    from gwanak.manifesto import operations

    # Contests are counted live from 2024; this test is about figures staff type in.
    monkeypatch.delitem(live_figures(), "policy.contests_per_year", raising=False)
    pledge_id = card.id
    errors: list[BaseException] = []

    def save(value: int) -> None:
        with app.app_context():
            try:
                pledge = db.session.get(Pledge, pledge_id)
                operations.set_actual(pledge, 2, 2024, Decimal(value), users.planning.id)
            except OperationError:
                db.session.rollback()
            except BaseException as error:  # noqa: BLE001
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=save, args=(n,)) for n in range(1, 9)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    rows = db.session.scalar(
        select(func.count(IndicatorFigure.id)).where(
            IndicatorFigure.year == 2024, IndicatorFigure.actual.is_not(None)
        )
    )
    assert rows == 1
    assert db.session.scalar(select(func.count(PledgeChange.id))) == 8
