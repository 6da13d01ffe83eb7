"""부서별 답변 현황: the figures per 담당 부서 over a period, computed exactly."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from gwanak.core.extensions import db
from gwanak.participation import operations as ops
from gwanak.participation.queries import answer_stats
from tests.factories import gonggam, proposal, residents

# Korean 2026-03-02 10:00; each proposal reaches review one day after the previous.
START = datetime(2026, 3, 2, 1, 0)


def _world(users, frozen):
    """Five proposals reach review on 3/2 … 3/6 (KST). 교통행정과 gets three: answered
    after 2 days, answered after 40 days (late), unanswered (overdue at 4/20); 기획예산과
    keeps two: answered after 10 days, unanswered within its deadline on 4/2."""
    from gwanak.accounts.models import Role
    from tests.factories import make_user

    traffic = make_user(Role.STAFF, name="교통 직원", department="교통행정과")
    made = []
    for day in range(5):
        frozen(START + timedelta(days=day))
        p = proposal(users.resident, f"제안 {day}")
        gonggam(p, residents(5))
        db.session.refresh(p)
        made.append(p)
    for p in made[:3]:
        ops.assign_proposal(p, users.planning, department="교통행정과", reason="소관")
    answers = [(made[0], traffic, 2), (made[1], traffic, 40), (made[3], users.planning, 10)]
    for p, staff, days in sorted(
        answers, key=lambda a: a[0].review_started_at + timedelta(days=a[2])
    ):
        frozen(p.review_started_at + timedelta(days=days))
        ops.answer_proposal(p, staff, outcome="reference", body="검토했습니다.")
    return made


def test_figures_per_department_are_exact(app, users, frozen):
    _world(users, frozen)
    frozen(datetime(2026, 4, 20, 1, 0))
    stats = {s.department: s for s in answer_stats()}
    t = stats["교통행정과"]
    assert (t.received, t.answered, t.on_time, t.late, t.overdue, t.waiting) == (3, 2, 1, 1, 1, 0)
    assert t.median_days == 21.0
    p = stats["기획예산과"]
    assert (p.received, p.answered, p.on_time, p.late, p.overdue, p.waiting) == (2, 1, 1, 0, 1, 0)
    assert p.median_days == 10.0
    # Only what reached review on 3/3 … 3/4 (KST): proposals 1 and 2, both 교통행정과.
    (only,) = answer_stats(date(2026, 3, 3), date(2026, 3, 4))
    assert (only.department, only.received, only.answered, only.late) == ("교통행정과", 2, 1, 1)
    assert only.median_days == 40.0


def test_public_page_with_period_form_js_off_and_htmx(client, users, frozen):
    _world(users, frozen)
    frozen(datetime(2026, 4, 20, 1, 0))
    page = client.get("/participation/departments")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<h1>부서별 답변 현황</h1>" in html
    assert (
        '<th scope="row">교통행정과</th><td>3</td><td>2</td><td>1</td><td>1</td><td>1</td><td>0</td><td>21.0일</td>'
        in html
    )
    part = client.get(
        "/participation/departments?from=2026-03-05&to=2026-03-06", headers={"HX-Request": "true"}
    )
    html = part.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="results"') and "교통행정과" not in html
    assert "2026-03-05 ~ 2026-03-06" in html and '<th scope="row">기획예산과</th><td>2</td>' in html
    bad = client.get("/participation/departments?from=2026-13-01")
    assert bad.status_code == 422 and 'id="from-error"' in bad.get_data(as_text=True)
