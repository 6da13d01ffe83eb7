"""The admin's pages for the organisation: every department by 국, and for each its
staff, its history (audit log) and the forms to rename, merge and retire it."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from gwanak.accounts import organisation as org
from gwanak.accounts.models import Department
from gwanak.core.extensions import db
from gwanak.core.forms import PortalForm
from gwanak.core.htmx import announce, is_htmx, render
from gwanak.core.operations import OperationError, show_on_form
from gwanak.core.permissions import admin_required
from gwanak.staff.forms import MergeDepartmentForm, RenameDepartmentForm
from gwanak.staff.routes import bp


def _department(code: str) -> Department:
    return db.first_or_404(select(Department).where(Department.code == code))


@bp.route("/organisation")
@admin_required
def organisation():
    departments = org.all_departments()
    staff_counts = {d.name: len(org.department_staff(d.name)) for d in departments if d.active}
    return render_template(
        "staff/organisation.html", departments=departments, staff_counts=staff_counts
    )


def _page(department: Department, rename=None, merge=None, status: int = 200, said: str = ""):
    """The department's page; for htmx only its #manage block (with `said` announced)."""
    merged_into = (
        db.session.get(Department, department.merged_into_id) if department.merged_into_id else None
    )
    return render(
        "staff/department.html",
        "manage",
        department=department,
        merged_into=merged_into,
        staff=org.department_staff(department.name),
        history=org.history(department),
        rename_form=rename or RenameDepartmentForm(formdata=None, group=department.group),
        merge_form=merge or MergeDepartmentForm(formdata=None, exclude=department.code),
        retire_form=PortalForm(formdata=None),
        said=said if is_htmx() else "",
    ) + (announce(said) if said and is_htmx() else ""), status


def _done(code: str, message: str):
    """After a change: redirect (no JS), or the refreshed block with the message."""
    if is_htmx():
        db.session.expire_all()
        return _page(_department(code), said=message)
    flash(message, "success")
    return redirect(url_for("staff.department", code=code), code=303)


@bp.route("/organisation/<code>")
@admin_required
def department(code: str):
    return _page(_department(code))


@bp.post("/organisation/<code>/rename")
@admin_required
def department_rename(code: str):
    department = _department(code)
    form = RenameDepartmentForm()
    status = 422
    if form.validate_on_submit():
        try:
            org.rename_department(department, form.name.data, form.group.data, current_user)
        except OperationError as error:
            status = show_on_form(form, error)
        else:
            return _done(code, f"부서 이름을 {form.name.data}(으)로 바꿨습니다.")
    return _page(department, rename=form, status=status)


@bp.post("/organisation/<code>/merge")
@admin_required
def department_merge(code: str):
    department = _department(code)
    form = MergeDepartmentForm(exclude=code)
    status = 422
    if form.validate_on_submit():
        into = db.session.scalar(select(Department).where(Department.code == form.into.data))
        try:
            org.merge_department(department, into, current_user)
        except OperationError as error:
            status = show_on_form(form, error)
        else:
            return _done(code, f"{department.name}을(를) {into.name}(으)로 통합했습니다.")
    return _page(department, merge=form, status=status)


@bp.post("/organisation/<code>/retire")
@admin_required
def department_retire(code: str):
    department = _department(code)
    if not PortalForm().validate_on_submit():
        abort(400)
    try:
        org.retire_department(department, current_user)
    except OperationError as error:
        if is_htmx():
            return _page(department, status=error.status, said=error.message)
        flash(error.message, "error")
        return redirect(url_for("staff.department", code=code), code=303)
    return _done(code, f"{department.name}을(를) 폐지했습니다.")
