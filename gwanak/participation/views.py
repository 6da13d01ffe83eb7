"""Web pages of the engine: a board's proposal pages (a route table, mounted on a menu's
blueprint by `mount_board`) and the comment actions shared by every discussion."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    g,
    has_request_context,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import inspect, select

from gwanak.accounts.verification import level_refusal
from gwanak.core import clock
from gwanak.core.confirm import ask_before_deleting
from gwanak.core.extensions import db, limiter
from gwanak.core.htmx import announce, is_htmx, render
from gwanak.core.masking import mask_personal_data
from gwanak.core.menus import dong_names, menu
from gwanak.core.operations import OperationError, show_on_form
from gwanak.core.params import id_arg, page_arg, parse_id
from gwanak.core.permissions import may_edit
from gwanak.core.settings import SettingSpec, get_setting
from gwanak.participation import operations as ops
from gwanak.participation.boards import BoardRoute, BoardSpec, ListScope, board, board_of_menu
from gwanak.participation.forms import CommentForm, EmptyForm, ProposalForm, ReportForm
from gwanak.participation.models import (
    Comment,
    Discussion,
    Proposal,
    ProposalState,
    SubjectKind,
)
from gwanak.participation.queries import (
    SORTS,
    STATE_FILTERS,
    card_stats,
    comment_page_number,
    effective_state,
    list_proposals,
    load_answers,
    load_comments,
    load_progress,
    load_timeline,
)
from gwanak.participation.subjects import SubjectType, subject_of

# Rules as data: installed by this feature (Feature.settings).
SETTINGS = (
    SettingSpec("limits.proposals_per_hour", "계정당 시간당 제안 수 한도", 5, minimum=1),
    SettingSpec("limits.comments_per_minute", "계정당 분당 댓글 수 한도", 6, minimum=1),
    SettingSpec("limits.gonggam_per_minute", "계정당 분당 공감 수 한도", 30, minimum=1),
    # 20 keeps the busiest discussions' pages light (issue 14: ≤3× bare, HTML < 40 KB).
    SettingSpec("comments.per_page", "한 쪽에 보이는 댓글 수", 20, minimum=5, maximum=200),
    # A comment shows its first replies; a link opens the rest on the same page.
    SettingSpec("comments.replies_shown", "댓글마다 먼저 보이는 답글 수", 2, minimum=1, maximum=50),
    # The staff view of 공감 bursts from new accounts (staff_views.bursts).
    SettingSpec(
        "participation.burst_accounts",
        "공감 몰림으로 보는 새 계정 수 (한 제안, 한 시간대)",
        5,
        minimum=2,
    ),
    SettingSpec(
        "participation.burst_window_minutes", "공감 몰림을 세는 시간 폭(분)", 60, minimum=1
    ),
    SettingSpec(
        "participation.burst_new_account_hours",
        "공감 전 몇 시간 안에 만든 계정을 새 계정으로 볼지",
        24,
        minimum=1,
    ),
    SettingSpec("participation.burst_days", "공감 몰림을 찾는 기간(최근 며칠)", 30, minimum=1),
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
    # A request asks several times (title, link, closed?); the page that shows the
    # thread has usually loaded the proposal already.
    known = g.setdefault("proposal_of_discussion", {}) if has_request_context() else {}
    if discussion.id in known:
        return known[discussion.id]
    for row in db.session.identity_map.values():
        if isinstance(row, Proposal) and row.discussion_id == discussion.id:
            known[discussion.id] = row
            return row
    found = db.session.scalar(select(Proposal).where(Proposal.discussion_id == discussion.id))
    known[discussion.id] = found
    return found


def _proposal_closed_reason(discussion: Discussion) -> str | None:
    proposal = _proposal_of(discussion)
    if proposal.hidden_at is not None:
        return "숨김 처리된 제안에는 댓글을 달 수 없습니다."
    if proposal.state == ProposalState.WITHDRAWN:
        return "철회된 제안에는 댓글을 달 수 없습니다."
    return None


PROPOSAL_SUBJECT = SubjectType(
    SubjectKind.PROPOSAL,
    title=lambda d: _proposal_of(d).title,
    url=lambda d: proposal_url(_proposal_of(d)),
    closed_reason=_proposal_closed_reason,
    author=lambda d: _proposal_of(d).author,
)


def proposal_url(proposal: Proposal | ops.GonggamTarget, **kwargs) -> str:
    return url_for(board(proposal.board).endpoint("detail"), pid=proposal.id, **kwargs)


def comments_context(
    discussion: Discussion,
    form: CommentForm | None = None,
    page: int | str | None = None,
    thread: int | None = None,
) -> dict:
    """What participation/_comments.html needs, for any subject. `thread` (or
    ?thread=): the comment whose replies are all shown."""
    if page is None:
        page = "last" if request.args.get("cpage") == "last" else page_arg("cpage")
        thread = id_arg("thread")
    comment_page = load_comments(
        discussion.id,
        page,
        get_setting("comments.per_page"),
        get_setting("comments.replies_shown"),
        thread,
    )
    return {
        "discussion": discussion,
        "comment_page": comment_page,
        "comments": comment_page.comments,
        "subject_url": subject_of(discussion).url(discussion),
        "comment_form": form or CommentForm(formdata=None),
        "closed_reason": subject_of(discussion).closed_reason(discussion),
        "empty_form": EmptyForm(formdata=None),
        **follow_context(discussion),
    }


def follow_context(discussion: Discussion) -> dict:
    """What participation/_follow.html needs, for any subject."""
    return {
        "discussion": discussion,
        "following": ops.is_following(discussion.id, current_user),
        "empty_form": EmptyForm(formdata=None),
    }


# ---------------------------------------------------------------- board pages


class BoardExtension:
    """What a board adds to the engine's shared pages.

    The defaults are the engine's own behaviour. A board with more to say (the budget
    board: rounds, phases, votes) subclasses this, overrides the hooks it needs and
    sets `BoardSpec.extension`; its own actions are extra `BoardRoute`s given to
    `mount_board`. The engine's templates include the board's templates named here.
    """

    # Templates included at fixed places of the engine's pages; None adds nothing.
    list_intro: str | None = None  # above the filters, instead of the thresholds and figures
    list_filters: str | None = None  # more fields in the list's filter form
    list_item: str | None = None  # more lines in each row of the list
    form_fields: str | None = None  # more fields in the proposal form
    detail_panel: str | None = None  # below the proposal's body
    created_message = "제안을 등록했습니다. 이웃의 공감을 기다립니다."

    def list_scope(self, spec: BoardSpec, args) -> ListScope:
        """More conditions, another order and context for the list (from the query string)."""
        return ListScope()

    def list_rows(self, proposals: list[Proposal]) -> dict:
        """Context about the rows of one page of the list (one query, not one per row)."""
        return {}

    def closed_reason(self) -> str | None:
        """Why the board takes no new proposal now (answered 409), or None."""
        return None

    def form(self, spec: BoardSpec, proposal: Proposal | None = None) -> ProposalForm:
        """The proposal form; on GET for an edit, filled from the proposal."""
        if proposal is None or request.method != "GET":
            return ProposalForm(spec)
        form = ProposalForm(spec, obj=proposal)
        form.dong.data = proposal.dong or ""
        return form

    def create(self, spec: BoardSpec, user, form) -> Proposal:
        token = form.token.data or None
        return ops.create_proposal(spec, user, **proposal_fields(form), client_token=token)

    def edit(self, proposal: Proposal, user, form) -> None:
        ops.edit_proposal(proposal, user, **proposal_fields(form))

    def withdraw(self, proposal: Proposal, user) -> None:
        ops.withdraw_proposal(proposal, user)

    def detail_context(self, proposal: Proposal, context: dict) -> dict:
        """More context for the detail page, given the engine's; may narrow `editable`
        and `withdrawable`."""
        return {}


ENGINE_PAGES = BoardExtension()


def proposal_fields(form) -> dict:
    """The proposal form's fields as the engine's operations take them."""
    return {
        "title": form.title.data,
        "body": form.body.data,
        "category": form.category.data,
        "dong": form.dong.data or None,
    }


def extension_of(spec: BoardSpec) -> BoardExtension:
    return spec.extension or ENGINE_PAGES


def current_board() -> BoardSpec:
    """The board whose page this request is: the one its menu's blueprint serves."""
    return board_of_menu(request.blueprint)


def _page_context(spec: BoardSpec) -> dict:
    the_menu = menu(spec.menu_slug)
    item = next((i for i in the_menu.items if i.slug == "proposals"), None)
    return {"spec": spec, "extension": extension_of(spec), "menu": the_menu, "item": item}


def _get_proposal(spec: BoardSpec, pid: int) -> Proposal:
    proposal = db.session.get(Proposal, pid)
    if proposal is None or proposal.board != spec.slug:
        abort(404)
    return proposal


def _signed_in() -> None:
    if not current_user.is_authenticated:
        abort(401)


def _form_status(form) -> int:
    return 422 if form.errors or form.form_errors else 200


def _list_filters(spec: BoardSpec, args) -> dict:
    """The engine's filters from the query string; unknown values are ignored."""
    return {
        "state": args.get("state") if args.get("state") in STATE_FILTERS else None,
        "category": args.get("category") if args.get("category") in spec.categories else None,
        "dong": args.get("dong") if args.get("dong") in dong_names() else None,
        "q": (args.get("q") or "").strip()[:50] or None,
        "sort": args.get("sort") if args.get("sort") in SORTS else "latest",
    }


def proposal_list():
    spec = current_board()
    extension = extension_of(spec)
    filters = _list_filters(spec, request.args)
    scope = extension.list_scope(spec, request.args)
    # The engine's figures sit in the intro a board may replace. Unfiltered, their
    # total is the list's own: one count instead of two.
    stats = card_stats(spec.slug) if extension.list_intro is None else None
    unfiltered = not scope.where and not any(v for k, v in filters.items() if k != "sort")
    result = list_proposals(
        spec.slug,
        page=page_arg(),
        where=scope.where,
        order=scope.order,
        total=stats.total if stats is not None and unfiltered else None,
        **filters,
    )
    return render(
        "participation/proposal_list.html",
        block="results",
        result=result,
        filters=filters,
        stats=stats,
        sorts=SORTS,
        state_filters=STATE_FILTERS,
        now=clock.now(),
        effective_state=effective_state,
        **scope.context,
        **extension.list_rows(result.items),
        **_page_context(spec),
    )


def _refusal_to_propose(extension: BoardExtension) -> tuple[str, int] | None:
    closed = extension.closed_reason()
    if closed:
        return closed, 409
    if not current_user.is_resident:
        return "주민 계정으로만 제안할 수 있습니다.", 403
    refusal = level_refusal(current_user, max(1, current_board().participation_level))
    if refusal:
        return refusal, 403
    return None


def _form_page(spec: BoardSpec, form, proposal: Proposal | None, status: int | None = None):
    html = render_template(
        "participation/proposal_form.html", form=form, proposal=proposal, **_page_context(spec)
    )
    return html, status or _form_status(form)


# Rate limits are counted per endpoint (policy.proposal_new, budget.proposal_new, …):
# each board keeps its own count although the boards share the view.
@_limit("limits.proposals_per_hour", "hour")
def proposal_new():
    spec = current_board()
    _signed_in()
    extension = extension_of(spec)
    form = extension.form(spec)
    refusal = _refusal_to_propose(extension)
    if refusal is not None:
        form.form_errors.append(refusal[0])
        return _form_page(spec, form, None, refusal[1])
    if form.validate_on_submit():
        try:
            proposal = extension.create(spec, current_user, form)
        except OperationError as error:
            show_on_form(form, error)
        else:
            flash(extension.created_message, "success")
            return redirect(proposal_url(proposal), code=303)
    return _form_page(spec, form, None)


def proposal_detail(pid: int):
    spec = current_board()
    return proposal_page(spec, _get_proposal(spec, pid))


def proposal_page(spec: BoardSpec, proposal: Proposal, status: int = 200, **overrides):
    """The detail page; a board's own actions render it again with their messages."""
    context = _detail_context(spec, proposal) | _page_context(spec) | overrides
    return render_template("participation/proposal_detail.html", **context), status


def proposal_edit(pid: int):
    spec = current_board()
    proposal = _get_proposal(spec, pid)
    _signed_in()
    if proposal.author_id != current_user.id:
        abort(403)
    extension = extension_of(spec)
    form = extension.form(spec, proposal)
    if form.validate_on_submit():
        try:
            extension.edit(proposal, current_user, form)
        except OperationError as error:
            if error.status != 409:
                show_on_form(form, error)
                return _form_page(spec, form, proposal)
            flash(error.message, "error")
        else:
            flash("제안을 고쳤습니다.", "success")
        return redirect(proposal_url(proposal), code=303)
    return _form_page(spec, form, proposal)


def proposal_withdraw(pid: int):
    spec = current_board()
    proposal = _get_proposal(spec, pid)
    _signed_in()
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        extension_of(spec).withdraw(proposal, current_user)
    except OperationError as error:
        if error.status == 403:
            abort(403)
        flash(error.message, "error")
    else:
        flash("제안을 철회했습니다.", "info")
    return redirect(proposal_url(proposal), code=303)


def _toggle_gonggam(proposal: ops.GonggamTarget) -> tuple[str, bool]:
    """Give or take back 공감 as the form asks: (message, whether it was refused)."""
    try:
        if request.form.get("action") == "take":
            ops.take_back_gonggam(proposal, current_user)
            return "공감을 취소했습니다.", False
        result = ops.give_gonggam(proposal, current_user)
    except OperationError as error:
        if error.status == 401 and not is_htmx():
            abort(401)
        return error.message, True
    moved = " 제안이 부서 검토로 넘어갔습니다." if result.moved_to_review else ""
    return "공감했습니다." + moved, False


@_limit("limits.gonggam_per_minute", "minute")
def proposal_gonggam(pid: int):
    spec = current_board()
    # The busiest write reads three columns of the proposal; the fragment, the rest.
    target = ops.gonggam_target(pid)
    if target is None or target.board != spec.slug:
        abort(404)
    # No EmptyForm here: CSRFProtect has checked this POST's token before the view ran.
    message, refused = _toggle_gonggam(target)
    if not is_htmx():
        flash(message, "error" if refused else "success")
        return redirect(proposal_url(target), code=303)
    proposal = _get_proposal(spec, pid)
    context = _detail_context(spec, proposal) | _page_context(spec)
    context.update(gonggam_message=message, gonggam_error=refused)
    # The button is swapped in place (its id keeps the focus on it); the counts
    # above it change inside their live region, out of band, and so does #announce.
    html = render_template("participation/_gonggam.html", **context)
    html += render_template("participation/_counts_oob.html", **context)
    html += announce(message)
    return html, 409 if refused else 200


def proposal_counts(pid: int):
    spec = current_board()
    proposal = _get_proposal(spec, pid)
    context = _counts_context(spec, proposal)
    etag = context["counts_version"]
    if etag in request.if_none_match:
        response = Response(status=304)
    elif request.args.get("seen") == etag:
        # The poller already shows these counts: nothing to swap, nothing to announce.
        response = Response(status=204)
    else:
        response = make_response(
            render_template("participation/_counts_body.html", **context, **_page_context(spec))
        )
    response.set_etag(etag)
    response.headers["Cache-Control"] = "no-cache"
    return response


def proposal_report(pid: int):
    proposal = _get_proposal(current_board(), pid)
    return _report("proposal", proposal.id, proposal_url(proposal))


BOARD_ROUTES = (
    BoardRoute("", "proposal_list", proposal_list),
    BoardRoute("/new", "proposal_new", proposal_new, ("GET", "POST")),
    BoardRoute("/<id:pid>", "proposal_detail", proposal_detail),
    BoardRoute("/<id:pid>/edit", "proposal_edit", proposal_edit, ("GET", "POST")),
    BoardRoute("/<id:pid>/withdraw", "proposal_withdraw", proposal_withdraw, ("POST",)),
    BoardRoute("/<id:pid>/gonggam", "proposal_gonggam", proposal_gonggam, ("POST",)),
    BoardRoute("/<id:pid>/counts", "proposal_counts", proposal_counts),
    BoardRoute("/<id:pid>/report", "proposal_report", proposal_report, ("POST",)),
)


def mount_board(bp: Blueprint, spec: BoardSpec, extra: tuple[BoardRoute, ...] = ()) -> None:
    """Mount a board's pages on its menu's blueprint at /<menu>/proposals…: the
    engine's `BOARD_ROUTES`, then the board's own `extra` routes."""
    if bp.name != spec.menu_slug:
        raise ValueError(f"board {spec.slug!r} belongs on the {spec.menu_slug!r} blueprint")
    for route in (*BOARD_ROUTES, *extra):
        bp.add_url_rule(
            "/proposals" + route.rule, route.endpoint, route.view, methods=list(route.methods)
        )


def _counts_context(spec: BoardSpec, proposal: Proposal) -> dict:
    now = clock.now()
    state = effective_state(proposal, now)
    overdue = proposal.is_overdue(now)
    discussion = proposal.discussion
    parts = (
        proposal.gonggam_count,
        discussion.comment_count,
        discussion.commenter_count,
        state,
        discussion.mayor_state or "-",
        int(overdue),
    )
    return {
        "proposal": proposal,
        "state": state,
        "review_threshold": spec.review_threshold,
        "mayor_threshold": spec.mayor_threshold,
        "overdue": overdue,
        "now": now,
        # Changes whenever anything #counts shows changes: its ETag and poll version.
        "counts_version": "c-" + "-".join(str(part) for part in parts),
    }


HIDDEN_TITLE = "숨김 처리된 제안"


def shown_title(proposal: Proposal) -> str:
    """The title as this viewer may see it: masked, and for a hidden proposal a stand-in
    unless the viewer is its author or may moderate it."""
    if proposal.hidden_at is not None:
        mine = current_user.is_authenticated and current_user.id == proposal.author_id
        if not (mine or may_edit(current_user, proposal)):
            return HIDDEN_TITLE
    return mask_personal_data(proposal.title)


def _detail_context(spec: BoardSpec, proposal: Proposal) -> dict:
    context = _counts_context(spec, proposal)
    discussion = proposal.discussion
    mine = current_user.is_authenticated and current_user.id == proposal.author_id
    gathering = mine and proposal.state == ProposalState.GATHERING
    context.update(
        shown_title=shown_title(proposal),
        answers=load_answers(discussion.id),
        progress_updates=load_progress(proposal.id) if proposal.outcome else [],
        timeline=load_timeline(discussion.id),
        given=ops.has_gonggam(proposal.id, current_user),
        mine=mine,
        editable=gathering and proposal.gonggam_count == 0 and discussion.comment_count == 0,
        withdrawable=gathering,
        may_answer=may_edit(current_user, proposal),
        report_form=ReportForm(formdata=None),
        **comments_context(discussion),
    )
    context.update(extension_of(spec).detail_context(proposal, context))
    return context


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
    except OperationError as error:
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


def _comments_response(
    discussion: Discussion,
    message: str,
    form: CommentForm | None = None,
    status: int = 200,
    landing: tuple[int | str, int | None] = ("last", None),
):
    # After a change the thread shows its last page, where a new comment lands (or
    # where a reply landed: `landing`); the page's live region says what happened.
    page, thread = landing
    html = render_template(
        "participation/_comments.html", **comments_context(discussion, form, page, thread)
    )
    return html + announce(message), status


def _reply_landing(parent_id: int) -> tuple[int, int]:
    """Where a new reply shows: its thread's page, with all the thread's replies. A
    reply to a reply joins the thread of the top-level comment (one level of replies)."""
    parent = db.session.get(Comment, parent_id)
    if parent.parent_id is not None:
        parent = db.session.get(Comment, parent.parent_id)
    return comment_page_number(parent, get_setting("comments.per_page")), parent.id


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
        except OperationError as error:
            if error.status == 404:
                abort(404)
            show_on_form(form, error)
        else:
            landing = _reply_landing(parent_id) if parent_id else ("last", None)
            if is_htmx():
                db.session.refresh(discussion)
                message = "답글을 등록했습니다." if parent_id else "댓글을 등록했습니다."
                return _comments_response(discussion, message, landing=landing)
            flash("댓글을 등록했습니다.", "success")
            # The id from the row's identity: reading comment.id would reload the row.
            comment_id = inspect(comment).identity[0]
            page, thread = landing
            where = f"cpage={page}" + (f"&thread={thread}" if thread else "")
            return redirect(f"{back}?{where}#comment-{comment_id}", code=303)
    if is_htmx():
        errors = " ".join(e for field_errors in form.errors.values() for e in field_errors)
        message = "댓글을 등록하지 못했습니다. " + (errors or " ".join(form.form_errors))
        return _comments_response(discussion, message, form, 422)
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
        except OperationError as error:
            show_on_form(form, error)
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


@bp.route("/comments/<id:cid>/delete", methods=["GET", "POST"])
def comment_delete(cid: int):
    comment = _get_comment(cid)
    discussion = db.session.get(Discussion, comment.discussion_id)
    back = subject_of(discussion).url(discussion)
    if not current_user.is_authenticated:
        abort(401)
    if request.method == "GET":
        if comment.author_id != current_user.id:
            abort(403)
        return ask_before_deleting(
            f"내 댓글 「{_excerpt(comment.body)}」을 삭제합니다.", f"{back}#comment-{comment.id}"
        )
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        ops.delete_comment(comment, current_user)
    except OperationError as error:
        if error.status == 403:
            abort(403)
        flash(error.message, "error")
    else:
        if is_htmx():
            db.session.refresh(discussion)
            return _comments_response(discussion, "댓글을 삭제했습니다.")
        flash("댓글을 삭제했습니다.", "info")
    return redirect(f"{back}#comments", code=303)


def _excerpt(text: str, length: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


@bp.post("/comments/<id:cid>/report")
def comment_report(cid: int):
    comment = _get_comment(cid)
    discussion = db.session.get(Discussion, comment.discussion_id)
    return _report(
        "comment", comment.id, subject_of(discussion).url(discussion) + f"#comment-{cid}"
    )


def open_proposals_section(spec: BoardSpec) -> tuple[str, dict]:
    """A home-page section (a board's feature lists it): the latest proposals of the board
    that are gathering 공감 or under review now."""
    now = clock.now()
    rows = db.session.scalars(
        select(Proposal)
        .where(
            Proposal.board == spec.slug,
            Proposal.hidden_at.is_(None),
            ((Proposal.state == ProposalState.GATHERING) & (Proposal.gathering_ends_at > now))
            | (Proposal.state == ProposalState.REVIEW),
        )
        .order_by(Proposal.id.desc())
        .limit(5)
    ).all()
    return "participation/_home_section.html", {"proposals": rows, "spec": spec}
