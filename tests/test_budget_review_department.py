"""주민참여예산 부서 검토 by a 사업부서: 자치행정과 hands a proposal's feasibility review to
a department, whose staff end the review; others may not."""

from __future__ import annotations

import pytest

from gwanak.accounts.models import Role
from gwanak.budget.models import BudgetProposal, Phase
from gwanak.budget.proposal_operations import assign_reviewer, move_phase, propose
from gwanak.core.extensions import db
from gwanak.core.operations import OperationError
from tests.factories import IN_PROPOSALS, IN_REVIEW, make_round, make_user


@pytest.fixture
def submitted(users, frozen):
    budget_round = make_round()
    frozen(IN_PROPOSALS)
    return propose(
        budget_round, users.resident, title="낙성대공원 그늘막 설치", body="여름 햇볕이 강합니다.",
        category="안전", dong="nakseongdae", place="낙성대공원 놀이터 옆", estimated_cost=12_000_000,
    )  # fmt: skip


def _fresh(extra) -> BudgetProposal:
    db.session.expire_all()
    return db.session.get(BudgetProposal, extra.proposal_id)


def test_reviewer_department_ends_the_review(users, submitted, frozen):
    parks = make_user(Role.STAFF, name="공원 직원", department="공원녹지과")
    frozen(IN_REVIEW)
    move_phase(submitted, Phase.REVIEW, users.autonomy)
    with pytest.raises(OperationError) as refused:
        assign_reviewer(_fresh(submitted), parks, "공원녹지과", "제가 하겠습니다")
    assert refused.value.status == 403
    with pytest.raises(OperationError) as refused:
        assign_reviewer(_fresh(submitted), users.autonomy, "우주개발과", "사업 소관")
    assert refused.value.field == "department" and _fresh(submitted).review_department is None
    assign_reviewer(_fresh(submitted), users.autonomy, "공원녹지과", "공원 시설 사업입니다.")
    assert _fresh(submitted).review_department == "공원녹지과"


def test_web_reviewer_form_and_review_by_the_department(client, auth, users, submitted, frozen):
    parks = make_user(Role.STAFF, name="공원 직원", department="공원녹지과")
    traffic = make_user(Role.STAFF, name="교통 직원", department="교통행정과")
    frozen(IN_REVIEW)
    move_phase(submitted, Phase.REVIEW, users.autonomy)
    url = f"/budget/proposals/{submitted.proposal_id}"
    auth.login(users.autonomy)
    assert "사업부서에 검토 맡기기" in client.get(url).get_data(as_text=True)
    bad = client.post(f"{url}/reviewer", data={"department": "공원녹지과", "reason": ""})
    assert bad.status_code == 422 and 'id="reason-error"' in bad.get_data(as_text=True)
    ok = client.post(f"{url}/reviewer", data={"department": "공원녹지과", "reason": "공원 시설"})
    assert ok.status_code == 303
    auth.logout()
    auth.login(traffic)
    denied = client.post(f"{url}/phase", data={"to": "deliberation", "note": "가능"})
    assert denied.status_code == 403 and _fresh(submitted).phase == Phase.REVIEW
    auth.logout()
    auth.login(parks)
    page = client.get(url).get_data(as_text=True)
    assert "사업부서 검토 결과" in page and "공원녹지과" in page
    done = client.post(f"{url}/phase", data={"to": "deliberation", "note": "설치 가능합니다."})
    assert done.status_code == 303
    assert (_fresh(submitted).phase, _fresh(submitted).feasible) == (Phase.DELIBERATION, True)
    # Once the review is over the 사업부서 moves nothing more.
    assert client.post(f"{url}/phase", data={"to": "voting"}).status_code == 403
    public = client.get(url).get_data(as_text=True)
    assert "사업부서 지정" in public and "공원 시설" in public


def test_with_htmx_the_reviewer_form_is_swapped_in_place(client, auth, users, submitted, frozen):
    frozen(IN_REVIEW)
    move_phase(submitted, Phase.REVIEW, users.autonomy)
    url = f"/budget/proposals/{submitted.proposal_id}"
    auth.login(users.autonomy)
    page = client.get(url).get_data(as_text=True)
    assert f'data-hx-post="{url}/reviewer"' in page and 'data-hx-target="#reviewer-tools"' in page
    hx = {"HX-Request": "true"}
    bad = client.post(
        f"{url}/reviewer", data={"department": "공원녹지과", "reason": ""}, headers=hx
    )
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "<html" not in html
    assert 'id="reviewer-tools"' in html and 'id="reason-error"' in html
    assert _fresh(submitted).review_department is None
    ok = client.post(
        f"{url}/reviewer", data={"department": "공원녹지과", "reason": "공원 시설"}, headers=hx
    )
    html = ok.get_data(as_text=True)
    assert ok.status_code == 200 and "<html" not in html and 'id="reviewer-tools"' in html
    assert "공원녹지과에 사업 검토를 맡겼습니다." in html
    assert '<dd id="reviewer" data-hx-swap-oob="true">공원녹지과</dd>' in html
    assert _fresh(submitted).review_department == "공원녹지과"
