"""Numbers typed into URLs: pages, years, months and ids that no list or record could have."""

from __future__ import annotations

import pytest

from gwanak.core.params import MAX_ID, MAX_PAGE, parse_id, parse_month
from tests.factories import proposal


@pytest.mark.parametrize("raw", ["-1", "0", "abc", "²", ""])
def test_a_malformed_page_number_shows_the_first_page(client, users, raw):
    proposal(users.resident, title="첫 쪽에 보이는 제안")
    answer = client.get(f"/policy/proposals?page={raw}")
    assert answer.status_code == 200
    assert "첫 쪽에 보이는 제안" in answer.get_data(as_text=True)


@pytest.mark.parametrize(
    "url",
    [
        "/policy/proposals?page=99999999999999999999",
        "/policy/asks?page=9223372036854775807",
        "/budget/projects?page=99999999999999999999",
        "/governance/archive?page=99999999999999999999",
        "/budget/notices?page=99999999999999999999",
        "/cheong/date-board?page=99999999999999999999",
        f"/cheong/dates?page={MAX_PAGE + 1}",
    ],
)
def test_a_page_number_no_list_could_reach_is_not_found(client, url):
    assert client.get(url).status_code == 404


def test_a_page_past_the_end_of_a_list_is_an_empty_page(client, users):
    proposal(users.resident)
    assert client.get(f"/policy/proposals?page={MAX_PAGE}").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/cheong/date-board?month=0001-01",
        "/cheong/date-board?month=9999-12",
        "/cheong/date-board?month=2024-13",
        "/budget/projects?year=99999999999999999999",
        "/budget/proposals?year=99999999999999999999",
        "/governance/tasks?year=-1",
    ],
)
def test_months_and_years_out_of_range_show_the_unfiltered_list(client, url):
    assert client.get(url).status_code == 200


def test_an_event_month_out_of_range_is_not_found_for_staff(client, auth, users):
    auth.login(users.planning)
    assert client.get("/policy/event/staff?month=0001-01").status_code == 404
    assert client.get("/policy/event/staff?month=2024-05").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        f"/policy/proposals/{2**63}",
        "/policy/proposals/99999999999999999999",
        f"/governance/archive/{2**63}",
        f"/policy/contest/{2**63}",
        "/policy/contest/99999",
        f"/autonomy/dongs/boramae/notices/{2**63}",
    ],
)
def test_ids_and_years_past_their_range_in_a_path_are_not_found(client, url):
    assert client.get(url).status_code == 404


def test_ids_past_what_an_id_column_holds_are_not_found(client, auth, users):
    assert client.get(f"/policy/proposals/{MAX_ID}").status_code == 404
    assert client.get(f"/policy/proposals/{MAX_ID + 1}").status_code == 404
    auth.login(users.audit)
    # An id in the query that no row can have is no id: the blank record form.
    assert client.get(f"/cheong/staff/records/new?application={MAX_ID + 1}").status_code == 200


def test_ids_in_form_values_are_read_strictly():
    assert parse_id(str(MAX_ID + 1)) is None
    assert parse_id("²") is None
    assert parse_id("0") is None
    assert parse_id("42") == 42


def test_months_are_read_strictly():
    assert parse_month("2024-05").isoformat() == "2024-05-01"
    for text in ("0001-01", "2024-13", "2024-5", "9999-12", "abc", None):
        assert parse_month(text) is None
