"""협치관악 자료실 (/governance/archive): files anyone may download, staff publish."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from gwanak.core.confirm import ask_before_deleting
from gwanak.core.htmx import render
from gwanak.core.operations import OperationError, show_on_form
from gwanak.core.params import page_arg
from gwanak.core.permissions import AUTONOMY_DEPARTMENT, department, may_edit, require_edit
from gwanak.governance import operations as ops
from gwanak.governance.blueprint import bp
from gwanak.governance.forms import ArchiveForm, DeleteForm
from gwanak.governance.models import ArchiveItem

OWNER = department(AUTONOMY_DEPARTMENT)


def _item_or_404(item_id: int) -> ArchiveItem:
    item = ops.get_archive_item(item_id)
    if item is None:
        abort(404)
    return item


@bp.route("/archive")
def archive_list():
    category = request.args.get("category")
    category = category if category in ops.ARCHIVE_CATEGORIES else None
    page = page_arg()
    items, has_next = ops.list_archive(category, page)
    return render(
        "governance/archive_list.html",
        block="content",
        items=items,
        has_next=has_next,
        page=page,
        category=category,
        categories=ops.ARCHIVE_CATEGORIES,
        may_post=may_edit(current_user, OWNER),
    )


@bp.route("/archive/<id:item_id>")
def archive_detail(item_id: int):
    item = _item_or_404(item_id)
    return render(
        "governance/archive_detail.html",
        block="content",
        item=item,
        may_edit=may_edit(current_user, item),
        delete_form=DeleteForm(),
    )


@bp.route("/archive/new", methods=["GET", "POST"])
def archive_new():
    require_edit(OWNER)
    form = ArchiveForm()
    if form.validate_on_submit():
        try:
            item = ops.create_archive_item(
                current_user.id,
                title=form.title.data,
                description=form.description.data or "",
                category=form.category.data,
                files=request.files.getlist(form.files.name),
            )
        except OperationError as error:
            show_on_form(form, error)
        else:
            flash("자료를 올렸습니다.", "success")
            return redirect(url_for("governance.archive_detail", item_id=item.id), code=303)
    status = 422 if form.errors else 200
    return render("governance/archive_form.html", form=form, item=None), status


@bp.route("/archive/<id:item_id>/edit", methods=["GET", "POST"])
def archive_edit(item_id: int):
    item = _item_or_404(item_id)
    require_edit(item)
    form = ArchiveForm()
    if request.method == "GET":
        form.title.data, form.category.data, form.description.data = (
            item.title,
            item.category,
            item.description,
        )
    if form.validate_on_submit():
        try:
            ops.edit_archive_item(
                item,
                current_user.id,
                title=form.title.data,
                description=form.description.data or "",
                category=form.category.data,
                remove_file_ids=request.form.getlist("remove_file", type=int),
                files=request.files.getlist(form.files.name),
            )
        except OperationError as error:
            show_on_form(form, error)
            item = _item_or_404(item_id)
        else:
            flash("자료를 고쳤습니다.", "success")
            return redirect(url_for("governance.archive_detail", item_id=item.id), code=303)
    status = 422 if form.errors else 200
    return render("governance/archive_form.html", form=form, item=item), status


@bp.route("/archive/<id:item_id>/delete", methods=["GET", "POST"])
def archive_delete(item_id: int):
    item = _item_or_404(item_id)
    require_edit(item)
    if request.method == "GET":
        return ask_before_deleting(
            f"자료 「{item.title}」를 삭제합니다.",
            url_for("governance.archive_detail", item_id=item.id),
        )
    if not DeleteForm().validate_on_submit():
        abort(400)
    ops.delete_archive_item(item, current_user.id)
    flash("자료를 삭제했습니다.", "success")
    return redirect(url_for("governance.archive_list"), code=303)
