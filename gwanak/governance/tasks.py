"""연도별 협치과제 (/governance/tasks): tasks per year, a page per task with dated updates."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from gwanak.core import clock
from gwanak.core.confirm import ask_before_deleting
from gwanak.core.extensions import db
from gwanak.core.htmx import redirect_or_render, render
from gwanak.core.operations import OperationError, show_on_form
from gwanak.core.params import year_arg
from gwanak.core.permissions import AUTONOMY_DEPARTMENT, department, may_edit, require_edit
from gwanak.governance import operations as ops
from gwanak.governance.blueprint import bp
from gwanak.governance.forms import DeleteForm, TaskForm, TaskUpdateForm
from gwanak.governance.models import GovernanceTask, TaskUpdate

OWNER = department(AUTONOMY_DEPARTMENT)


@bp.route("/tasks")
def task_list():
    years = ops.task_years()
    year = year_arg()
    if year not in years:
        year = years[0] if years else clock.today().year
    return render(
        "governance/task_list.html",
        block="content",
        years=years,
        year=year,
        tasks=ops.tasks_of_year(year),
        may_post=may_edit(current_user, OWNER),
    )


def _task_page(
    task: GovernanceTask, update_form: TaskUpdateForm | None = None, block: str = "content"
):
    return render(
        "governance/task_detail.html",
        block=block,
        task=task,
        may_edit=may_edit(current_user, task),
        update_form=update_form or TaskUpdateForm(formdata=None, on_date=clock.today()),
        delete_form=DeleteForm(),
    )


@bp.route("/tasks/<id:task_id>")
def task_detail(task_id: int):
    return _task_page(db.get_or_404(GovernanceTask, task_id))


def _task_form_page(task: GovernanceTask | None):
    form = TaskForm()
    if request.method == "GET":
        if task is not None:
            form.process(obj=task)
        else:
            form.year.data = clock.today().year
    if form.validate_on_submit():
        try:
            task = ops.save_task(task, current_user.id, form.data)
        except OperationError as error:
            show_on_form(form, error)
        else:
            flash("협치과제를 저장했습니다.", "success")
            return redirect(url_for("governance.task_detail", task_id=task.id), code=303)
    status = 422 if form.errors else 200
    return render("governance/task_form.html", form=form, task=task), status


@bp.route("/tasks/new", methods=["GET", "POST"])
def task_new():
    require_edit(OWNER)
    return _task_form_page(None)


@bp.route("/tasks/<id:task_id>/edit", methods=["GET", "POST"])
def task_edit(task_id: int):
    task = db.get_or_404(GovernanceTask, task_id)
    require_edit(task)
    return _task_form_page(task)


@bp.post("/tasks/<id:task_id>/updates")
def task_update_add(task_id: int):
    task = db.get_or_404(GovernanceTask, task_id)
    require_edit(task)
    form = TaskUpdateForm()
    if form.validate_on_submit():
        try:
            ops.add_task_update(task, current_user.id, form.on_date.data, form.body.data)
        except OperationError as error:
            show_on_form(form, error)
        else:
            flash("진행 상황을 기록했습니다.", "success")
            return redirect_or_render(
                url_for("governance.task_detail", task_id=task.id) + "#updates",
                "governance/task_detail.html",
                "updates",
                task=task,
                may_edit=True,
                update_form=TaskUpdateForm(formdata=None, on_date=clock.today()),
                delete_form=DeleteForm(),
            )
    return _task_page(task, form, block="updates"), 422


@bp.route("/tasks/<id:task_id>/updates/<id:update_id>/delete", methods=["GET", "POST"])
def task_update_delete(task_id: int, update_id: int):
    task = db.get_or_404(GovernanceTask, task_id)
    require_edit(task)
    update = db.session.get(TaskUpdate, update_id)
    if update is None or update.task_id != task.id:
        abort(404)
    if request.method == "GET":
        return ask_before_deleting(
            f"{update.on_date} 진행 기록을 지웁니다.",
            url_for("governance.task_detail", task_id=task.id) + "#updates",
        )
    if not DeleteForm().validate_on_submit():
        abort(400)
    ops.delete_task_update(task, update, current_user.id)
    flash("진행 기록을 지웠습니다.", "success")
    return redirect(url_for("governance.task_detail", task_id=task.id) + "#updates", code=303)
