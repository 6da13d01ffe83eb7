"""Back office pages shared by every department; feature queues live with their menus."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from gwanak.accounts import operations as account_ops
from gwanak.accounts.models import User
from gwanak.core.audit import AuditEntry
from gwanak.core.extensions import db
from gwanak.core.features import registry
from gwanak.core.forms import PortalForm
from gwanak.core.jobs import last_runs
from gwanak.core.mail import OutboxMail
from gwanak.core.operations import OperationError, show_on_form
from gwanak.core.params import page_arg
from gwanak.core.permissions import admin_required, back_office_required, staff_required
from gwanak.core.settings import (
    all_settings,
    change_owned_settings,
    change_settings,
    settings_owned_by,
)
from gwanak.staff.forms import CreateUserForm

bp = Blueprint("staff", __name__, url_prefix="/staff")

PAGE_SIZE = 50
# Outbox rows are one line each (the message is on its own page); 20 keep long
# subjects and error texts well inside the 40 KB page budget.
OUTBOX_PAGE_SIZE = 20


@bp.route("/")
@back_office_required
def index():
    # Each feature declares its back-office links (Feature.staff_links).
    links = [
        (link.label, link.endpoint) for link in registry().staff_links if link.visible(current_user)
    ]
    owns_settings = current_user.is_staff and bool(settings_owned_by(current_user))
    return render_template("staff/index.html", links=links, owns_settings=owns_settings)


@bp.route("/users", methods=["GET", "POST"])
@admin_required
def users():
    form = CreateUserForm()
    if form.validate_on_submit():
        try:
            account_ops.create_user(
                email=form.email.data,
                password=form.password.data,
                name=form.name.data,
                role=form.role.data,
                department=form.department.data or None,
                office_dong=form.office_dong.data or None,
                actor_id=current_user.id,
            )
        except OperationError as error:
            show_on_form(form, error)
        else:
            flash("계정을 만들었습니다.", "success")
            return redirect(url_for("staff.users"), code=303)
    page = page_arg()
    rows = db.session.scalars(
        select(User).order_by(User.id.desc()).limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)
    ).all()
    return render_template(
        "staff/users.html",
        form=form,
        users=rows[:PAGE_SIZE],
        page=page,
        has_next=len(rows) > PAGE_SIZE,
    ), (422 if form.errors or form.form_errors else 200)


@bp.route("/outbox")
@admin_required
def outbox():
    page = page_arg()
    mails = db.session.scalars(
        select(OutboxMail)
        .order_by(OutboxMail.id.desc())
        .limit(OUTBOX_PAGE_SIZE + 1)
        .offset((page - 1) * OUTBOX_PAGE_SIZE)
    ).all()
    return render_template(
        "staff/outbox.html",
        mails=mails[:OUTBOX_PAGE_SIZE],
        page=page,
        has_next=len(mails) > OUTBOX_PAGE_SIZE,
    )


@bp.route("/outbox/<id:mail_id>")
@admin_required
def outbox_mail(mail_id: int):
    """One mail with its body: the list shows only subjects, so a page of fifty long
    reminders stays within the page budget."""
    return render_template("staff/outbox_mail.html", mail=db.get_or_404(OutboxMail, mail_id))


@bp.route("/jobs")
@admin_required
def jobs():
    return render_template("staff/jobs.html", rows=last_runs())


@bp.route("/audit")
@admin_required
def audit():
    page = page_arg()
    entries = db.session.scalars(
        select(AuditEntry)
        .order_by(AuditEntry.id.desc())
        .limit(PAGE_SIZE + 1)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return render_template(
        "staff/audit.html",
        entries=entries[:PAGE_SIZE],
        page=page,
        has_next=len(entries) > PAGE_SIZE,
    )


def _changed_values(rows) -> tuple[dict, dict[str, str]]:
    """The form's values that differ from the current ones, and the fields not numbers."""
    changes, errors = {}, {}
    for spec, current in rows:
        raw = request.form.get(spec.key, "").strip()
        try:
            value = spec.kind(raw)
        except ValueError:
            errors[spec.key] = "숫자를 입력하세요."
            continue
        if value != current:
            changes[spec.key] = value
    return changes, errors


def _settings_page(rows, save, endpoint: str, heading: str):
    form = PortalForm()
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST" and form.validate_on_submit():
        changes, errors = _changed_values(rows)
        if not errors:
            try:
                save(changes)
            except OperationError as error:
                errors[error.field] = error.message
                status = error.status
            else:
                flash("설정을 저장했습니다.", "success")
                return redirect(url_for(endpoint), code=303)
    return render_template(
        "staff/settings.html",
        form=form,
        rows=rows,
        errors=errors,
        values=request.form,
        action=url_for(endpoint),
        heading=heading,
    ), (status if status != 200 else 422 if errors else 200)


@bp.route("/settings", methods=["GET", "POST"])
@admin_required
def settings():
    return _settings_page(
        all_settings(),
        lambda changes: change_settings(changes, current_user.id),
        "staff.settings",
        "운영 설정 (기준값)",
    )


@bp.route("/settings/department", methods=["GET", "POST"])
@staff_required
def department_settings():
    """A department's own boards' thresholds and limits (자치행정과: 협치관악 and
    주민참여예산 boards), changed by its staff with an audit entry each."""
    rows = settings_owned_by(current_user)
    if not rows:
        abort(403)
    return _settings_page(
        rows,
        lambda changes: change_owned_settings(current_user, changes),
        "staff.department_settings",
        "담당 게시판 설정 (기준값)",
    )
