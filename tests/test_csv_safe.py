"""Every CSV the portal writes is safe to open in a spreadsheet: no cell runs as a formula,
and the Korean reads right (UTF-8 with a BOM)."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from gwanak.core.csv_safe import FORMULA_STARTS, csv_text, neutralise, restore_cell
from gwanak.core.extensions import db
from gwanak.participation import operations as part_ops
from gwanak.policy.board import POLICY_BOARD
from tests.conftest import make_user

EVIL_NAME = '=HYPERLINK("http://evil.example","보기")'


def _cells(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def _is_live(cell: str) -> bool:
    return cell[:1] in FORMULA_STARTS or cell.lstrip(" \u3000")[:1] in FORMULA_STARTS


def test_formulas_and_their_full_width_forms_become_text_and_numbers_stay_numbers():
    for value in ("=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1",
                  "＝1+1", "＋1", "－1", "＠A1", "  =1+1"):  # fmt: skip
        assert neutralise(value) == "'" + value
    for value in ("-5", "+3.5", "1,234", 42, -7, 3.5, "김철우", "010-****-5678", ""):
        assert neutralise(value) == value
    assert neutralise(None) == ""
    for value in ("'=1", "''+x", "'관악구가 묻습니다!'"):  # apostrophes of the text itself
        assert restore_cell(neutralise(value)) == value


@given(st.text(max_size=40))
@settings(max_examples=400, deadline=None)
def test_no_written_cell_can_start_a_formula_and_our_importer_reads_back_the_original(value):
    text = csv_text([[value]])
    [[cell]] = _cells(text) or [[""]]
    assert not _is_live(cell) or neutralise(value) == value  # only plain numbers pass
    assert restore_cell(neutralise(value)) == value


def test_the_event_monthly_csv_neutralises_a_residents_formula_name(client, auth, users, frozen):
    frozen(datetime(2024, 5, 10, 3, 0))
    evil = make_user(name=EVIL_NAME)
    part_ops.create_proposal(POLICY_BOARD, evil, title="제안", body="내용입니다.", category="환경")
    frozen(datetime(2024, 6, 3))
    auth.login(users.planning)
    text = client.get("/policy/event/staff/2024-05.csv").get_data(as_text=True)
    rows = _cells(text)
    names = [row[3] for row in rows[1:]]
    assert "'" + EVIL_NAME in names
    assert not any(_is_live(cell) for row in rows for cell in row)


def test_the_school_roster_csv_neutralises_names_and_addresses(client, auth, users, frozen):
    from gwanak.budget.operations import register_for_class
    from tests.test_budget_school import NOW, make_class

    frozen(NOW)
    school_class = make_class(capacity=2)
    register_for_class(school_class.id, make_user(name="-2+3+cmd|' /C calc'!A0"))
    auth.login(users.autonomy)
    text = client.get(f"/budget/school/classes/{school_class.id}/roster.csv").get_data(as_text=True)
    rows = _cells(text)
    assert rows[1][2] == "'-2+3+cmd|' /C calc'!A0"
    assert not any(_is_live(cell) for row in rows for cell in row)


def test_the_manifesto_csv_export_is_safe_and_still_imports_back_the_same(client, auth, users):
    from gwanak.manifesto.catalogue import export_catalogue, import_catalogue
    from gwanak.manifesto.demo import CARD_FILE, load_catalogue_file
    from gwanak.manifesto.models import Pledge

    load_catalogue_file(CARD_FILE)
    pledge = db.session.query(Pledge).first()
    pledge.title = "=cmd|' /C calc'!A0"
    pledge.plan = "- 첫째 할 일\n- 둘째 할 일"
    db.session.commit()
    before = export_catalogue()
    auth.login(users.planning)
    text = client.get("/manifesto/manage/export.csv").get_data(as_text=True)
    rows = _cells(text)
    assert not any(_is_live(cell) for row in rows for cell in row)
    report = import_catalogue(text, "csv")
    assert report.ok, report.problems
    assert export_catalogue() == before
