"""The pledge catalogue: the district's card reproduced, export/import round trips, bad files."""

from __future__ import annotations

import copy
import csv
import io
import json
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from gwanak.core.extensions import db
from gwanak.core.live_figures import LiveFigure, live_figures
from gwanak.core.menus import pledge_card
from gwanak.manifesto.catalogue import (
    CSV_COLUMNS,
    export_catalogue,
    import_catalogue,
    to_csv,
    to_json,
)
from gwanak.manifesto.models import BudgetLine, Indicator, Pledge, PledgeGroup, VisionArea
from gwanak.manifesto.rates import indicator_rate, pledge_report, rollup_rate, weighted_rate
from tests.factories import card_catalogue, card_pledge, four_pledges


def test_importing_the_6_1_1_card_reproduces_its_printed_figures(app):
    report = pledge_report(card_pledge(), this_year=2023)
    printed = pledge_card()  # what the district's card prints (gwanak/data/pledge-6-1-1.json)

    rates = [r.rate for r in report.indicators]
    assert rates == [Decimal("37.5"), Decimal("40.0"), Decimal("42.9")]
    assert rates == [Decimal(str(i["card_rate"])) for i in printed["indicators"]]
    assert [r.actual for r in report.indicators] == [18, 2, 18]
    assert report.rate == Decimal("40.0") == Decimal(str(printed["card_rate"]))
    assert report.group_rate == Decimal("0.0")
    assert report.total_rate == Decimal("20.0")  # 6-1 and 6-1-1 count 50:50
    assert report.total_rate == Decimal(str(printed["rollup"]["card_total_rate"]))

    budget = report.budget
    assert budget.planned == 24
    assert budget.executed == Decimal("5.39")
    executed = {y.year: y.executed for y in budget.years}
    assert executed[2022] == Decimal("2.56") and executed[2023] == Decimal("2.83")
    assert executed[2024] is None
    assert budget.by_source["구비"] == (Decimal(24), Decimal("5.39"))


def test_the_card_figures_hold_in_any_later_year_without_live_data(app):
    assert pledge_report(card_pledge(), this_year=2026).total_rate == Decimal("20.0")


def test_rate_functions_follow_the_card_rules():
    assert indicator_rate(18, 48) == Decimal("37.5")
    assert indicator_rate(18, 42) == Decimal("42.9")
    assert indicator_rate(60, 48) == Decimal("100.0")  # capped
    assert indicator_rate(5, 0) == Decimal("0.0")
    assert indicator_rate(None, 10) == Decimal("0.0")
    rates = [Decimal("37.5"), Decimal("40.0"), Decimal("42.9")]
    assert weighted_rate(zip([35, 35, 30], rates, strict=True)) == Decimal("40.0")
    assert weighted_rate([]) == Decimal("0.0")
    assert rollup_rate(Decimal(0), Decimal(40), 50, 50) == Decimal("20.0")
    assert rollup_rate(Decimal(0), Decimal(40), 0, 100) == Decimal("40.0")


def test_a_live_indicator_counts_the_portals_own_figures_from_its_first_live_year(app):
    card = card_pledge()
    key = "policy.asks_per_year"
    # The app's registry is its own: replacing a figure here touches no other test.
    live_figures()[key] = LiveFigure(
        key, "관악구가 묻습니다! 의제 수", lambda year: {2024: 12, 2025: 6}.get(year, 99)
    )
    report = pledge_report(card, this_year=2025)
    asks = report.indicators[0]
    assert asks.live and not asks.live_pending
    assert asks.actual == 18 + 12 + 6  # 2022–2023 entered, 2024–2025 live
    assert asks.rate == Decimal("75.0")
    assert [y.live for y in asks.years] == [False, False, True, True, False]
    # contests: live, since the contest feature provides its figure
    assert report.indicators[1].live


def test_export_then_import_gives_back_the_same_catalogue_as_json_and_csv(app):
    four_pledges()
    first = export_catalogue()
    assert len(first["areas"]) == 3

    report = import_catalogue(to_json(first), "json")
    assert report.ok, report.problems
    assert export_catalogue() == first

    report = import_catalogue(to_csv(first), "csv")
    assert report.ok, report.problems
    assert export_catalogue() == first
    assert db.session.scalar(select(func.count(Pledge.id))) == 4


def test_import_keeps_pledge_ids_so_history_survives(app):
    pledge_id = card_pledge().id
    assert card_pledge().id == pledge_id
    assert db.session.scalar(select(func.count(Indicator.id))) == 3


# ---------------------------------------------------------------- bad files


def the_pledge(data: dict) -> dict:
    return data["areas"][0]["goals"][0]["groups"][0]["pledges"][0]


def nothing_imported() -> bool:
    return all(
        db.session.scalar(select(func.count()).select_from(model)) == 0
        for model in (VisionArea, PledgeGroup, Pledge, Indicator, BudgetLine)
    )


def bad_weights(data):
    the_pledge(data)["indicators"][0]["weight"] = 40


def negative_target(data):
    the_pledge(data)["indicators"][1]["target"] = -5


def non_numeric_actual(data):
    the_pledge(data)["indicators"][0]["figures"][0]["actual"] = "여섯"


def negative_execution(data):
    the_pledge(data)["budget"][0]["executed"] = -1


def duplicate_pledge(data):
    group = data["areas"][0]["goals"][0]["groups"][0]
    group["pledges"].append(copy.deepcopy(group["pledges"][0]))


def duplicate_indicator_no(data):
    the_pledge(data)["indicators"][2]["no"] = 1


def unknown_status(data):
    the_pledge(data)["status"] = "아마도"


def unknown_budget_source(data):
    the_pledge(data)["budget"][0]["source"] = "복권기금"


def missing_title(data):
    del the_pledge(data)["title"]


@pytest.mark.parametrize(
    ("spoil", "expected"),
    [
        (bad_weights, "가중치의 합이 100이 아닙니다 (105)"),
        (negative_target, "음수일 수 없습니다"),
        (non_numeric_actual, "'여섯'은(는) 숫자가 아닙니다"),
        (negative_execution, "집행액은(는) 음수일 수 없습니다"),
        (duplicate_pledge, "세부공약 코드 '6-1-1'이(가) 중복되었습니다"),
        (duplicate_indicator_no, "지표 번호 1이(가) 중복되었습니다"),
        (unknown_status, "추진상황 '아마도'"),
        (unknown_budget_source, "재원 '복권기금'"),
        (missing_title, "공약명이(가) 비어 있습니다"),
    ],
)
def test_a_bad_json_catalogue_is_refused_with_a_report_and_nothing_imported(app, spoil, expected):
    data = card_catalogue()
    spoil(data)
    report = import_catalogue(json.dumps(data, ensure_ascii=False), "json")
    assert not report.ok
    assert any(expected in p.message for p in report.problems), report.problems
    assert all(p.where for p in report.problems)
    assert nothing_imported()


def test_a_bad_file_leaves_the_existing_catalogue_untouched(app):
    card_pledge()
    before = export_catalogue()
    data = card_catalogue()
    the_pledge(data)["title"] = "바뀐 제목"
    bad_weights(data)
    assert not import_catalogue(json.dumps(data), "json").ok
    assert export_catalogue() == before


def test_every_bad_row_is_reported_not_only_the_first(app):
    data = card_catalogue()
    negative_target(data)
    non_numeric_actual(data)
    unknown_status(data)
    report = import_catalogue(json.dumps(data), "json")
    assert len(report.problems) >= 3


def card_csv() -> str:
    card_pledge()
    text = to_csv(export_catalogue())
    # Start from an empty catalogue so "nothing imported" is easy to see.
    from gwanak.manifesto.models import PledgeSnapshot, SnapshotIndicator

    for model in (BudgetLine, Indicator, SnapshotIndicator, PledgeSnapshot):
        db.session.execute(model.__table__.delete())
    db.session.query(Pledge).delete()
    db.session.query(PledgeGroup).delete()
    from gwanak.manifesto.models import StrategyGoal

    db.session.query(StrategyGoal).delete()
    db.session.query(VisionArea).delete()
    db.session.commit()
    return text


def edit_rows(text: str, edit) -> str:
    """Apply `edit(rows)` to the CSV's rows (dicts) and write it back."""
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    edit(rows)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def first(rows: list[dict], record: str) -> dict:
    return next(r for r in rows if r["record"] == record)


def test_a_csv_without_required_columns_is_refused(app):
    text = card_csv()
    header, rest = text.split("\n", 1)
    header = header.replace(",weight,", ",weigh,")
    report = import_catalogue(header + "\n" + rest, "csv")
    assert not report.ok
    assert report.problems[0].where == "머리행"
    assert "weight" in report.problems[0].message
    assert nothing_imported()


def test_a_csv_row_with_an_unknown_parent_code_is_reported_by_row(app):
    text = edit_rows(card_csv(), lambda rows: first(rows, "pledge").update(parent="6-9"))
    report = import_catalogue(text, "csv")
    assert not report.ok
    assert any(
        p.message == "알 수 없는 코드 '6-9'" and p.where.endswith("행") for p in report.problems
    )
    assert nothing_imported()


def test_csv_figures_for_an_unknown_indicator_are_refused(app):
    text = card_csv() + "figure,6-1-1,,,,,,,,,,,,,,,,7,,,,,,,,2024,0,,,,3,,,\n"
    report = import_catalogue(text, "csv")
    assert any("알 수 없는 지표 '6-1-1' 7번" in p.message for p in report.problems)
    assert nothing_imported()


def test_csv_negative_and_non_numeric_figures_and_duplicate_codes_are_refused(app):

    def spoil(rows):
        first(rows, "budget").update(executed="-2.56")
        first(rows, "indicator").update(target="마흔여덟")
        rows.append(dict(first(rows, "pledge")))

    text = edit_rows(card_csv(), spoil)
    report = import_catalogue(text, "csv")
    messages = " / ".join(f"{p.where}: {p.message}" for p in report.problems)
    assert "음수일 수 없습니다" in messages
    assert "'마흔여덟'은(는) 숫자가 아닙니다" in messages
    assert "'6-1-1'이(가) 중복되었습니다" in messages
    assert "행:" in messages
    assert nothing_imported()


def test_an_unknown_record_kind_and_broken_json_are_refused(app):
    report = import_catalogue("record," + ",".join(["x"] * 3) + "\n", "csv")
    assert not report.ok
    assert not import_catalogue("{not json", "json").ok
    assert not import_catalogue("[]", "json").ok
    assert nothing_imported()


def test_the_cli_imports_a_file_and_exports_it_again(runner, app, tmp_path):
    card_file = tmp_path / "6-1-1.json"
    card_file.write_text(json.dumps(card_catalogue(), ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(args=["gwanak", "manifesto-import", str(card_file)])
    assert result.exit_code == 0 and "pledges 1" in result.output
    exported = runner.invoke(args=["gwanak", "manifesto-export", "--format", "csv"]).output
    assert exported.startswith("\ufeffrecord,code,parent")  # a BOM for spreadsheets
    bad = tmp_path / "bad.csv"
    bad.write_text(exported.replace("record,", "recrd,", 1), encoding="utf-8")
    result = runner.invoke(args=["gwanak", "manifesto-import", str(bad)])
    assert result.exit_code != 0 and "없는 열: record" in result.output
