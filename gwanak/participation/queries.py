"""Reading the engine's data: lists, detail, statistics. Bounded query counts."""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache

from flask import current_app
from sqlalchemy import Integer, and_, bindparam, case, func, literal, or_, select, union_all
from sqlalchemy.orm import selectinload

from gwanak.accounts.models import User
from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.core.search_index import SearchGram, holding, holding_all, is_exact
from gwanak.core.text_search import SearchTerm, search_branch, search_columns
from gwanak.participation.boards import boards
from gwanak.participation.models import (
    Answer,
    Comment,
    Discussion,
    Outcome,
    ProgressUpdate,
    Proposal,
    ProposalState,
    Report,
    TimelineEvent,
    search_kind,
)

PER_PAGE = 20
SORTS = {"latest": "최신순", "gonggam": "공감순", "comments": "댓글순"}
STATE_FILTERS = {
    "gathering": "공감 모집",
    "review": "부서 검토",
    "overdue": "답변 기한 초과",
    "answered": "답변 완료",
    "expired": "기간 만료",
    "mayor": "구청장 답변 대상",
}


@dataclass
class ProposalPage:
    items: list[Proposal]
    total: int
    page: int
    per_page: int

    @property
    def has_next(self) -> bool:
        return self.page * self.per_page < self.total

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def list_proposals(
    board: str,
    *,
    state: str | None = None,
    category: str | None = None,
    dong: str | None = None,
    q: str | None = None,
    sort: str = "latest",
    page: int = 1,
    per_page: int = PER_PAGE,
    where: Sequence = (),
    order: Sequence | None = None,
    total: int | None = None,
) -> ProposalPage:
    """Visible proposals of a board: two queries whatever the page size.

    `where` and `order` are a board's own (BoardExtension.list_scope): more conditions
    on Proposal, and an order that replaces `sort`'s. `total`: the caller has counted
    the same proposals already (the card's figures of an unfiltered list)."""
    now = clock.now()
    given_total = total
    by_comments = sort == "comments"
    # Sorting by comments is driven by the discussions' comment_count index; an
    # expression on `board` keeps SQLite from picking a proposals index and sorting.
    on_board = Proposal.board.concat("") == board if by_comments else Proposal.board == board
    conditions = [on_board, Proposal.hidden_at.is_(None), *_state_conditions(state, now)]
    needs_discussion = by_comments or state == "mayor"
    if category:
        conditions.append(Proposal.category == category)
    if dong:
        conditions.append(Proposal.dong == dong)
    term = (q or "").strip()[:50]
    if term:
        conditions.append(_search_condition(board, SearchTerm(term)))
    conditions.extend(where)
    sorted_by = {
        "gonggam": (Proposal.gonggam_count.desc(), Proposal.id.desc()),
        # Discussion.id as the tie-break lets the comment_count index drive the query.
        "comments": (Discussion.comment_count.desc(), Discussion.id.desc()),
    }.get(sort, (Proposal.id.desc(),))

    def restrict(query, for_count: bool = False):
        if needs_discussion and not (for_count and state != "mayor"):
            query = query.join(Discussion, Discussion.id == Proposal.discussion_id)
        if for_count and by_comments:  # counting needs no order: let it use the index
            return query.where(Proposal.board == board, *conditions[1:])
        return query.where(*conditions)

    # A word alone (no other filter) is answered by the index itself: it holds only
    # the proposals a list can show, so neither the count nor the newest page reads
    # the proposals table.
    word_only = is_exact(term) and not (state or category or dong or where)
    if word_only:
        holders = holding(search_kind(board), term.casefold())
        if total is None:
            total = db.session.scalar(select(func.count()).select_from(holders.subquery()))
    elif total is None:
        total = db.session.scalar(restrict(select(func.count(Proposal.id)), for_count=True))
    # A deferred join: find the page's ids on narrow covering indexes, then load
    # only those rows, so deep pages do not read thousands of full rows.
    if word_only and sort == "latest" and order is None:
        query = holders.order_by(SearchGram.item_id.desc())
    else:
        query = restrict(select(Proposal.id)).order_by(*(order or sorted_by))
    ids = (
        db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).all()
        if total or given_total is not None  # a kept total may be behind: read anyway
        else []
    )
    rows = (
        {p.id: p for p in db.session.scalars(select(Proposal).where(Proposal.id.in_(ids)))}
        if ids
        else {}
    )
    items = [rows[i] for i in ids]
    return ProposalPage(list(items), total or 0, page, per_page)


def search_hits(key: str, board: str, term: SearchTerm):
    """통합 검색's branch for a board: what `list_proposals(board, q=term)` shows first
    (newest first), with its total, in core/text_search.py's shared columns: the
    list's own search condition, on the term's bound parameters."""
    columns = {
        "id": Proposal.id,
        "title": Proposal.title,
        "body": Proposal.body,
        "ref": Proposal.board,
        "at": Proposal.created_at,
    }
    if not term.exact:
        conditions = (
            Proposal.board == board,
            Proposal.hidden_at.is_(None),
            *_state_conditions(None, clock.now()),  # no filter: no time in it
            _search_condition(board, term),
        )
        return search_branch(key, conditions, (Proposal.id.desc(),), term.limit, **columns)
    # A word alone: the index holds only the proposals a list shows, so it gives the
    # total and the page's ids; only those few rows are read.
    holders = holding(search_kind(board), term.grams[0])
    newest = SearchGram.item_id.desc()
    page = (
        holders.add_columns(func.row_number().over(order_by=newest).label("pos"))
        .order_by(newest)
        .limit(term.limit)
        .subquery()
    )
    total = select(func.count()).select_from(holders.subquery()).scalar_subquery()
    return select(*search_columns(key, **columns), page.c.pos, total.label("total")).join_from(
        page, Proposal, Proposal.id == page.c.item_id
    )


def _state_conditions(state: str | None, now: datetime) -> list:
    """The list's state filter as conditions (none chosen: all but withdrawn)."""
    if state == "gathering":
        return [Proposal.state == ProposalState.GATHERING, Proposal.gathering_ends_at > now]
    if state == "expired":
        return [
            or_(
                Proposal.state == ProposalState.EXPIRED,
                (Proposal.state == ProposalState.GATHERING) & (Proposal.gathering_ends_at <= now),
            )
        ]
    if state == "overdue":
        return [Proposal.state == ProposalState.REVIEW, Proposal.answer_due_at < now]
    if state == "mayor":
        return [Discussion.mayor_state.is_not(None)]
    if state in ("review", "answered"):
        return [Proposal.state == state]
    return [Proposal.state != ProposalState.WITHDRAWN]


def _search_condition(board: str, term: SearchTerm):
    """Title or body contains the term, for Korean words and parts of words: the list's
    ?q= and 통합 검색 alike.

    The bigram index (core/search_index.py) narrows to the proposals holding the
    term's bigrams: for a two-character word (교통) that is the answer; a longer term
    is confirmed with LIKE on those candidates. A one-character term scans."""
    like = term.contains(Proposal.title, Proposal.body)
    if not term.grams:
        return like
    found = holding_all(search_kind(board), term.grams, Proposal.id)
    return found if term.exact else and_(found, like)


def effective_state(proposal: Proposal, now: datetime | None = None) -> str:
    """The state a resident should see: a gathering proposal past its period is expired
    even before the scheduled job has closed it."""
    now = now or clock.now()
    if (
        proposal.state == ProposalState.GATHERING
        and proposal.gathering_ends_at <= now
        and boards()[proposal.board].review_by_gonggam
    ):
        return ProposalState.EXPIRED
    return proposal.state


@dataclass
class CommentView:
    """What the comment list shows of a comment, read as columns (no entities)."""

    id: int
    parent_id: int | None
    author_id: int
    body: str
    created_at: datetime
    edited_at: datetime | None
    deleted_at: datetime | None
    hidden_at: datetime | None
    hidden_reason: str | None
    author_name: str
    reply_count: int = 0  # all its replies, shown or not
    replies: list[CommentView] = field(default_factory=list)


@dataclass
class CommentPage:
    comments: list[CommentView]  # top-level, each with the replies shown
    total: int  # top-level comments
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@cache
def _comment_statements():
    """The comment list's two statements, built once: their values are bound parameters
    (building them cost more than running them). Both read ix_comments_thread: the
    count and the page's ids from the index alone, then the page's comments by id and
    their replies by parent."""
    top_level = (Comment.discussion_id == bindparam("discussion"), Comment.parent_id.is_(None))
    count = select(func.count()).where(*top_level)
    on_page = (
        select(Comment.id)
        .where(*top_level)
        .order_by(Comment.id)
        .limit(bindparam("per_page"))
        .offset(bindparam("skip"))
        .scalar_subquery()
    )
    fields = ("id", "parent_id", "author_id", "body", "created_at", "edited_at")
    fields += ("deleted_at", "hidden_at", "hidden_reason")
    tops = (
        select(
            *(getattr(Comment, f) for f in fields),
            User.name.label("author_name"),
            literal(0, Integer).label("replies"),
        )
        .join(User, User.id == Comment.author_id)
        .where(Comment.id.in_(on_page))
    )
    ranked = (
        select(
            *(getattr(Comment, f) for f in fields),
            func.row_number().over(partition_by=Comment.parent_id, order_by=Comment.id).label("n"),
            func.count().over(partition_by=Comment.parent_id).label("replies"),
        )
        .where(Comment.discussion_id == bindparam("discussion"), Comment.parent_id.in_(on_page))
        .subquery()
    )
    replies = (
        select(
            *(ranked.c[f] for f in fields),
            User.name.label("author_name"),
            ranked.c.replies,
        )
        .join(User, User.id == ranked.c.author_id)
        .where(
            or_(ranked.c.n <= bindparam("replies_shown"), ranked.c.parent_id == bindparam("thread"))
        )
    )
    return count, union_all(tops, replies)


def load_comments(
    discussion_id: int,
    page: int | str = 1,
    per_page: int = 20,
    replies_shown: int = 2,
    thread: int | None = None,
) -> CommentPage:
    """One page of top-level comments, each with its first `replies_shown` replies (all
    of them for the comment `thread`) and how many it has: two queries.

    `page` may be "last" (where a new comment lands). Pages and the bound on replies
    keep long threads within the page-weight budget; the page links to the rest."""
    count, page_rows = _comment_statements()
    total = db.session.scalar(count, {"discussion": discussion_id}) or 0
    pages = max(1, -(-total // per_page))
    number = pages if page == "last" else min(max(int(page), 1), pages)
    if not total:
        return CommentPage([], 0, number, per_page)
    rows = db.session.execute(
        page_rows,
        {
            "discussion": discussion_id,
            "per_page": per_page,
            "skip": (number - 1) * per_page,
            "replies_shown": replies_shown,
            "thread": thread or 0,
        },
    ).all()
    top: dict[int, CommentView] = {}
    # Oldest first: a comment comes before its replies (a reply is always newer).
    for row in sorted(rows, key=lambda row: row.id):
        comment = CommentView(*row[:-1])  # its fields, in order, then the reply count
        if comment.parent_id is None:
            top[comment.id] = comment
        else:
            parent = top[comment.parent_id]
            parent.replies.append(comment)
            parent.reply_count = row.replies
    return CommentPage(list(top.values()), total, number, per_page)


def comment_page_number(comment: Comment, per_page: int) -> int:
    """The page of the comment list showing a top-level comment."""
    before = db.session.scalar(
        select(func.count()).where(
            Comment.discussion_id == comment.discussion_id,
            Comment.parent_id.is_(None),
            Comment.id <= comment.id,
        )
    )
    return max(1, -(-(before or 0) // per_page))


def load_answers(discussion_id: int) -> list[Answer]:
    return list(
        db.session.scalars(
            select(Answer)
            .where(Answer.discussion_id == discussion_id)
            .options(selectinload(Answer.author))
            .order_by(Answer.id)
        )
    )


def department_answer(discussion_id: int) -> Answer | None:
    return db.session.scalar(
        select(Answer).where(Answer.discussion_id == discussion_id, Answer.kind == "department")
    )


def load_progress(proposal_id: int) -> list[ProgressUpdate]:
    return list(
        db.session.scalars(
            select(ProgressUpdate)
            .where(ProgressUpdate.proposal_id == proposal_id)
            .order_by(ProgressUpdate.id)
        )
    )


def load_timeline(discussion_id: int) -> list[TimelineEvent]:
    return list(
        db.session.scalars(
            select(TimelineEvent)
            .where(TimelineEvent.discussion_id == discussion_id)
            .order_by(TimelineEvent.id)
        )
    )


@dataclass
class CardStats:
    total: int
    adopted: int
    reference: int


# The list pages show a board's figures on every request; counting them reads every
# proposal of the board. Each process keeps them this long (the operations that change
# them forget them at once in their own process).
FIGURES_SECONDS = 30.0


def _figures() -> dict[str, tuple[CardStats, float]]:
    return current_app.extensions.setdefault("gwanak.card_stats", {})


def forget_card_stats(board: str) -> None:
    """Called by the operations that change a board's figures."""
    _figures().pop(board, None)


def card_stats(board: str, fresh: bool = False) -> CardStats:
    """The figures the pledge card reports: proposals, adopted, administrative reference.
    At most FIGURES_SECONDS old unless `fresh` (the back office's)."""
    kept = _figures().get(board)
    if not fresh and kept is not None and kept[1] > time.monotonic():
        return kept[0]
    stats = _count_card_stats(board)
    _figures()[board] = (stats, time.monotonic() + FIGURES_SECONDS)
    return stats


def _count_card_stats(board: str) -> CardStats:
    row = db.session.execute(
        select(
            func.count(),
            func.count(case((Proposal.outcome == Outcome.ADOPTED, 1))),
            func.count(case((Proposal.outcome == Outcome.REFERENCE, 1))),
        ).where(
            Proposal.board == board,
            Proposal.hidden_at.is_(None),
            Proposal.state != ProposalState.WITHDRAWN,
        )
    ).one()
    return CardStats(*row)


def review_queue(department: str | None, board: str | None = None) -> list[Proposal]:
    """Proposals waiting for a department's answer: overdue first, then by due date."""
    now = clock.now()
    query = select(Proposal).where(
        Proposal.state == ProposalState.REVIEW, Proposal.hidden_at.is_(None)
    )
    if department:
        query = query.where(Proposal.department == department)
    if board:
        query = query.where(Proposal.board == board)
    overdue_first = case((Proposal.answer_due_at < now, 0), else_=1)
    return list(
        db.session.scalars(query.order_by(overdue_first, Proposal.answer_due_at, Proposal.id))
    )


def mayor_queue() -> list[Discussion]:
    return list(
        db.session.scalars(
            select(Discussion)
            .where(Discussion.mayor_state == "queued")
            .order_by(Discussion.mayor_due_at, Discussion.id)
        )
    )


def open_reports() -> list[tuple[str, int, int, list[str]]]:
    """(target type, id, number of reports, reasons) of unresolved reports."""
    rows = db.session.execute(
        select(Report.target_type, Report.target_id, Report.reason)
        .where(Report.resolved_at.is_(None))
        .order_by(Report.id)
    ).all()
    grouped: dict[tuple[str, int], list[str]] = {}
    for target_type, target_id, reason in rows:
        grouped.setdefault((target_type, target_id), []).append(reason)
    return [(t, i, len(reasons), reasons) for (t, i), reasons in grouped.items()]


def flagged_items(limit: int = 50) -> tuple[list[Proposal], list[Comment]]:
    proposals = db.session.scalars(
        select(Proposal)
        .where(Proposal.flagged_personal_data.is_(True), Proposal.hidden_at.is_(None))
        .order_by(Proposal.id.desc())
        .limit(limit)
    ).all()
    comments = db.session.scalars(
        select(Comment)
        .where(
            Comment.flagged_personal_data.is_(True),
            Comment.hidden_at.is_(None),
            Comment.deleted_at.is_(None),
        )
        .order_by(Comment.id.desc())
        .limit(limit)
    ).all()
    return list(proposals), list(comments)


@dataclass
class AnswerStats:
    """부서별 답변 현황 of one department over a period."""

    department: str
    received: int = 0  # reached review (or was handed on) in the period
    answered: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0  # still unanswered with its deadline passed, now
    waiting: int = 0  # still unanswered, deadline not yet passed
    median_days: float | None = None


def answer_stats(
    start: date | None = None, end: date | None = None, board: str | None = None
) -> list[AnswerStats]:
    """Per 담당 부서, the proposals that reached review between `start` and `end` (Korean
    dates, inclusive; open-ended when None): how many were answered, on time or late,
    how many are overdue now, and the median days from review to answer."""
    now = clock.now()
    query = select(
        Proposal.department,
        Proposal.state,
        Proposal.review_started_at,
        Proposal.answer_due_at,
        Proposal.answered_at,
    ).where(Proposal.review_started_at.is_not(None), Proposal.hidden_at.is_(None))
    if start is not None:
        query = query.where(Proposal.review_started_at >= _kst_midnight(start))
    if end is not None:
        query = query.where(Proposal.review_started_at < _kst_midnight(end + timedelta(days=1)))
    if board:
        query = query.where(Proposal.board == board)
    stats: dict[str, AnswerStats] = {}
    durations: dict[str, list[float]] = {}
    for department, state, started, due, answered in db.session.execute(query):
        entry = stats.setdefault(department, AnswerStats(department))
        entry.received += 1
        if answered is not None:
            entry.answered += 1
            if due is None or answered <= due:
                entry.on_time += 1
            else:
                entry.late += 1
            durations.setdefault(department, []).append(
                (answered - started).total_seconds() / 86400
            )
        elif state == ProposalState.REVIEW:
            if due is not None and now > due:
                entry.overdue += 1
            else:
                entry.waiting += 1
    for department, values in durations.items():
        stats[department].median_days = round(statistics.median(values), 1)
    return sorted(stats.values(), key=lambda s: (-s.received, s.department))


def deadline_stats(board: str | None = None) -> list[AnswerStats]:
    """The back office's deadline table: the same figures for all time, by department."""
    return sorted(answer_stats(board=board), key=lambda s: s.department)


def _kst_midnight(day: date) -> datetime:
    """The stored (naive UTC) moment a Korean date begins."""
    return datetime(day.year, day.month, day.day) - timedelta(hours=9)


PROGRESS_FILTERS = {"ongoing": "추진중", "done": "완료", "none": "추진상황 없음"}


def adopted_proposals(
    board: str | None, progress: str | None, page: int, per_page: int = PER_PAGE
) -> ProposalPage:
    """The visible adopted proposals of every board (or one), latest news first."""
    where = [
        Proposal.hidden_at.is_(None),
        Proposal.state == ProposalState.ANSWERED,
        Proposal.outcome == Outcome.ADOPTED,
    ]
    if board:
        where.append(Proposal.board == board)
    if progress == "none":
        where.append(Proposal.progress.is_(None))
    elif progress:
        where.append(Proposal.progress == progress)
    total = db.session.scalar(select(func.count()).select_from(Proposal).where(*where))
    items = db.session.scalars(
        select(Proposal)
        .where(*where)
        .order_by(
            func.coalesce(Proposal.progress_at, Proposal.answered_at).desc(), Proposal.id.desc()
        )
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return ProposalPage(list(items), total, page, per_page)


def adopted_to_follow_up(department: str | None) -> list[Proposal]:
    """Adopted proposals of a department (all for None) for the back office: those with
    no 추진상황 yet first, then 추진중, then 완료; the oldest news first within each."""
    where = [Proposal.state == ProposalState.ANSWERED, Proposal.outcome == Outcome.ADOPTED]
    if department:
        where.append(Proposal.department == department)
    rank = case((Proposal.progress.is_(None), 0), (Proposal.progress == "ongoing", 1), else_=2)
    return list(
        db.session.scalars(
            select(Proposal)
            .where(*where)
            .order_by(rank, func.coalesce(Proposal.progress_at, Proposal.answered_at), Proposal.id)
            .limit(200)
        )
    )


@dataclass
class GonggamBurst:
    """Many new accounts giving 공감 to one proposal within a short window."""

    proposal: Proposal
    starts_at: datetime
    ends_at: datetime
    accounts: int  # new accounts in the window
    addresses: int  # distinct sign-up networks among them (keyed hashes; unknown = own)


def gonggam_bursts(
    *, min_accounts: int, window_minutes: int, new_account_hours: int, days: int
) -> list[GonggamBurst]:
    """Proposals where at least `min_accounts` accounts, each created at most
    `new_account_hours` before its 공감, gave 공감 within `window_minutes` — in the last
    `days` days. The densest window of each proposal; most accounts first."""
    from datetime import timedelta

    from gwanak.accounts.models import User
    from gwanak.participation.models import Gonggam

    now = clock.now()
    rows = db.session.execute(
        select(
            Gonggam.proposal_id,
            Gonggam.created_at,
            User.created_at,
            User.signup_address_key,
            User.id,
        )
        .join(User, User.id == Gonggam.user_id)
        .where(Gonggam.created_at >= now - timedelta(days=days))
        .order_by(Gonggam.proposal_id, Gonggam.created_at)
    ).all()
    young = timedelta(hours=new_account_hours)
    window = timedelta(minutes=window_minutes)
    by_proposal: dict[int, list] = {}
    for pid, given_at, created_at, address, uid in rows:
        if given_at - created_at <= young:
            by_proposal.setdefault(pid, []).append((given_at, address or f"user:{uid}"))
    found = []
    for pid, times in by_proposal.items():
        best, start = (0, 0, 0), 0
        for end in range(len(times)):
            while times[end][0] - times[start][0] > window:
                start += 1
            if end - start + 1 > best[0]:
                best = (end - start + 1, start, end)
        count, first, last = best
        if count >= min_accounts:
            addresses = len({a for _, a in times[first : last + 1]})
            found.append(
                GonggamBurst(
                    db.session.get(Proposal, pid), times[first][0], times[last][0], count, addresses
                )
            )
    return sorted(found, key=lambda b: (-b.accounts, b.addresses))
