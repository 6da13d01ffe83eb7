"""열린 데이터: each dataset described on one page under 공공누리 제1유형, downloadable as CSV
(UTF-8 with BOM, formula cells neutralised) and JSON, and readable page by page through a
small JSON API with an ETag."""

from __future__ import annotations

import csv
import io

import pytest

from gwanak.core.csv_export import BOM, csv_text, neutralise_cell
from tests.outward_helpers import plant_personal_data


@pytest.fixture
def world(app, users):
    return plant_personal_data(users)


def _csv_rows(response) -> list[list[str]]:
    raw = response.get_data()
    assert raw.startswith(BOM.encode("utf-8")), "CSV must start with a UTF-8 BOM for Excel"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_text_cell_a_spreadsheet_would_run_is_neutralised(start):
    assert neutralise_cell(f"{start}cmd|' /C calc'!A0") == f"'{start}cmd|' /C calc'!A0"
    assert neutralise_cell("공원 = 쉼터") == "공원 = 쉼터"
    assert neutralise_cell(-5) == -5  # numbers are numbers, not text
    assert csv_text(["a"], [["=1+1"]]) == BOM + "a\r\n'=1+1\r\n"


def test_the_proposal_csv_has_korean_headers_a_bom_and_no_live_formulas(client, world):
    response = client.get("/open-data/proposals.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert 'filename="gwanak-proposals.csv"' in response.headers["Content-Disposition"]
    rows = _csv_rows(response)
    header = rows[0]
    assert header[:3] == ["번호", "게시판", "제목"] and "담당 부서" in header
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    formula = by_id[str(world.formula.id)]
    assert formula["제목"] == '\'=HYPERLINK("http://evil.example","공원")'
    assert formula["내용"].startswith("'+SUM(1,2)")
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    answered = by_id[str(world.answered.id)]
    assert answered["제안자"] == "김*우" and answered["검토 결과"] == "채택"
    assert answered["담당 부서"] == "기획예산과" and answered["등록 일시"].endswith("+09:00")
    assert by_id[str(world.budget.id)]["상태"] == "접수"


def test_every_dataset_downloads_as_csv_and_json_with_its_fields(app, client, world):
    for slug, dataset in app.extensions["gwanak"].datasets.items():
        rows = _csv_rows(client.get(f"/open-data/{slug}.csv"))
        assert rows[0] == [f.label for f in dataset.fields], slug
        document = client.get(f"/open-data/{slug}.json").get_json()
        assert document["dataset"] == slug and document["licence"]["name"].startswith("공공누리")
        assert [f["name"] for f in document["fields"]] == [f.name for f in dataset.fields]
        assert len(document["items"]) == len(rows) - 1 == dataset.count() > 0, slug


def test_agendas_polls_projects_pledges_and_department_statistics_are_published(client, world):
    polls = client.get("/open-data/agenda-polls.json").get_json()["items"]
    assert [(p["option"], p["votes"], p["percent"]) for p in polls] == [
        ("찬성 (문의 010-****-5678)", 1, 50.0),
        ("반대", 1, 50.0),
    ]
    agenda = client.get("/open-data/agendas.json").get_json()["items"][0]
    assert agenda["state"] == "결과 공개" and agenda["votes"] == 2 and agenda["commenters"] == 1
    project = client.get("/open-data/budget-projects.json").get_json()["items"][0]
    assert project["title"] == "보라매공원 산책로 정비" and project["budget"] == 30_000_000
    assert project["dong"] == "보라매동" and project["state"] == "추진중"
    indicators = client.get("/open-data/pledge-indicators.json").get_json()["items"]
    assert {i["pledge_code"] for i in indicators} == {"6-1-1"} and len(indicators) == 3
    assert [i["weight"] for i in indicators] == [35, 35, 30]
    stats = client.get("/open-data/department-answers.json").get_json()["items"]
    policy = next(s for s in stats if s["board"] == "정책참여 제안하기")
    assert policy["department"] == "기획예산과"
    assert (policy["reviewed"], policy["answered"], policy["on_time"], policy["adopted"]) == (
        1,
        1,
        1,
        1,
    )


def test_the_open_data_page_describes_every_field_and_the_licence(app, client, world):
    response = client.get("/open-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and len(response.get_data()) < 40 * 1024
    assert "공공누리 제1유형" in html and "kogl.or.kr" in html
    for slug, dataset in app.extensions["gwanak"].datasets.items():
        assert f'href="/open-data/{slug}.csv"' in html and f'href="/open-data/{slug}.json"' in html
        for field in dataset.fields:
            assert f"<code>{field.name}</code>" in html and field.description in html


def test_the_api_pages_through_a_dataset_with_links_and_totals(client, world):
    index = client.get("/api/v1/datasets").get_json()
    assert "proposals" in {d["dataset"] for d in index["datasets"]}
    first = client.get("/api/v1/datasets/proposals?per_page=2").get_json()
    assert first["total"] == 4 and first["pages"] == 2 and first["page"] == 1
    assert len(first["items"]) == 2 and first["previous"] is None
    second = client.get(first["next"].replace("http://127.0.0.1:5000", "")).get_json()
    assert second["page"] == 2 and second["next"] is None and second["previous"]
    ids = [i["id"] for i in first["items"] + second["items"]]
    assert ids == sorted(set(ids))
    beyond = client.get("/api/v1/datasets/proposals?per_page=2&page=9").get_json()
    assert beyond["items"] == []


def test_the_api_answers_304_when_nothing_changed_and_200_when_it_did(client, users, world):
    first = client.get("/api/v1/datasets/proposals")
    etag = first.headers["ETag"]
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    assert first.headers["Cache-Control"].startswith("public, max-age=")
    again = client.get("/api/v1/datasets/proposals", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    from tests.factories import proposal

    proposal(users.neighbour, title="새로 올라온 공원 제안")
    changed = client.get("/api/v1/datasets/proposals", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_bad_api_requests_get_a_json_error(client, world):
    missing = client.get("/api/v1/datasets/no-such-thing")
    assert missing.status_code == 404 and "error" in missing.get_json()
    for query in ("page=0", "per_page=0", "per_page=100000"):
        bad = client.get(f"/api/v1/datasets/proposals?{query}")
        assert bad.status_code == 400 and "per_page" in bad.get_json()["error"], query
    assert client.get("/open-data/no-such-thing.csv").status_code == 404
