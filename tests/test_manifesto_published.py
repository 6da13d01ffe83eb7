"""공표: published figures frozen with their 기준일, beside the live (unconfirmed) count;
who publishes; retired and illustrative pledges out of the averages."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from gwanak.core.extensions import db
from gwanak.core.operations import OperationError
from gwanak.manifesto.models import (
    Pledge,
    PledgeChange,
    PledgeSnapshot,
    SnapshotFrozen,
    SnapshotIndicator,
)
from gwanak.manifesto.publishing import Period, publish_figures, retire_pledge
from gwanak.manifesto.queries import pledge_reports, progress
from tests.factories import card_pledge, four_pledges, publish_pledge

CARD_FIGURES = ("37.5%", "40.0%", "42.9%", "20.0%")


def snapshots() -> int:
    return db.session.scalar(select(func.count(PledgeSnapshot.id)))


def test_seed_demo_publishes_the_cards_figures_as_of_2023_12_18_beside_the_live_count(
    runner, client
):
    result = runner.invoke(args=["gwanak", "seed-demo"])
    assert result.exit_code == 0, result.output
    html = client.get("/manifesto/pledges/6-1-1").get_data(as_text=True)
    table = html[html.index('id="ind-h"') : html.index("연도별 목표 대비 실적")]
    for figure in CARD_FIGURES:
        assert figure in table, figure
    assert '기준일 <time datetime="2023-12-18">2023. 12. 18.</time>' in html
    assert "공표 (2023. 12. 18. 기준)" in table
    assert re.search(r"실시간 집계 \(미확정, \d{4}\. \d{1,2}\. \d{1,2}\. \d\d:\d\d 기준\)", table)
    assert "담당자가 확정한 것만 셉니다" in html
    # The published past is listed and downloadable.
    assert "공표 이력" in html and "/manifesto/pledges/6-1-1/published.csv" in html
    response = client.get("/manifesto/pledges/6-1-1/published.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [r["지표 이행률(%)"] for r in rows] == ["37.5", "40.0", "42.9"]
    assert {r["기준일"] for r in rows} == {"2023-12-18"}
    assert {(r["세부공약 이행률(%)"], r["총 이행률(%)"]) for r in rows} == {("40.0", "20.0")}
    # The demo's sample pledges are flagged, not titled "(예시)".
    assert db.session.scalar(select(func.count()).where(Pledge.title.like("%(예시)%"))) == 0
    assert db.session.scalar(select(func.count()).where(Pledge.illustrative.is_(True))) >= 1
    progress_html = client.get("/manifesto/progress").get_data(as_text=True)
    assert "예시 공약" in progress_html
    assert "전체 이행률 <strong>20.0%</strong>" in progress_html  # only 6-1-1 counts
    # Seeding again publishes nothing twice.
    runner.invoke(args=["gwanak", "seed-demo"])
    assert snapshots() == 1


def test_importing_the_card_twice_keeps_one_snapshot(app):
    card_pledge()
    card_pledge()
    snapshot = db.session.scalar(select(PledgeSnapshot))
    assert snapshots() == 1
    assert (snapshot.as_of, snapshot.label) == (date(2023, 12, 18), "2023년")
    assert [i.rate for i in snapshot.indicators] == [
        Decimal("37.5"),
        Decimal("40.0"),
        Decimal("42.9"),
    ]
    assert (snapshot.rate, snapshot.total_rate) == (Decimal("40.0"), Decimal("20.0"))
    assert snapshot.budget_executed == Decimal("5.39") and snapshot.budget_planned == 24


def test_published_figures_cannot_be_changed_or_deleted(app):
    card_pledge()
    snapshot = db.session.scalar(select(PledgeSnapshot))
    snapshot.total_rate = Decimal("99.9")
    with pytest.raises(SnapshotFrozen):
        db.session.commit()
    db.session.rollback()
    row = db.session.scalar(select(SnapshotIndicator))
    db.session.delete(row)
    with pytest.raises(SnapshotFrozen):
        db.session.commit()
    db.session.rollback()
    db.session.expire_all()
    assert db.session.scalar(select(PledgeSnapshot.total_rate)) == Decimal("20.0")
    assert db.session.scalar(select(func.count(SnapshotIndicator.id))) == 3


def test_a_live_change_leaves_the_published_figures_alone(app, users):
    from gwanak.manifesto.operations import set_actual

    pledge = card_pledge()
    set_actual(pledge, 1, 2023, Decimal(3), users.planning.id)
    assert pledge_reports()[0].indicators[0].actual == 9
    snapshot = db.session.scalar(select(PledgeSnapshot))
    assert snapshot.indicators[0].actual == 18 and snapshot.total_rate == Decimal("20.0")


def test_only_the_coordinating_department_publishes(app, users, frozen):
    pledge = four_pledges()[1]  # 5-1-1, 자치행정과
    frozen(datetime(2024, 7, 10, 1, 0))
    period = Period("half", 2024, 1, date(2024, 7, 5))
    for someone in (users.autonomy, users.audit, users.resident):
        with pytest.raises(OperationError) as refused:
            publish_figures(pledge, period, someone)
        assert refused.value.status == 403 and "기획예산과" in refused.value.message
    assert snapshots() == 1  # the card's own
    snapshot = publish_figures(pledge, period, users.planning)
    assert (snapshot.label, snapshot.published_by_id) == ("2024년 상반기", users.planning.id)
    change = db.session.scalar(select(PledgeChange).where(PledgeChange.what == "실적 공표"))
    assert change.pledge_id == pledge.id and "2024년 상반기" in change.after
    # The same period twice is refused, out of order (409); nothing is written.
    with pytest.raises(OperationError) as again:
        publish_figures(pledge, period, users.planning)
    assert again.value.status == 409 and "이미 공표" in again.value.message
    assert snapshots() == 2


@pytest.mark.parametrize(
    ("period", "field"),
    [
        (Period("month", 2024, 0, date(2024, 7, 5)), "kind"),
        (Period("quarter", 2024, 0, date(2024, 7, 5)), "number"),
        (Period("half", 2030, 1, date(2024, 7, 5)), "year"),
        (Period("half", 2024, 2, date(2024, 6, 30)), "as_of"),  # before the half began
        (Period("year", 2024, 0, date(2024, 7, 11)), "as_of"),  # after today
    ],
)
def test_bad_periods_are_refused_by_their_field(app, users, frozen, period, field):
    pledge = four_pledges()[1]
    frozen(datetime(2024, 7, 10, 1, 0))
    with pytest.raises(OperationError) as refused:
        publish_figures(pledge, period, users.planning)
    assert refused.value.field == field
    assert snapshots() == 1


def test_staff_publish_through_the_edit_page_and_others_are_refused(client, auth, users):
    four_pledges()
    form = {
        "pub-kind": "year",
        "pub-year": "2024",
        "pub-number": "0",
        "pub-as_of": "2024-12-20",
        "pub-note": "",
    }
    auth.login(users.autonomy)  # owns 5-1-1 but does not coordinate
    page = client.get("/manifesto/pledges/5-1-1/edit").get_data(as_text=True)
    assert "실적 공표는 공약 총괄 부서(기획예산과)가 합니다" in page
    response = client.post("/manifesto/pledges/5-1-1/publish", data=form)
    assert response.status_code == 403
    assert snapshots() == 1
    auth.logout()
    auth.login(users.planning)  # coordinates: may edit and publish every pledge
    assert client.get("/manifesto/pledges/5-1-1/edit").status_code == 200
    response = client.post("/manifesto/pledges/5-1-1/publish", data=form)
    assert response.status_code == 303
    assert snapshots() == 2
    html = client.get("/manifesto/pledges/5-1-1").get_data(as_text=True)
    assert "공표 (2024. 12. 20. 기준)" in html
    again = client.post("/manifesto/pledges/5-1-1/publish", data=form)
    assert again.status_code == 409 and "이미 공표했습니다" in again.get_data(as_text=True)


def test_averages_count_only_published_pledges_not_retired_or_illustrative(app, users):
    card, self_rule, stalled, dates = four_pledges()
    publish_pledge(self_rule)
    publish_pledge(dates)  # 7-1-1: every target met, 100.0 %
    summary = progress(pledge_reports())
    # 6-1-1 20.0, 5-1-1 and 7-1-1 published; 5-1-2 not yet.
    assert (summary.count, summary.unpublished, summary.excluded) == (3, 1, 0)
    with_dates = summary.overall
    retire_pledge(dates, "구청장 일정 조정으로 정례 개최를 폐지함", users.planning)
    summary = progress(pledge_reports())
    assert (summary.count, summary.excluded) == (2, 1)
    assert summary.overall < with_dates
    dates_change = db.session.scalar(
        select(PledgeChange).where(PledgeChange.what == "공약 폐기·철회")
    )
    assert "정례 개최를 폐지" in dates_change.after
    self_rule.illustrative = True
    db.session.commit()
    summary = progress(pledge_reports())
    assert (summary.count, summary.overall) == (1, Decimal("20.0"))


def test_retiring_needs_a_reason_and_the_pledge_is_marked(client, auth, users):
    four_pledges()
    auth.login(users.audit)
    refused = client.post("/manifesto/pledges/7-1-1/retire", data={"retire-reason": " "})
    assert refused.status_code == 422 and "사유" in refused.get_data(as_text=True)
    assert (
        client.post(
            "/manifesto/pledges/7-1-1/retire", data={"retire-reason": "사업 종료"}
        ).status_code
        == 303
    )
    html = client.get("/manifesto/pledges/7-1-1").get_data(as_text=True)
    assert "폐기·철회한 공약" in html and "사업 종료" in html
    assert "폐기·철회" in client.get("/manifesto/progress").get_data(as_text=True)
    # Another department's staff may not retire it.
    auth.logout()
    auth.login(users.autonomy)
    assert (
        client.post("/manifesto/pledges/7-1-1/retire", data={"retire-reason": "취소"}).status_code
        == 403
    )


def test_publishing_with_htmx_answers_the_edit_fragment(client, auth, users):
    four_pledges()
    auth.login(users.planning)
    form = {"pub-kind": "quarter", "pub-year": "2024", "pub-number": "4",
            "pub-as_of": "2025-01-10", "pub-note": "4분기 실적 확정"}  # fmt: skip
    response = client.post(
        "/manifesto/pledges/7-1-1/publish", data=form, headers={"HX-Request": "true"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert 'id="pledge-edit"' in html and "2024년 4분기" in html  # the history row
    assert snapshots() == 2


def test_a_retired_pledge_can_be_restored_with_a_reason_and_history(app, users):
    from gwanak.manifesto.publishing import restore_pledge

    dates = four_pledges()[3]
    retire_pledge(dates, "사업 종료", users.audit)
    with pytest.raises(OperationError) as twice:
        retire_pledge(dates, "다시", users.audit)
    assert twice.value.status == 409
    restore_pledge(dates, "잘못 처리해 되돌림", users.planning)
    assert not dates.retired and dates.counted
    whats = db.session.scalars(
        select(PledgeChange.what).where(PledgeChange.pledge_id == dates.id)
    ).all()
    assert whats == ["공약 폐기·철회", "공약 폐기·철회 취소"]


def test_a_period_is_published_with_the_live_counts_of_its_own_year(
    app, users, frozen, monkeypatch
):
    from gwanak.core.features import LiveFigure
    from gwanak.core.live_figures import live_figures

    pledge = card_pledge()
    counts = {2024: 5, 2025: 7}
    monkeypatch.setitem(
        live_figures(),
        "policy.asks_per_year",
        LiveFigure("policy.asks_per_year", "의제 수", lambda year: counts.get(year, 0)),
    )
    frozen(datetime(2025, 1, 10, 1, 0))
    snapshot = publish_figures(pledge, Period("year", 2024, 0, date(2025, 1, 9)), users.planning)
    # 6 + 12 entered for 2022–2023, 5 counted live in 2024; January 2025's 7 are not in it.
    assert snapshot.indicators[0].actual == 23


def test_the_coordinating_department_publishes_every_pledge_at_once(client, auth, users):
    four_pledges()
    form = {"pub-kind": "half", "pub-year": "2024", "pub-number": "2",
            "pub-as_of": "2024-12-20", "pub-note": ""}  # fmt: skip
    auth.login(users.autonomy)
    assert client.post("/manifesto/manage/publish", data=form).status_code == 403
    assert "전체 공약 실적 공표" not in client.get("/manifesto/manage").get_data(as_text=True)
    auth.logout()
    auth.login(users.planning)
    response = client.post("/manifesto/manage/publish", data=form, follow_redirects=True)
    assert "2024년 하반기 실적을 세부공약 4건 공표했습니다" in response.get_data(as_text=True)
    assert snapshots() == 5  # the card's own and four new
    again = client.post("/manifesto/manage/publish", data=form)
    assert again.status_code == 409 and "새로 공표할 공약이 없습니다" in again.get_data(
        as_text=True
    )
    bad = client.post("/manifesto/manage/publish", data=dict(form, **{"pub-number": "3"}))
    assert bad.status_code == 422 and "반기는 상반기·하반기 중에서" in bad.get_data(as_text=True)
    assert snapshots() == 5


def test_followers_of_a_pledges_discussion_hear_of_its_publication(app, users, frozen):
    from gwanak.participation import operations as part_ops
    from gwanak.participation.models import Notification

    pledge = four_pledges()[1]
    part_ops.follow(pledge.discussion, users.resident)
    db.session.commit()
    frozen(datetime(2024, 7, 10, 1, 0))
    publish_figures(pledge, Period("half", 2024, 1, date(2024, 7, 5)), users.planning)
    note = db.session.scalar(select(Notification).where(Notification.user_id == users.resident.id))
    assert note.event == "published" and pledge.code in note.text and "2024년 상반기" in note.text
