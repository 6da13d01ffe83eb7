"""Proposals on a board: post, edit and withdraw."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, exists, insert, select, update

from gwanak.accounts.models import User
from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.core.masking import contains_personal_data
from gwanak.core.menus import dong as find_dong
from gwanak.core.operations import OperationError
from gwanak.core.search_index import (
    SearchGram,
    bigrams,
    index_item,
    reindex_item,
    unindex_item,
)
from gwanak.participation.boards import (
    BoardSpec,
    board,
)
from gwanak.participation.models import (
    Comment,
    Discussion,
    Proposal,
    ProposalState,
    search_kind,
)
from gwanak.participation.operations.comments import open_discussion
from gwanak.participation.operations.common import (
    BODY_MAX,
    TITLE_MAX,
    add_once,
    add_timeline_event,
    checked_text,
    no_sync,
    require_participant,
    submitted_before,
)
from gwanak.participation.operations.following import add_follow, notify_followers
from gwanak.participation.queries import forget_card_stats


def _check_fields(spec: BoardSpec, title: str, body: str, category: str, dong: str | None):
    title = checked_text(title, "제목", TITLE_MAX, "title")
    body = checked_text(body, "내용", BODY_MAX, "body")
    if category not in spec.categories:
        raise OperationError("분야를 고르세요.", field="category")
    if dong and find_dong(dong) is None:
        raise OperationError("동을 고르세요.", field="dong")
    return title, body, category, dong or None


def add_proposal(
    spec: BoardSpec,
    author: User,
    *,
    title: str,
    body: str,
    category: str,
    dong: str | None = None,
    client_token: str | None = None,
) -> Proposal:
    """Post a proposal on a board; it starts gathering 공감 for the board's period.

    A step: flushed in the caller's transaction (`create_proposal` commits it; the budget
    board adds its own row first). A double submit (same token) returns the first."""
    require_participant(author, spec.participation_level)
    title, body, category, dong = _check_fields(spec, title, body, category, dong)
    if (existing := submitted_before(Proposal, client_token)) is not None:
        return existing
    now = clock.now()
    discussion = open_discussion("proposal", spec.rules, spec.owner_department)
    proposal = Proposal(
        board=spec.slug,
        discussion_id=discussion.id,
        author_id=author.id,
        department=spec.owner_department,
        title=title,
        body=body,
        category=category,
        dong=dong,
        state=ProposalState.GATHERING,
        created_at=now,
        updated_at=now,
        gathering_ends_at=now + timedelta(days=spec.setting("gonggam_days")),
        flagged_personal_data=contains_personal_data(title + "\n" + body),
        client_token=client_token,
    )
    if (stored := add_once(proposal, client_token)) is not proposal:
        return stored
    index_item(search_kind(spec.slug), proposal.id, title, body)
    forget_card_stats(spec.slug)
    add_timeline_event(discussion.id, "posted", author.id)
    # Residents follow their own proposals: they hear of every step without asking.
    add_follow(discussion.id, author.id)
    return proposal


def create_proposal(spec: BoardSpec, author: User, **fields) -> Proposal:
    """Post a proposal on a board (the fields of `add_proposal`). Commits."""
    proposal = add_proposal(spec, author, **fields)
    db.session.commit()
    return proposal


def edit_proposal(
    proposal: Proposal, user: User, *, title: str, body: str, category: str, dong: str | None
) -> Proposal:
    """The author edits until the first 공감 or comment."""
    if proposal.author_id != getattr(user, "id", None):
        raise OperationError("다른 사람의 제안은 고칠 수 없습니다.", status=403)
    title, body, category, dong = _check_fields(board(proposal.board), title, body, category, dong)
    untouched = ~exists().where(
        Discussion.id == Proposal.discussion_id, Discussion.comment_count > 0
    ) & ~exists().where(Comment.discussion_id == Proposal.discussion_id)
    result = db.session.execute(
        no_sync(
            update(Proposal)
            .where(
                Proposal.id == proposal.id,
                Proposal.state == ProposalState.GATHERING,
                Proposal.gonggam_count == 0,
                Proposal.hidden_at.is_(None),
                untouched,
            )
            .values(
                title=title,
                body=body,
                category=category,
                dong=dong,
                updated_at=clock.now(),
                flagged_personal_data=contains_personal_data(title + "\n" + body),
            )
        )
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise OperationError("공감이나 댓글이 달린 제안은 고칠 수 없습니다.", status=409)
    reindex_item(
        search_kind(proposal.board), proposal.id, (proposal.title, proposal.body), (title, body)
    )
    db.session.commit()
    db.session.refresh(proposal)
    return proposal


def withdraw_proposal(proposal: Proposal, user: User) -> None:
    """The author withdraws their proposal while it is still gathering 공감."""
    if proposal.author_id != getattr(user, "id", None):
        raise OperationError("다른 사람의 제안은 철회할 수 없습니다.", status=403)
    result = db.session.execute(
        no_sync(
            update(Proposal)
            .where(Proposal.id == proposal.id, Proposal.state == ProposalState.GATHERING)
            .values(state=ProposalState.WITHDRAWN, updated_at=clock.now())
        )
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise OperationError("부서 검토가 시작되었거나 끝난 제안은 철회할 수 없습니다.", status=409)
    unindex_item(search_kind(proposal.board), proposal.id, proposal.title, proposal.body)
    forget_card_stats(proposal.board)
    add_timeline_event(proposal.discussion_id, "withdrawn", user.id)
    notify_followers(
        proposal.discussion_id,
        "withdrawn",
        "[온라인 관악청] 알림 받던 제안이 철회되었습니다",
        f"'{proposal.title}' 제안을 제안자가 철회했습니다.",
        actor_id=user.id,
    )
    db.session.commit()
    db.session.refresh(proposal)


def reindex_proposals(batch: int = 2000) -> int:
    """Rebuild the search index of every proposal a list can show (not hidden, not
    withdrawn) — `flask gwanak reindex`. Commits; returns how many were indexed."""
    db.session.execute(delete(SearchGram).where(SearchGram.kind.startswith("proposal:")))
    done, after = 0, 0
    while True:
        rows = db.session.execute(
            select(Proposal.id, Proposal.board, Proposal.title, Proposal.body)
            .where(
                Proposal.id > after,
                Proposal.hidden_at.is_(None),
                Proposal.state != ProposalState.WITHDRAWN,
            )
            .order_by(Proposal.id)
            .limit(batch)
        ).all()
        if not rows:
            break
        grams = [
            {"kind": search_kind(board), "gram": g, "item_id": pid}
            for pid, board, title, body in rows
            for g in bigrams(title, body)
        ]
        if grams:
            db.session.execute(insert(SearchGram), grams)
        done, after = done + len(rows), rows[-1][0]
    db.session.commit()
    return done
