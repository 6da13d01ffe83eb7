"""The index of the 21 동 and each 동's page: stored introduction, committee members,
programmes and the 동's own notice board. Staff of the 동 주민센터 and 자치행정과 edit."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from gwanak.autonomy import bp
from gwanak.autonomy import operations as ops
from gwanak.autonomy.forms import DeleteForm, MemberForm, ProgrammeForm
from gwanak.autonomy.models import DongMember, DongProgramme
from gwanak.core.extensions import db
from gwanak.core.htmx import render
from gwanak.core.menus import Dong, dong, dongs
from gwanak.core.permissions import AUTONOMY_DEPARTMENT, department, may_edit, require_edit
from gwanak.notices.boards import dong_notice_board
from gwanak.notices.operations import latest_notices
from gwanak.notices.routes import mount_notice_board
from gwanak.pages.routes import show_page


def _dong_or_404(slug: str) -> Dong:
    the_dong = dong(slug)
    if the_dong is None:
        abort(404)
    return the_dong


def _owner(slug: str):
    """The 동 as an owned thing: its 주민센터 and 자치행정과 may edit it."""
    return department(AUTONOMY_DEPARTMENT, slug)


@bp.route("/dongs")
def dong_index():
    return render("autonomy/dongs.html", block="content", dongs=dongs())


@bp.route("/dongs/<slug>")
def dong_page(slug: str):
    the_dong = _dong_or_404(slug)
    board = dong_notice_board(slug)
    return show_page(
        the_dong.page_key,
        template="autonomy/dong.html",
        dong=the_dong,
        members=ops.members_of(slug),
        programmes=ops.programmes_of(slug),
        notices=latest_notices(board),
        board=board,
        may_manage=may_edit(current_user, _owner(slug)),
    )


mount_notice_board(bp, "/dongs/<slug>/notices", dong_notice_board, endpoint="dong_notice")


def _attach_error(form, error: ops.AutonomyError) -> None:
    target = getattr(form, error.field or "", None)
    if target is not None:
        target.errors = list(target.errors) + [str(error)]
    else:
        form.form_errors.append(str(error))


# ------------------------------------------------------------------ committee members


def _member_or_404(slug: str, member_id: int) -> DongMember:
    member = db.session.get(DongMember, member_id)
    if member is None or member.dong != slug:
        abort(404)
    return member


@bp.route("/dongs/<slug>/members", methods=["GET", "POST"])
def dong_members(slug: str):
    """Staff manage the member list: the list with edit/delete, and a form to add."""
    the_dong = _dong_or_404(slug)
    require_edit(_owner(slug))
    form = MemberForm()
    if form.validate_on_submit():
        try:
            ops.save_member(
                None,
                slug,
                current_user.id,
                name=form.name.data,
                role=form.role.data,
                position=form.position.data,
            )
        except ops.AutonomyError as error:
            _attach_error(form, error)
        else:
            flash("위원을 추가했습니다.", "success")
            return redirect(url_for("autonomy.dong_members", slug=slug), code=303)
    status = 422 if form.errors else 200
    return render(
        "autonomy/members.html",
        dong=the_dong,
        members=ops.members_of(slug),
        form=form,
        delete_form=DeleteForm(),
    ), status


@bp.route("/dongs/<slug>/members/<id:member_id>/edit", methods=["GET", "POST"])
def dong_member_edit(slug: str, member_id: int):
    the_dong = _dong_or_404(slug)
    member = _member_or_404(slug, member_id)
    require_edit(member)
    form = MemberForm(obj=member if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            ops.save_member(
                member,
                slug,
                current_user.id,
                name=form.name.data,
                role=form.role.data,
                position=form.position.data,
            )
        except ops.AutonomyError as error:
            _attach_error(form, error)
        else:
            flash("위원 정보를 고쳤습니다.", "success")
            return redirect(url_for("autonomy.dong_members", slug=slug), code=303)
    status = 422 if form.errors else 200
    return render("autonomy/member_form.html", dong=the_dong, member=member, form=form), status


@bp.post("/dongs/<slug>/members/<id:member_id>/delete")
def dong_member_delete(slug: str, member_id: int):
    _dong_or_404(slug)
    member = _member_or_404(slug, member_id)
    require_edit(member)
    if not DeleteForm().validate_on_submit():
        abort(400)
    ops.delete_member(member, current_user.id)
    flash("위원을 명단에서 뺐습니다.", "success")
    return redirect(url_for("autonomy.dong_members", slug=slug), code=303)


# ------------------------------------------------------------------ programmes


def _programme_or_404(slug: str, programme_id: int) -> DongProgramme:
    programme = db.session.get(DongProgramme, programme_id)
    if programme is None or programme.dong != slug:
        abort(404)
    return programme


def _programme_fields(form: ProgrammeForm) -> dict:
    return {
        "title": form.title.data,
        "schedule": form.schedule.data or "",
        "place": form.place.data or "",
        "description": form.description.data or "",
        "position": form.position.data,
    }


@bp.route("/dongs/<slug>/programmes", methods=["GET", "POST"])
def dong_programmes(slug: str):
    the_dong = _dong_or_404(slug)
    require_edit(_owner(slug))
    form = ProgrammeForm()
    if form.validate_on_submit():
        try:
            ops.save_programme(None, slug, current_user.id, **_programme_fields(form))
        except ops.AutonomyError as error:
            _attach_error(form, error)
        else:
            flash("프로그램을 추가했습니다.", "success")
            return redirect(url_for("autonomy.dong_programmes", slug=slug), code=303)
    status = 422 if form.errors else 200
    return render(
        "autonomy/programmes.html",
        dong=the_dong,
        programmes=ops.programmes_of(slug),
        form=form,
        delete_form=DeleteForm(),
    ), status


@bp.route("/dongs/<slug>/programmes/<id:programme_id>/edit", methods=["GET", "POST"])
def dong_programme_edit(slug: str, programme_id: int):
    the_dong = _dong_or_404(slug)
    programme = _programme_or_404(slug, programme_id)
    require_edit(programme)
    form = ProgrammeForm(obj=programme if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            ops.save_programme(programme, slug, current_user.id, **_programme_fields(form))
        except ops.AutonomyError as error:
            _attach_error(form, error)
        else:
            flash("프로그램을 고쳤습니다.", "success")
            return redirect(url_for("autonomy.dong_programmes", slug=slug), code=303)
    status = 422 if form.errors else 200
    return render(
        "autonomy/programme_form.html", dong=the_dong, programme=programme, form=form
    ), status


@bp.post("/dongs/<slug>/programmes/<id:programme_id>/delete")
def dong_programme_delete(slug: str, programme_id: int):
    _dong_or_404(slug)
    programme = _programme_or_404(slug, programme_id)
    require_edit(programme)
    if not DeleteForm().validate_on_submit():
        abort(400)
    ops.delete_programme(programme, current_user.id)
    flash("프로그램을 지웠습니다.", "success")
    return redirect(url_for("autonomy.dong_programmes", slug=slug), code=303)
