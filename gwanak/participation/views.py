"""Web pages of the engine: a board's proposal pages (mounted in a menu blueprint) and
the comment actions shared by every discussion."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select

from gwanak.core import clock
from gwanak.core.extensions import db, limiter
from gwanak.core.htmx import is_htmx, render
from gwanak.core.menus import dong_names, menu
from gwanak.core.params import page_arg, parse_id
from gwanak.core.settings import SettingSpec, get_setting, register_setting
from gwanak.home.routes import home_section
from gwanak.participation import operations as ops
from gwanak.participation.boards import BoardSpec, board
from gwanak.participation.forms import CommentForm, EmptyForm, ProposalForm, ReportForm
from gwanak.participation.models import Comment, Discussion, Proposal, ProposalState
from gwanak.participation.queries import (
    SORTS,
    STATE_FILTERS,
    card_stats,
    effective_state,
    list_proposals,
    load_answers,
    load_comments,
    load_timeline,
)
from gwanak.participation.subjects import SubjectType, register_subject, subject_of

register_setting(
    SettingSpec("limits.proposals_per_hour", "계정당 시간당 제안 수 한도", 5, minimum=1)
)
register_setting(
    SettingSpec("limits.comments_per_minute", "계정당 분당 댓글 수 한도", 6, minimum=1)
)
register_setting(
    SettingSpec("limits.gonggam_per_minute", "계정당 분당 공감 수 한도", 30, minimum=1)
)
register_setting(
    SettingSpec("comments.per_page", "한 쪽에 보이는 댓글 수", 50, minimum=5, maximum=200)
)


def _user_key() -> str:
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return request.remote_addr or "anonymous"


def _limit(setting: str, unit: str):
    return limiter.limit(
        lambda: f"{get_setting(setting)} per {unit}", key_func=_user_key, methods=["POST"]
    )


# ---------------------------------------------------------------- subject: proposal


def _proposal_of(discussion: Discussion) -> Proposal:
    return db.session.scalar(select(Proposal).where(Proposal.discussion_id == discussion.id))


def _proposal_closed_reason(discussion: Discussion) -> str | None:
    proposal = _proposal_of(discussion)
    if proposal.hidden_at is not None:
        return "숨김 처리된 제안에는 댓글을 달 수 없습니다."
    if proposal.state == ProposalState.WITHDRAWN:
        return "철회된 제안에는 댓글을 달 수 없습니다."
    return None


register_subject(
    SubjectType(
        "proposal",
        title=lambda d: _proposal_of(d).title,
        url=lambda d: proposal_url(_proposal_of(d)),
        closed_reason=_proposal_closed_reason,
        author=lambda d: _proposal_of(d).author,
    )
)


def proposal_url(proposal: Proposal, **kwargs) -> str:
    return url_for(board(proposal.board).endpoint("detail"), pid=proposal.id, **kwargs)


def comments_context(
    discussion: Discussion, form: CommentForm | None = None, page: int | str | None = None
) -> dict:
    """What participation/_comments.html needs, for any subject."""
    if page is None:
        page = "last" if request.args.get("cpage") == "last" else page_arg("cpage")
    comment_page = load_comments(discussion.id, page, get_setting("comments.per_page"))
    return {
        "discussion": discussion,
        "comment_page": comment_page,
        "comments": comment_page.comments,
        "subject_url": subject_of(discussion).url(discussion),
        "comment_form": form or CommentForm(formdata=None),
        "closed_reason": subject_of(discussion).closed_reason(discussion),
        "empty_form": EmptyForm(formdata=None),
    }


# ---------------------------------------------------------------- board pages


def _get_proposal(spec: BoardSpec, pid: int) -> Proposal:
    proposal = db.session.get(Proposal, pid)
    if proposal is None or proposal.board != spec.slug:
        abort(404)
    return proposal


def register_board_views(bp: Blueprint, spec: BoardSpec) -> None:
    """Mount a board's pages at /<menu>/proposals…, endpoints <menu>.proposal_*."""
    the_menu = menu(spec.menu_slug)
    item = next((i for i in the_menu.items if i.slug == "proposals"), None)
    common = {"spec": spec, "menu": the_menu, "item": item}

    def proposal_list():
        args = request.args
        page = page_arg()
        filters = {
            "state": args.get("state") if args.get("state") in STATE_FILTERS else None,
            "category": args.get("category") if args.get("category") in spec.categories else None,
            "dong": args.get("dong") if args.get("dong") in dong_names() else None,
            "q": (args.get("q") or "").strip()[:50] or None,
            "sort": args.get("sort") if args.get("sort") in SORTS else "latest",
        }
        result = list_proposals(spec.slug, page=page, **filters)
        return render(
            "participation/proposal_list.html",
            block="results",
            result=result,
            filters=filters,
            stats=card_stats(spec.slug),
            sorts=SORTS,
            state_filters=STATE_FILTERS,
            now=clock.now(),
            effective_state=effective_state,
            **common,
        )

    def proposal_new():
        if not current_user.is_authenticated:
            abort(401)
        form = ProposalForm(spec)
        if form.validate_on_submit():
            try:
                proposal = ops.create_proposal(
                    spec,
                    current_user,
                    title=form.title.data,
                    body=form.body.data,
                    category=form.category.data,
                    dong=form.dong.data or None,
                    client_token=form.token.data or None,
                )
            except ops.ParticipationError as error:
                _attach(form, error)
            else:
                flash("제안을 등록했습니다. 이웃의 공감을 기다립니다.", "success")
                return redirect(proposal_url(proposal), code=303)
        status = 422 if form.errors or form.form_errors else 200
        if not current_user.is_resident:
            status = 403
            form.form_errors.append("주민 계정으로만 제안할 수 있습니다.")
        return render_template(
            "participation/proposal_form.html", form=form, proposal=None, **common
        ), status

    def proposal_detail(pid: int):
        proposal = _get_proposal(spec, pid)
        return render_template(
            "participation/proposal_detail.html", **_detail_context(spec, proposal), **common
        )

    def proposal_edit(pid: int):
        proposal = _get_proposal(spec, pid)
        if not current_user.is_authenticated:
            abort(401)
        if proposal.author_id != current_user.id:
            abort(403)
        form = ProposalForm(spec, obj=proposal if request.method == "GET" else None)
        if request.method == "GET":
            form.dong.data = proposal.dong or ""
        if form.validate_on_submit():
            try:
                ops.edit_proposal(
                    proposal,
                    current_user,
                    title=form.title.data,
                    body=form.body.data,
                    category=form.category.data,
                    dong=form.dong.data or None,
                )
            except ops.ParticipationError as error:
                if error.status == 409:
                    flash(error.message, "error")
                    return redirect(proposal_url(proposal), code=303)
                _attach(form, error)
            else:
                flash("제안을 고쳤습니다.", "success")
                return redirect(proposal_url(proposal), code=303)
        return render_template(
            "participation/proposal_form.html", form=form, proposal=proposal, **common
        ), (422 if form.errors or form.form_errors else 200)

    def proposal_withdraw(pid: int):
        proposal = _get_proposal(spec, pid)
        if not current_user.is_authenticated:
            abort(401)
        if not EmptyForm().validate_on_submit():
            abort(400)
        try:
            ops.withdraw_proposal(proposal, current_user)
        except ops.ParticipationError as error:
            if error.status == 403:
                abort(403)
            flash(error.message, "error")
        else:
            flash("제안을 철회했습니다.", "info")
        return redirect(proposal_url(proposal), code=303)

    def proposal_gonggam(pid: int):
        proposal = _get_proposal(spec, pid)
        if not EmptyForm().validate_on_submit():
            abort(400)
        error_message = None
        try:
            if request.form.get("action") == "take":
                ops.take_back_gonggam(proposal, current_user)
                message = "공감을 취소했습니다."
            else:
                result = ops.give_gonggam(proposal, current_user)
                message = "공감했습니다." + (
                    " 제안이 부서 검토로 넘어갔습니다." if result.moved_to_review else ""
                )
        except ops.ParticipationError as error:
            if error.status == 401 and not is_htmx():
                abort(401)
            error_message = error.message
            message = None
        db.session.refresh(proposal)
        if is_htmx():
            context = _detail_context(spec, proposal)
            context.update(
                gonggam_message=error_message or message, gonggam_error=bool(error_message)
            )
            status = 200 if not error_message else 409
            # The button is swapped in place; the counts above it follow out of band.
            html = render_template("participation/_gonggam.html", **context, **common)
            html += render_template("participation/_counts.html", oob=True, **context, **common)
            return html, status
        flash(error_message or message, "error" if error_message else "success")
        return redirect(proposal_url(proposal), code=303)

    def proposal_counts(pid: int):
        proposal = _get_proposal(spec, pid)
        context = _counts_context(spec, proposal)
        etag = "c-" + "-".join(
            str(v)
            for v in (
                proposal.gonggam_count,
                proposal.discussion.comment_count,
                proposal.discussion.commenter_count,
                context["state"],
                proposal.discussion.mayor_state,
                context["overdue"],
            )
        )
        if etag in request.if_none_match:
            response = Response(status=304)
        else:
            response = make_response(
                render_template("participation/_counts.html", **context, **common)
            )
        response.set_etag(etag)
        response.headers["Cache-Control"] = "no-cache"
        return response

    def proposal_report(pid: int):
        proposal = _get_proposal(spec, pid)
        return _report("proposal", proposal.id, proposal_url(proposal))

    # Rate limits are keyed by the view's name: give each board's views their own,
    # or every board would count against (and double) the same limit.
    for view in (proposal_new, proposal_gonggam):
        view.__name__ = view.__qualname__ = f"{spec.slug}_{view.__name__}"
    proposal_new = _limit("limits.proposals_per_hour", "hour")(proposal_new)
    proposal_gonggam = _limit("limits.gonggam_per_minute", "minute")(proposal_gonggam)

    views = [
        ("", "list", proposal_list, ["GET"]),
        ("/new", "new", proposal_new, ["GET", "POST"]),
        ("/<id:pid>", "detail", proposal_detail, ["GET"]),
        ("/<id:pid>/edit", "edit", proposal_edit, ["GET", "POST"]),
        ("/<id:pid>/withdraw", "withdraw", proposal_withdraw, ["POST"]),
        ("/<id:pid>/gonggam", "gonggam", proposal_gonggam, ["POST"]),
        ("/<id:pid>/counts", "counts", proposal_counts, ["GET"]),
        ("/<id:pid>/report", "report", proposal_report, ["POST"]),
    ]
    for rule, name, view, methods in views:
        bp.add_url_rule(
            f"/proposals{rule}", endpoint=f"proposal_{name}", view_func=view, methods=methods
        )


def _counts_context(spec: BoardSpec, proposal: Proposal) -> dict:
    now = clock.now()
    state = effective_state(proposal, now)
    return {
        "proposal": proposal,
        "state": state,
        "review_threshold": spec.review_threshold,
        "mayor_threshold": spec.mayor_threshold,
        "overdue": proposal.is_overdue(now),
        "now": now,
    }


def _detail_context(spec: BoardSpec, proposal: Proposal) -> dict:
    context = _counts_context(spec, proposal)
    discussion = proposal.discussion
    mine = current_user.is_authenticated and current_user.id == proposal.author_id
    context.update(
        answers=load_answers(discussion.id),
        timeline=load_timeline(discussion.id),
        given=ops.has_gonggam(proposal.id, current_user),
        mine=mine,
        editable=mine
        and proposal.state == ProposalState.GATHERING
        and proposal.gonggam_count == 0
        and discussion.comment_count == 0,
        report_form=ReportForm(formdata=None),
        **comments_context(discussion),
    )
    return context


def _attach(form, error: ops.ParticipationError) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def _report(target_type: str, target_id: int, back: str):
    if not current_user.is_authenticated:
        abort(401)
    form = ReportForm()
    if not form.validate_on_submit():
        flash(
            " ".join(e for errors in form.errors.values() for e in errors)
            or "신고 사유를 입력하세요.",
            "error",
        )
        return redirect(back, code=303)
    try:
        ops.report_item(target_type, target_id, current_user, form.reason.data)
    except ops.ParticipationError as error:
        flash(error.message, "error")
    else:
        flash("신고했습니다. 담당자가 확인합니다.", "success")
    return redirect(back, code=303)


# ---------------------------------------------------------------- comments (any subject)

bp = Blueprint("participation", __name__)


def _get_comment(cid: int) -> Comment:
    comment = db.session.get(Comment, cid)
    if comment is None:
        abort(404)
    return comment


def _comments_response(discussion: Discussion, form: CommentForm | None = None, status: int = 200):
    # After a change the thread shows its last page, where a new comment lands.
    html = render_template(
        "participation/_comments.html", **comments_context(discussion, form, "last")
    )
    return html, status


@bp.post("/discussions/<id:did>/comments")
@_limit("limits.comments_per_minute", "minute")
def comment_post(did: int):
    discussion = db.session.get(Discussion, did)
    if discussion is None:
        abort(404)
    subject = subject_of(discussion)
    back = subject.url(discussion)
    if not current_user.is_authenticated:
        abort(401)
    form = CommentForm()
    if form.validate_on_submit():
        parent_id = parse_id(form.parent_id.data)
        try:
            comment = ops.post_comment(
                discussion,
                current_user,
                form.body.data,
                parent_id=parent_id,
                client_token=form.token.data or None,
            )
        except ops.ParticipationError as error:
            if error.status == 404:
                abort(404)
            _attach(form, error)
        else:
            if is_htmx():
                db.session.refresh(discussion)
                return _comments_response(discussion)
            flash("댓글을 등록했습니다.", "success")
            return redirect(f"{back}?cpage=last#comment-{comment.id}", code=303)
    if is_htmx():
        return _comments_response(discussion, form, 422)
    # Without JS: show the subject's page again is costly to rebuild generically, so
    # the comment form page shows the message by the field, keeping what was typed.
    return render_template(
        "participation/comment_form.html", form=form, discussion=discussion, back=back, comment=None
    ), 422


@bp.route("/comments/<id:cid>/edit", methods=["GET", "POST"])
def comment_edit(cid: int):
    comment = _get_comment(cid)
    discussion = db.session.get(Discussion, comment.discussion_id)
    back = subject_of(discussion).url(discussion)
    if not current_user.is_authenticated:
        abort(401)
    if comment.author_id != current_user.id:
        abort(403)
    form = CommentForm(obj=comment if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            ops.edit_comment(comment, current_user, form.body.data)
        except ops.ParticipationError as error:
            _attach(form, error)
        else:
            flash("댓글을 고쳤습니다.", "success")
            return redirect(f"{back}#comment-{comment.id}", code=303)
    return render_template(
        "participation/comment_form.html",
        form=form,
        discussion=discussion,
        back=back,
        comment=comment,
    ), (422 if form.errors or form.form_errors else 200)


@bp.post("/comments/<id:cid>/delete")
def comment_delete(cid: int):
    comment = _get_comment(cid)
    discussion = db.session.get(Discussion, comment.discussion_id)
    back = subject_of(discussion).url(discussion)
    if not current_user.is_authenticated:
        abort(401)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        ops.delete_comment(comment, current_user)
    except ops.ParticipationError as error:
        if error.status == 403:
            abort(403)
        flash(error.message, "error")
    else:
        if is_htmx():
            db.session.refresh(discussion)
            return _comments_response(discussion)
        flash("댓글을 삭제했습니다.", "info")
    return redirect(f"{back}#comments", code=303)


@bp.post("/comments/<id:cid>/report")
def comment_report(cid: int):
    comment = _get_comment(cid)
    discussion = db.session.get(Discussion, comment.discussion_id)
    return _report(
        "comment", comment.id, subject_of(discussion).url(discussion) + f"#comment-{cid}"
    )


@home_section
def latest_proposals_section():
    """Home page: proposals that are gathering 공감 or under review now."""
    now = clock.now()
    rows = db.session.scalars(
        select(Proposal)
        .where(
            Proposal.board == "policy",
            Proposal.hidden_at.is_(None),
            ((Proposal.state == ProposalState.GATHERING) & (Proposal.gathering_ends_at > now))
            | (Proposal.state == ProposalState.REVIEW),
        )
        .order_by(Proposal.id.desc())
        .limit(5)
    ).all()
    return "participation/_home_section.html", {"proposals": rows, "spec": board("policy")}
