"""A board's thresholds and limits are changed by the board's owning department too (not
only an admin), each change audited; other departments are refused and nothing changes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from gwanak.core.audit import AuditEntry
from gwanak.core.extensions import db
from gwanak.core.operations import OperationError
from gwanak.core.settings import change_owned_settings, get_setting, settings_owned_by


def _keys(user) -> set[str]:
    return {spec.key for spec, _ in settings_owned_by(user)}


def test_each_department_owns_its_boards_settings(app, users):
    autonomy = _keys(users.autonomy)
    assert "board.governance.review_gonggam" in autonomy
    assert "board.budget.mayor_commenters" in autonomy
    assert "budget.votes_per_resident" in autonomy
    assert not any(k.startswith("board.policy.") for k in autonomy)
    planning = _keys(users.planning)
    assert (
        "board.policy.review_gonggam" in planning and "board.governance.answer_days" not in planning
    )
    assert _keys(users.audit) == set() and _keys(users.boramae) == set()
    assert _keys(users.resident) == set() and _keys(users.mayor) == set()
    assert "accounts.login_free_failures" not in _keys(
        users.admin
    )  # not a board's: admin page only


def test_another_departments_board_is_refused_and_nothing_changes(app, users):
    with pytest.raises(OperationError) as refused:
        change_owned_settings(
            users.planning,
            {"board.policy.review_gonggam": 7, "board.governance.review_gonggam": 9},
        )
    assert refused.value.status == 403 and refused.value.field == "board.governance.review_gonggam"
    assert refused.value.message == "이 설정은 담당 부서만 바꿀 수 있습니다."
    db.session.expire_all()
    assert get_setting("board.policy.review_gonggam") == 5
    assert db.session.scalar(select(AuditEntry)) is None
    with pytest.raises(OperationError, match="1 이상이어야"):
        change_owned_settings(users.autonomy, {"board.governance.review_gonggam": 0})
    assert db.session.scalar(select(AuditEntry)) is None


def test_autonomy_changes_its_boards_on_its_own_page(app, users, client, auth):
    auth.login(users.autonomy)
    assert "/staff/settings/department" in client.get("/staff/").get_data(as_text=True)
    page = client.get("/staff/settings/department").get_data(as_text=True)
    assert "담당 게시판 설정" in page and 'name="board.governance.review_gonggam"' in page
    assert 'name="board.policy.review_gonggam"' not in page
    assert 'name="accounts.login_free_failures"' not in page
    form = {spec.key: str(value) for spec, value in settings_owned_by(users.autonomy)}
    bad = client.post(
        "/staff/settings/department", data=form | {"board.governance.review_gonggam": "0"}
    )
    assert bad.status_code == 422 and "1 이상이어야 합니다" in bad.get_data(as_text=True)
    assert get_setting("board.governance.review_gonggam") == 5
    ok = client.post(
        "/staff/settings/department", data=form | {"board.governance.review_gonggam": "8"}
    )
    assert ok.status_code == 303
    db.session.expire_all()
    assert get_setting("board.governance.review_gonggam") == 8
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "setting.change"))
    assert (entry.object_id, entry.before, entry.after, entry.actor_id) == (
        "board.governance.review_gonggam", 5, 8, users.autonomy.id,
    )  # fmt: skip
    # The admin-only page stays closed to the department.
    assert client.get("/staff/settings").status_code == 403


@pytest.mark.parametrize("who", ["audit", "boramae", "resident"])
def test_who_owns_no_board_gets_no_link_and_no_page(app, users, client, auth, who):
    auth.login(getattr(users, who))
    assert client.get("/staff/settings/department").status_code == 403
    if who != "resident":
        assert "/staff/settings/department" not in client.get("/staff/").get_data(as_text=True)
