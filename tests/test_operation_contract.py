"""The operation contract (docs/architecture.md, "Where a state change lives"): one error
type with a Korean message, a field and a status; one helper that shows it on a form;
an operation that refuses writes nothing; routes never write rows nor commit."""

from __future__ import annotations

import ast
import io
import re
from datetime import date
from pathlib import Path

import pytest
from flask import current_app
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from wtforms import StringField

from gwanak.autonomy.models import DongProgramme
from gwanak.budget.models import BudgetProject, Phase
from gwanak.budget.proposal_operations import move_phase
from gwanak.core.audit import AuditEntry
from gwanak.core.extensions import db
from gwanak.core.operations import OperationError, show_on_form
from gwanak.core.uploads import Upload, UploadError
from gwanak.governance.pdf import tiny_pdf
from gwanak.notices import operations as notice_ops
from gwanak.notices.boards import BUDGET_NOTICES
from gwanak.notices.models import Notice
from gwanak.participation import operations as engine
from gwanak.participation.models import Answer, Gonggam, Proposal, TimelineEvent
from gwanak.policy.contest import operations as contest_ops
from gwanak.policy.contest.models import Contest
from tests.factories import proposal as make_proposal
from tests.test_budget_proposals import AFTER_VOTE, make_round, proposal_in_voting

GWANAK = Path(__file__).resolve().parent.parent / "gwanak"


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def contest_fields(year: int = 2025) -> contest_ops.ContestFields:
    return contest_ops.ContestFields(
        year=year, title="창의제안 공모전", theme="탄소중립", opens_on=date(year, 5, 1),
        closes_on=date(year, 5, 31), eligibility=["resident"], grades=["금상", "은상"],
    )  # fmt: skip


# ---------------------------------------------------------------- operations refuse


def test_a_refused_operation_raises_the_one_error_with_its_field_and_writes_nothing(app, users):
    contest_ops.create_contest(contest_fields(), users.planning.id)
    audits = count(AuditEntry)

    with pytest.raises(OperationError) as refused:
        contest_ops.create_contest(contest_fields(), users.planning.id)

    assert refused.value.message == "2025년 공모전이 이미 있습니다."
    assert (refused.value.field, refused.value.status) == ("year", 422)
    assert count(Contest) == 1
    assert count(AuditEntry) == audits


def test_a_file_refused_after_another_was_stored_leaves_no_notice_no_upload_no_file(app, users):
    files = [
        FileStorage(io.BytesIO(tiny_pdf("안내")), "안내문.pdf"),
        FileStorage(io.BytesIO(b"MZ\x90\x00 not a document"), "설치파일.pdf"),
    ]
    with pytest.raises(OperationError) as refused:
        notice_ops.create_notice(
            BUDGET_NOTICES, users.planning.id, title="예산학교 안내", body_md="", files=files
        )

    # An upload refusal is an OperationError that shows by the form's file input.
    assert isinstance(refused.value, UploadError)
    assert (refused.value.field, refused.value.status) == ("files", 422)
    assert refused.value.message.startswith("설치파일: 허용되지 않는 파일입니다.")
    assert count(Notice) == 0 and count(Upload) == 0
    assert list(Path(current_app.config["UPLOAD_DIR"]).glob("*")) == []


def test_an_action_out_of_order_is_a_409_and_its_first_write_is_undone(app, users):
    proposal = make_proposal(users.resident)
    engine.withdraw_proposal(proposal, users.resident)
    with pytest.raises(OperationError) as refused:
        # The 공감 row is inserted first; the closed proposal then refuses it.
        engine.give_gonggam(proposal, users.neighbour)

    assert refused.value.status == 409 and refused.value.field is None
    assert "공감을 받을 수 없는 제안입니다" in refused.value.message
    assert count(Gonggam) == 0
    assert db.session.get(Proposal, proposal.id).gonggam_count == 0


def test_an_operation_composed_of_steps_refused_in_its_last_step_keeps_nothing(app, users, frozen):
    """Selecting a budget proposal moves its phase, then publishes the engine's answer and
    the project; a refused budget undoes the phase move too."""
    extra = proposal_in_voting(make_round(), users.resident, frozen, users.autonomy)
    frozen(AFTER_VOTE)
    timeline, audits = count(TimelineEvent), count(AuditEntry)

    with pytest.raises(OperationError) as refused:
        move_phase(extra, Phase.SELECTED, users.autonomy, budget=0)

    assert (refused.value.field, refused.value.status) == ("budget", 422)
    assert db.session.get(type(extra), extra.proposal_id).phase == Phase.VOTING
    assert count(BudgetProject) == 0 and count(Answer) == 0
    assert (count(TimelineEvent), count(AuditEntry)) == (timeline, audits)

    move_phase(extra, Phase.SELECTED, users.autonomy, budget=9_000_000)
    assert db.session.scalar(select(BudgetProject.budget)) == 9_000_000


# ---------------------------------------------------------------- the form helper


class TitleForm(FlaskForm):
    title = StringField("제목")


def test_show_on_form_puts_the_message_next_to_the_named_field(app):
    with app.test_request_context(method="POST", data={"title": "골목길"}):
        form = TitleForm()  # not validated yet: its fields' errors are still a tuple
        status = show_on_form(form, OperationError("같은 제목이 이미 있습니다.", field="title"))

        assert form.title.errors == ["같은 제목이 이미 있습니다."]
        assert form.form_errors == [] and status == 422


@pytest.mark.parametrize("field", [None, "no_such_field"])
def test_show_on_form_puts_a_message_without_a_field_of_the_form_above_it(app, field):
    with app.test_request_context(method="POST", data={"title": "골목길"}):
        form = TitleForm()
        form.validate()
        error = OperationError("이미 처리된 신청입니다.", field=field, status=409)

        assert show_on_form(form, error) == 409
        assert form.form_errors == ["이미 처리된 신청입니다."] and form.title.errors == []


# ---------------------------------------------------------------- routes


def _error_next_to(page: str, field: str) -> str | None:
    """The message the form macro prints right under a field (id="<field>-error")."""
    found = re.search(rf'id="{field}-error">([^<]*)</p>', page)
    return found.group(1).strip() if found else None


def test_a_refused_route_shows_the_operations_message_next_to_the_field_with_422(
    app, client, auth, users
):
    auth.login(users.boramae)
    response = client.post(
        "/autonomy/dongs/boramae/programmes",
        data={"title": "스마트폰 교실", "description": "문의 010-1234-5678", "position": "0"},
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _error_next_to(page, "description") == "연락처(전화번호, 이메일 등)는 적을 수 없습니다."
    assert 'aria-describedby="description-error"' in page
    assert count(DongProgramme) == 0


def test_a_refused_staff_form_shows_the_message_by_its_field_and_saves_nothing(
    app, client, auth, users
):
    contest_ops.create_contest(contest_fields(), users.planning.id)
    auth.login(users.planning)
    form = {"year": "2025", "title": "또 하나", "theme": "주제", "opens_on": "2025-06-01",
            "closes_on": "2025-06-30", "eligibility": ["resident"], "grades": "금상"}  # fmt: skip

    response = client.post("/policy/contest/staff", data=form)

    assert response.status_code == 422
    assert (
        _error_next_to(response.get_data(as_text=True), "year") == "2025년 공모전이 이미 있습니다."
    )
    assert [c.title for c in contest_ops.contests_newest_first()] == ["창의제안 공모전"]


# ---------------------------------------------------------------- the rules hold everywhere


def _classes_deriving_from_exceptions() -> dict[str, list[str]]:
    found = {}
    for path in GWANAK.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef):
                bases = [ast.unparse(base).rsplit(".", 1)[-1] for base in node.bases]
                if any(b.endswith(("Error", "Exception")) for b in bases):
                    found[node.name] = bases
    return found


def test_every_refusal_is_an_operation_error():
    assert _classes_deriving_from_exceptions() == {
        "OperationError": ["Exception"],
        "UploadError": ["OperationError"],  # shows by the file input
        "CatalogueError": ["OperationError"],  # carries every problem of an import file
        "SnapshotFrozen": ["OperationError"],  # published figures refused at flush
        "RegistryError": ["RuntimeError"],  # the app refuses to start: not a refusal to a person
        # `flask gwanak backup/restore` stops the operator's command: not a refusal to a person
    }


def _route_modules():
    for path in sorted(GWANAK.rglob("*.py")):
        text = path.read_text()
        if re.search(r"@\w+\.(route|get|post)\(|add_url_rule\(", text):
            yield path, text


# The file store keeps its steps next to the one route that serves stored files.
STORE = GWANAK / "core" / "uploads.py"


def test_routes_never_write_rows_commit_or_audit():
    writes = {"add", "add_all", "delete", "merge", "flush", "commit", "rollback"}
    offences = []
    for path, text in _route_modules():
        if path == STORE:
            continue
        for node in ast.walk(ast.parse(text)):
            if not isinstance(node, ast.Call):
                continue
            call = ast.unparse(node.func)
            if call in {f"db.session.{w}" for w in writes} or call == "record_audit":
                offences.append(f"{path.relative_to(GWANAK)}:{node.lineno} {call}")
    assert offences == []
