"""Feature routes of the manifesto menu; stored pages are added by make_menu_blueprint.

Public: 한눈에 보는 공약 (/manifesto/pledges), each pledge (/manifesto/pledges/<code>),
공약실천 현황 (/manifesto/progress). Staff of a pledge's department update it at
/manifesto/pledges/<code>/edit; 기획예산과 imports and exports the catalogue at
/manifesto/manage.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Response, abort, flash, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from gwanak.core import clock
from gwanak.core.features import StaffLink
from gwanak.core.htmx import redirect_or_render, render
from gwanak.core.live_figures import live_figures
from gwanak.core.menus import menu
from gwanak.core.operations import OperationError, show_on_form
from gwanak.core.permissions import department, may_edit, staff_required
from gwanak.core.settings import SettingSpec, get_setting
from gwanak.manifesto import operations, queries  # noqa: F401
from gwanak.manifesto.blueprint import bp
from gwanak.manifesto.catalogue import export_catalogue, import_catalogue, to_csv, to_json
from gwanak.manifesto.forms import (
    ActualForm,
    ExecutionForm,
    FilterForm,
    ImportForm,
    MilestoneForm,
    PublishForm,
    ReasonForm,
    StatusForm,
)
from gwanak.manifesto.models import Pledge
from gwanak.manifesto.publishing import (
    Period,
    coordinating_department,
    may_coordinate,
    may_update,
    publish_all,
    publish_figures,
    restore_pledge,
    retire_pledge,
    snapshots_csv,
)

MANIFESTO_OWNER = menu("manifesto").owner

# Rules as data: installed by this feature (Feature.settings).
SETTINGS = (
    SettingSpec(
        "manifesto.import_max_kb",
        "공약 목록 가져오기 파일 최대 크기(KB)",
        2048,
        minimum=16,
        maximum=51200,
    ),
)
# Back-office links this feature adds (Feature.staff_links).
STAFF_LINKS = (
    # /manage is a staff page: the mayor's back office must not link to a 403.
    StaffLink(
        "공약 관리 (실적 입력 · 가져오기 · 내보내기)", "manifesto.manage", lambda u: u.is_staff
    ),
)


def _item(slug: str):
    the_menu = menu("manifesto")
    return the_menu, next(i for i in the_menu.items if i.slug == slug)


def _catalogue_owner():
    return department(MANIFESTO_OWNER)


@bp.route("/pledges")
def pledges():
    form = FilterForm(request.args)
    form.department.choices = [("", "전체")] + [(d, d) for d in queries.departments()]
    chosen_department = form.department.data or None
    chosen_status = form.status.data or None
    reports = queries.pledge_reports(chosen_department, chosen_status)
    the_menu, item = _item("pledges")
    return render(
        "manifesto/pledges.html",
        block="pledge_list",
        menu=the_menu,
        item=item,
        form=form,
        sections=queries.by_area(reports),
        count=len(reports),
    )


@bp.route("/progress")
def progress():
    reports = queries.pledge_reports()
    the_menu, item = _item("progress")
    return render(
        "manifesto/progress.html",
        block="content",
        menu=the_menu,
        item=item,
        summary=queries.progress(reports),
        sections=queries.by_area(reports),
        now=clock.now(),
        coordinator=coordinating_department(),
    )


def _live_basis(report) -> list[str]:
    """What each live source counts (only what staff have confirmed), for the page."""
    sources = live_figures()
    out = []
    for r in report.indicators:
        source = sources.get(r.indicator.live_source or "")
        if source is not None and source.basis:
            out.append(f"{r.indicator.name}: {source.basis}")
    return out


@bp.route("/pledges/<code>")
def pledge(code: str):
    report = queries.pledge_page(code)
    the_menu, item = _item("pledges")
    return render(
        "manifesto/pledge.html",
        block="content",
        menu=the_menu,
        item=item,
        report=report,
        live_sources=live_figures(),
        may_edit=may_update(current_user, report.pledge),
        now=clock.now(),
        coordinator=coordinating_department(),
        basis=_live_basis(report),
    )


@bp.route("/pledges/<code>/published.csv")
def published_csv(code: str):
    """Every published snapshot of the pledge (공표 이력), for spreadsheets."""
    report = queries.pledge_page(code)
    return Response(
        snapshots_csv(report.pledge),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="pledge-{code}-published.csv"'},
    )


# ---------------------------------------------------------------- staff updates


def _editable(code: str):
    report = queries.pledge_page(code)
    if not current_user.is_authenticated:
        abort(401)
    if not may_update(current_user, report.pledge):
        abort(403)
    return report


def _edit_context(report, **forms):
    pledge = report.pledge
    actual_form = forms.get("actual_form") or ActualForm(formdata=None, prefix="actual")
    actual_form.indicator.choices = [(i.no, f"{i.no}. {i.name}") for i in pledge.indicators]
    return {
        "report": report,
        "status_form": forms.get("status_form")
        or StatusForm(formdata=None, prefix="status", status=pledge.status),
        "actual_form": actual_form,
        "execution_form": forms.get("execution_form")
        or ExecutionForm(formdata=None, prefix="exec"),
        "milestone_form": forms.get("milestone_form") or MilestoneForm(formdata=None, prefix="ms"),
        "publish_form": forms.get("publish_form")
        or PublishForm(formdata=None, prefix="pub", year=clock.today().year, as_of=clock.today()),
        "retire_form": forms.get("retire_form") or ReasonForm(formdata=None, prefix="retire"),
        "coordinator": coordinating_department(),
        "may_publish": may_coordinate(current_user),
        "history": operations.history(pledge),
        "live_sources": live_figures(),
    }


@bp.route("/pledges/<code>/edit")
def edit(code: str):
    report = _editable(code)
    return render("manifesto/edit.html", block="content", **_edit_context(report))


def _after_update(code: str, message: str):
    flash(message, "success")
    report = queries.pledge_page(code)
    return redirect_or_render(
        url_for("manifesto.edit", code=code),
        "manifesto/edit.html",
        "content",
        **_edit_context(report),
    )


@dataclass(frozen=True)
class PledgeUpdate:
    """One staff form of the edit page: how to read it, which operation it calls."""

    form_name: str  # its name in the edit page's context
    form: Callable[[Pledge], FlaskForm]
    apply: Callable[[Pledge, Any, int], object]
    done: str


def _actual_form(pledge: Pledge) -> ActualForm:
    form = ActualForm(prefix="actual")
    form.indicator.choices = [(i.no, i.name) for i in pledge.indicators]
    return form


# Each form posts to /pledges/<code>/<its key> (endpoints manifesto.update_status, …).
PLEDGE_UPDATES = {
    "status": PledgeUpdate(
        "status_form",
        lambda pledge: StatusForm(prefix="status"),
        lambda pledge, form, actor: operations.set_status(pledge, form.status.data, actor),
        "추진상황을 바꿨습니다.",
    ),
    "actual": PledgeUpdate(
        "actual_form",
        _actual_form,
        lambda pledge, form, actor: operations.set_actual(
            pledge, form.indicator.data, form.year.data, form.actual.data, actor
        ),
        "실적을 저장했습니다.",
    ),
    "execution": PledgeUpdate(
        "execution_form",
        lambda pledge: ExecutionForm(prefix="exec"),
        lambda pledge, form, actor: operations.set_execution(
            pledge, form.year.data, form.source.data, form.executed.data, actor
        ),
        "예산 집행액을 저장했습니다.",
    ),
    "milestones": PledgeUpdate(
        "milestone_form",
        lambda pledge: MilestoneForm(prefix="ms"),
        lambda pledge, form, actor: operations.add_milestone(
            pledge, form.happened_on.data, form.when_label.data or "", form.title.data,
            form.detail.data or "", actor,
        ),
        "추진실적을 추가했습니다.",
    ),
    "publish": PledgeUpdate(
        "publish_form",
        lambda pledge: PublishForm(prefix="pub"),
        lambda pledge, form, actor: publish_figures(
            pledge, Period(form.kind.data, form.year.data, form.number.data, form.as_of.data),
            current_user, form.note.data or "",
        ),
        "실적을 공표했습니다. 공표한 실적은 바꿀 수 없습니다.",
    ),
    "retire": PledgeUpdate(
        "retire_form",
        lambda pledge: ReasonForm(prefix="retire"),
        lambda pledge, form, actor: (restore_pledge if pledge.retired else retire_pledge)(
            pledge, form.reason.data, current_user
        ),
        "공약의 폐기·철회 상태를 바꿨습니다.",
    ),
}  # fmt: skip


@bp.post("/pledges/<code>/status", endpoint="update_status", defaults={"key": "status"})
@bp.post("/pledges/<code>/actual", endpoint="update_actual", defaults={"key": "actual"})
@bp.post("/pledges/<code>/execution", endpoint="update_execution", defaults={"key": "execution"})
@bp.post("/pledges/<code>/milestones", endpoint="add_milestone", defaults={"key": "milestones"})
@bp.post("/pledges/<code>/publish", endpoint="publish", defaults={"key": "publish"})
@bp.post("/pledges/<code>/retire", endpoint="retire", defaults={"key": "retire"})
def update_pledge(code: str, key: str):
    """Every staff form of the edit page: validate, call its operation, show a refusal
    next to the field."""
    update = PLEDGE_UPDATES[key]
    report = _editable(code)
    form = update.form(report.pledge)
    status = 422
    if form.validate_on_submit():
        try:
            update.apply(report.pledge, form, current_user.id)
        except OperationError as error:
            status = show_on_form(form, error)
        else:
            return _after_update(code, update.done)
    context = _edit_context(queries.pledge_page(code), **{update.form_name: form})
    return render("manifesto/edit.html", block="content", **context), status


# ---------------------------------------------------------------- catalogue


@bp.route("/manage", methods=["GET", "POST"])
@staff_required
def manage():
    owner = may_edit(current_user, _catalogue_owner())
    form = ImportForm()
    report = None
    if request.method == "POST":
        if not owner:
            abort(403)
        report = _import(form)
        if report is not None and report.ok:
            counts = report.counts
            flash(
                f"공약 목록을 가져왔습니다: 분야 {counts['areas']}, 공약 {counts['groups']}, "
                f"세부공약 {counts['pledges']}, 지표 {counts['indicators']}.",
                "success",
            )
            return redirect_or_render(
                url_for("manifesto.manage"),
                "manifesto/manage.html",
                "content",
                **_manage_context(form, None, owner),
            )
    status = 422 if form.errors or (report is not None and not report.ok) else 200
    return render("manifesto/manage.html", **_manage_context(form, report, owner)), status


def _manage_context(form, report, owner: bool, publish_form=None) -> dict:
    mine = [r for r in queries.pledge_reports() if may_update(current_user, r.pledge)]
    publish_form = publish_form or PublishForm(
        formdata=None, prefix="pub", year=clock.today().year, as_of=clock.today()
    )
    return {
        "form": form,
        "report": report,
        "owner": owner,
        "mine": mine,
        "publish_form": publish_form,
        "may_publish": may_coordinate(current_user),
        "coordinator": coordinating_department(),
    }


@bp.post("/manage/publish")
@staff_required
def publish_every_pledge():
    """공표 of every counted pledge for a period at once (the coordinating department)."""
    if not may_coordinate(current_user):
        abort(403)
    form = PublishForm(prefix="pub")
    status = 422
    if form.validate_on_submit():
        period = Period(form.kind.data, form.year.data, form.number.data, form.as_of.data)
        try:
            result = publish_all(
                period, current_user, queries.pledge_reports(this_year=period.year),
                form.note.data or "",
            )  # fmt: skip
        except OperationError as error:
            status = show_on_form(form, error)
        else:
            skipped = f" (건너뜀 {len(result.skipped)}건)" if result.skipped else ""
            flash(f"{period.label} 실적을 세부공약 {len(result.published)}건 공표했습니다{skipped}.", "success")  # fmt: skip
            return redirect_or_render(
                url_for("manifesto.manage"),
                "manifesto/manage.html",
                "content",
                **_manage_context(ImportForm(), None, True),
            )
    context = _manage_context(ImportForm(), None, True, publish_form=form)
    return render("manifesto/manage.html", **context), status


def _import(form: ImportForm):
    if not form.validate_on_submit():
        return None
    upload = form.file.data
    if upload is None or not getattr(upload, "filename", ""):
        form.file.errors.append("가져올 파일을 고르세요.")
        return None
    limit = get_setting("manifesto.import_max_kb") * 1024
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        form.file.errors.append(
            f"파일이 너무 큽니다. {limit // 1024:,}KB 이하만 가져올 수 있습니다."
        )
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        form.file.errors.append("UTF-8로 저장한 JSON 또는 CSV 파일이어야 합니다.")
        return None
    name = upload.filename.lower()
    if name.endswith(".json"):
        fmt = "json"
    elif name.endswith(".csv"):
        fmt = "csv"
    else:
        fmt = "json" if text.lstrip().startswith("{") else "csv"
    return import_catalogue(text, fmt, current_user.id)


@bp.route("/manage/export.<fmt>")
@staff_required
def export(fmt: str):
    if fmt not in ("json", "csv"):
        abort(404)
    catalogue = export_catalogue()
    if fmt == "json":
        body, mimetype = to_json(catalogue), "application/json"
    else:
        body, mimetype = to_csv(catalogue), "text/csv"  # with its BOM
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="manifesto-catalogue.{fmt}"'},
    )


@bp.app_template_filter("amount")
def amount(value) -> str:
    """A figure as the card prints it: 24, 2.56, '-' when empty."""
    if value is None:
        return "-"
    if value == int(value):
        return f"{int(value):,}"
    return format(value.normalize(), "f") if hasattr(value, "normalize") else str(value)


# ---------------------------------------------------------------- 주민참여마당


@bp.route("/forum")
def forum():
    reports = queries.pledge_reports()
    the_menu, item = _item("forum")
    return render(
        "manifesto/forum.html",
        block="content",
        menu=the_menu,
        item=item,
        sections=queries.by_area(reports),
    )


@bp.route("/forum/<code>")
def forum_pledge(code: str):
    from gwanak.participation.views import comments_context

    report = queries.pledge_page(code)
    discussion = report.pledge.discussion
    if discussion is None:
        abort(404)
    the_menu, item = _item("forum")
    return render(
        "manifesto/forum_pledge.html",
        block="content",
        menu=the_menu,
        item=item,
        report=report,
        **comments_context(discussion),
    )
