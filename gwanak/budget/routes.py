"""Feature routes of the budget menu; stored pages are added by make_menu_blueprint.

실행사업 현황 (/budget/projects) and 예산학교 (/budget/school) live here; 사업 제안
(/budget/proposals) in gwanak/budget/proposals.py.
"""

from __future__ import annotations

from flask import Response, abort, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from gwanak.budget.blueprint import bp
from gwanak.budget.forms import ClassForm, CourseForm, ProjectForm, ProjectUpdateForm
from gwanak.budget.models import (
    OWNER_DEPARTMENT,
    PROJECT_STATE_LABELS,
    BudgetProject,
    RegistrationStatus,
    SchoolClass,
    SchoolCourse,
    SchoolRegistration,
)
from gwanak.budget.operations import (
    add_class,
    add_project_update,
    cancel_registration,
    create_course,
    note_roster_download,
    register_for_class,
    save_project,
    waiting_position,
    yearly_totals,
)
from gwanak.core import clock
from gwanak.core.csv_safe import csv_text
from gwanak.core.extensions import db
from gwanak.core.features import StaffLink
from gwanak.core.forms import PortalForm
from gwanak.core.htmx import announce, is_htmx, redirect_or_render, render
from gwanak.core.menus import dong_names, menu
from gwanak.core.operations import OperationError
from gwanak.core.params import page_arg, year_arg
from gwanak.core.permissions import department, may_edit, require_edit
from gwanak.core.security import personal_data
from gwanak.notices.boards import BUDGET_NOTICES
from gwanak.notices.routes import mount_notice_board

mount_notice_board(bp, "/notices", lambda: BUDGET_NOTICES)

MENU = menu("budget")
PROJECTS_ITEM = next(i for i in MENU.items if i.slug == "projects")
SCHOOL_ITEM = next(i for i in MENU.items if i.slug == "school")
PAGE_SIZE = 30

# Back-office links this feature adds (Feature.staff_links).
STAFF_LINKS = (
    StaffLink(
        "예산학교 명단",
        "budget.school",
        visible=lambda user: may_edit(user, department(OWNER_DEPARTMENT)),
    ),
    StaffLink(
        "실행사업 등록",
        "budget.project_new",
        visible=lambda user: may_edit(user, department(OWNER_DEPARTMENT)),
    ),
)


def _menu_ctx(item) -> dict:
    return {"menu": MENU, "item": item}


# ---------------------------------------------------------------- 실행사업 현황


@bp.route("/projects")
def projects():
    totals = yearly_totals()
    years = sorted(totals, reverse=True)
    year = year_arg()
    if year is None and years:
        year = years[0]
    dong = request.args.get("dong", "") or ""
    state = request.args.get("state", "") or ""
    if dong and dong not in dong_names():
        dong = ""
    if state and state not in {s.value for s in PROJECT_STATE_LABELS}:
        state = ""
    page = page_arg()
    query = select(BudgetProject).where(BudgetProject.year == year)
    if dong:
        query = query.where(BudgetProject.dong == dong)
    if state:
        query = query.where(BudgetProject.state == state)
    rows = db.session.scalars(
        query.order_by(BudgetProject.id).limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)
    ).all()
    return render(
        "budget/projects.html",
        block="results",
        projects=rows[:PAGE_SIZE],
        has_next=len(rows) > PAGE_SIZE,
        page=page,
        totals=totals,
        years=years,
        year=year,
        dong=dong,
        state=state,
        states=PROJECT_STATE_LABELS,
        dongs=dong_names(),
        may_manage=may_edit(current_user, department(OWNER_DEPARTMENT)),
        **_menu_ctx(PROJECTS_ITEM),
    )


@bp.route("/projects/<id:project_id>")
def project_detail(project_id: int):
    project = db.get_or_404(BudgetProject, project_id)
    form = ProjectUpdateForm()
    if request.method == "GET" and form.posted_on.data is None:
        form.posted_on.data = clock.today()
    return render(
        "budget/project.html",
        block="content",
        project=project,
        form=form,
        dongs=dong_names(),
        may_manage=may_edit(current_user, project),
        **_menu_ctx(PROJECTS_ITEM),
    )


@bp.route("/projects/new", methods=["GET", "POST"])
def project_new():
    require_edit(department(OWNER_DEPARTMENT))
    form = ProjectForm()
    if request.method == "GET":
        form.year.data = clock.today().year
        form.department.data = OWNER_DEPARTMENT
        form.progress.data = 0
        form.spent.data = 0
    if form.validate_on_submit():
        project = save_project(None, _project_data(form), current_user.id)
        flash("실행사업을 등록했습니다.", "success")
        return redirect(url_for("budget.project_detail", project_id=project.id), code=303)
    return render(
        "budget/project_form.html", form=form, project=None, **_menu_ctx(PROJECTS_ITEM)
    ), (422 if form.errors else 200)


@bp.route("/projects/<id:project_id>/edit", methods=["GET", "POST"])
def project_edit(project_id: int):
    project = db.get_or_404(BudgetProject, project_id)
    require_edit(project)
    form = ProjectForm(obj=project if request.method == "GET" else None)
    if request.method == "GET":
        form.dong.data = project.dong or ""
    if form.validate_on_submit():
        save_project(project, _project_data(form), current_user.id)
        flash("저장했습니다.", "success")
        return redirect(url_for("budget.project_detail", project_id=project.id), code=303)
    return render(
        "budget/project_form.html", form=form, project=project, **_menu_ctx(PROJECTS_ITEM)
    ), (422 if form.errors else 200)


def _project_data(form: ProjectForm) -> dict:
    return {
        "year": form.year.data,
        "title": form.title.data,
        "summary": form.summary.data or "",
        "dong": form.dong.data or None,
        "department": form.department.data,
        "budget": form.budget.data,
        "spent": form.spent.data,
        "progress": form.progress.data,
        "state": form.state.data,
    }


@bp.route("/projects/<id:project_id>/updates", methods=["POST"])
def project_add_update(project_id: int):
    project = db.get_or_404(BudgetProject, project_id)
    require_edit(project)
    form = ProjectUpdateForm()
    if form.validate_on_submit():
        add_project_update(
            project,
            form.posted_on.data,
            form.body.data,
            current_user.id,
            client_token=form.token.data or None,
        )
        db.session.refresh(project)
        return redirect_or_render(
            url_for("budget.project_detail", project_id=project.id),
            "budget/project.html",
            "updates",
            project=project,
            form=ProjectUpdateForm(formdata=None, posted_on=clock.today()),
            dongs=dong_names(),
            may_manage=True,
            **_menu_ctx(PROJECTS_ITEM),
        )
    return render(
        "budget/project.html",
        block="updates",
        project=project,
        form=form,
        dongs=dong_names(),
        may_manage=True,
        **_menu_ctx(PROJECTS_ITEM),
    ), 422


# ---------------------------------------------------------------- 예산학교


def _school_context(**extra) -> dict:
    """Courses, their classes, seats taken per class and the viewer's own places.

    A fixed number of queries whatever the number of courses and classes.
    """
    courses = db.session.scalars(
        select(SchoolCourse).order_by(SchoolCourse.id.desc()).limit(20)
    ).all()
    course_ids = [c.id for c in courses]
    classes = db.session.scalars(
        select(SchoolClass)
        .where(SchoolClass.course_id.in_(course_ids))
        .order_by(SchoolClass.starts_at, SchoolClass.id)
    ).all()
    by_course: dict[int, list[SchoolClass]] = {cid: [] for cid in course_ids}
    for c in classes:
        by_course[c.course_id].append(c)
    class_ids = [c.id for c in classes]
    counts: dict[tuple[int, str], int] = {}
    for class_id, status, n in db.session.execute(
        select(SchoolRegistration.class_id, SchoolRegistration.status, func.count())
        .where(SchoolRegistration.class_id.in_(class_ids))
        .group_by(SchoolRegistration.class_id, SchoolRegistration.status)
    ):
        counts[(class_id, status)] = n
    mine: dict[int, SchoolRegistration] = {}
    positions: dict[int, int] = {}
    if current_user.is_authenticated and class_ids:
        for reg in db.session.scalars(
            select(SchoolRegistration).where(
                SchoolRegistration.user_id == current_user.id,
                SchoolRegistration.class_id.in_(class_ids),
                SchoolRegistration.status != RegistrationStatus.CANCELLED,
            )
        ):
            mine[reg.class_id] = reg
            if reg.status == RegistrationStatus.WAITING:
                positions[reg.class_id] = waiting_position(reg)
    return {
        "courses": courses,
        "classes_by_course": by_course,
        "taken": {cid: counts.get((cid, RegistrationStatus.REGISTERED), 0) for cid in class_ids},
        "waiting": {cid: counts.get((cid, RegistrationStatus.WAITING), 0) for cid in class_ids},
        "mine": mine,
        "positions": positions,
        "now": clock.now(),
        "may_manage": may_edit(current_user, department(OWNER_DEPARTMENT)),
        "action_form": PortalForm(),
        "course_form": extra.pop("course_form", None) or CourseForm(formdata=None),
        **_menu_ctx(SCHOOL_ITEM),
        **extra,
    }


@bp.route("/school")
@personal_data
def school():
    return render("budget/school.html", block="content", **_school_context())


@bp.route("/school/classes/<id:class_id>/register", methods=["POST"])
def school_register(class_id: int):
    return _school_action(class_id, register_for_class)


@bp.route("/school/classes/<id:class_id>/cancel", methods=["POST"])
def school_cancel(class_id: int):
    return _school_action(class_id, cancel_registration)


def _school_action(class_id: int, operation):
    if not current_user.is_authenticated:
        abort(401)
    db.get_or_404(SchoolClass, class_id)
    form = PortalForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        registration = operation(class_id, current_user)
    except OperationError as error:
        if error.status == 404:
            abort(404)
        return render(
            "budget/school.html",
            block="content",
            **_school_context(error_class=class_id, error=error.message),
        ), error.status
    messages = {
        RegistrationStatus.REGISTERED: "신청했습니다.",
        RegistrationStatus.WAITING: "정원이 차서 대기 명단에 올렸습니다. 자리가 나면 자동으로 신청되고 메일로 알려 드립니다.",
        RegistrationStatus.CANCELLED: "신청을 취소했습니다.",
    }
    message = messages[RegistrationStatus(registration.status)]
    if is_htmx():
        html = render("budget/school.html", block="content", **_school_context(message=message))
        return html + announce(message)
    flash(message, "success")
    return redirect(url_for("budget.school") + f"#class-{class_id}", code=303)


@bp.route("/school/courses", methods=["POST"])
def school_course_new():
    require_edit(department(OWNER_DEPARTMENT))
    form = CourseForm()
    if not form.validate_on_submit():
        return render(
            "budget/school.html", block="content", **_school_context(course_form=form)
        ), 422
    course = create_course(form.title.data, form.description.data, current_user.id)
    flash("과정을 만들었습니다. 회차를 추가하세요.", "success")
    return redirect(url_for("budget.school_course", course_id=course.id), code=303)


@bp.route("/school/courses/<id:course_id>", methods=["GET", "POST"])
def school_course(course_id: int):
    """Staff: a course's classes, a form to add one, links to each roster."""
    course = db.get_or_404(SchoolCourse, course_id)
    require_edit(course)
    form = ClassForm()
    if request.method == "GET":
        form.number.data = len(course.classes) + 1
    if form.validate_on_submit():
        add_class(
            course,
            number=form.number.data,
            starts_at=form.starts_at.data,
            place=form.place.data,
            capacity=form.capacity.data,
            actor_id=current_user.id,
        )
        flash("회차를 추가했습니다.", "success")
        return redirect(url_for("budget.school_course", course_id=course.id), code=303)
    return render(
        "budget/school_course.html", course=course, form=form, **_menu_ctx(SCHOOL_ITEM)
    ), (422 if form.errors else 200)


def _roster(school_class: SchoolClass) -> list[SchoolRegistration]:
    from sqlalchemy.orm import joinedload

    return list(
        db.session.scalars(
            select(SchoolRegistration)
            .options(joinedload(SchoolRegistration.user))
            .where(
                SchoolRegistration.class_id == school_class.id,
                SchoolRegistration.status != RegistrationStatus.CANCELLED,
            )
            .order_by(
                SchoolRegistration.status, SchoolRegistration.queued_at, SchoolRegistration.id
            )
        )
    )


@bp.route("/school/classes/<id:class_id>/roster")
@personal_data
def school_roster(class_id: int):
    school_class = db.get_or_404(SchoolClass, class_id)
    require_edit(school_class)
    return render(
        "budget/school_roster.html",
        school_class=school_class,
        rows=_roster(school_class),
        **_menu_ctx(SCHOOL_ITEM),
    )


@bp.route("/school/classes/<id:class_id>/roster.csv")
@personal_data
def school_roster_csv(class_id: int):
    school_class = db.get_or_404(SchoolClass, class_id)
    require_edit(school_class)
    text = csv_text(
        (
            [
                n,
                reg.status_label,
                reg.user.name,
                reg.user.email,
                dong_names().get(reg.user.dong or "", ""),
                clock.to_kst(reg.queued_at).strftime("%Y-%m-%d %H:%M"),
            ]
            for n, reg in enumerate(_roster(school_class), start=1)
        ),
        header=["순번", "상태", "이름", "이메일", "동", "신청 시각(KST)"],
    )
    note_roster_download(school_class, current_user.id)
    filename = f"school-class-{school_class.id}-roster.csv"
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
