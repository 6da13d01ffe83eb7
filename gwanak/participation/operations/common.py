"""What every participation operation shares: input limits and checks, the
participant rule, atomic updates, the discussion's timeline and double-submit tokens."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from gwanak.accounts.models import Level, Role, User
from gwanak.accounts.verification import level_refusal
from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.core.forms import looks_like_html
from gwanak.core.operations import OperationError
from gwanak.core.settings import get_setting
from gwanak.participation.models import Report, TimelineEvent

TITLE_MAX = 100
BODY_MAX = 5000
COMMENT_MAX = 1000
REASON_MAX = 500
ANSWER_MAX = 10000


def no_sync(statement):
    return statement.execution_options(synchronize_session=False)


def checked_text(
    value: str | None, label: str, limit: int, field: str, *, plain: bool = True
) -> str:
    value = (value or "").strip()
    if not value:
        raise OperationError(f"{label}을(를) 입력하세요.", field=field)
    if len(value) > limit:
        raise OperationError(f"{label}은(는) {limit:,}자 이하로 입력하세요.", field=field)
    if plain and looks_like_html(value):
        raise OperationError("HTML 태그는 쓸 수 없습니다. 글자로만 입력하세요.", field=field)
    return value


def add_timeline_event(
    discussion_id: int, event: str, actor_id: int | None, note: str | None = None
) -> None:
    db.session.add(
        TimelineEvent(
            discussion_id=discussion_id,
            event=event,
            actor_id=actor_id,
            note=note,
            created_at=clock.now(),
        )
    )


def require_participant(user: User | None, level: int | None = None) -> User:
    """A signed-in resident at the verification level the rules ask (`level`, default
    the portal-wide `accounts.participation_level`, at least e-mail confirmed)."""
    if user is None or not getattr(user, "is_authenticated", False):
        raise OperationError("로그인한 주민만 참여할 수 있습니다.", status=401)
    if user.role != Role.RESIDENT:
        raise OperationError("주민 계정으로만 참여할 수 있습니다.", status=403)
    needed = max(Level.EMAIL, level or get_setting("accounts.participation_level"))
    refusal = level_refusal(user, needed)
    if refusal:
        raise OperationError(refusal, status=403)
    return user


def submitted_before(model, client_token: str | None):
    """The row a double submit (the same form token) already made, or None."""
    if not client_token:
        return None
    return db.session.scalar(select(model).where(model.client_token == client_token))


def add_once(row, client_token: str | None):
    """Add and flush `row`; when a concurrent double submit with the same token won the
    race (the unique token refuses this one), roll back and return the row it made."""
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        existing = submitted_before(type(row), client_token)
        if existing is None:
            raise
        return existing
    return row


def resolve_reports(target_type: str, target_id: int, resolution: str) -> None:
    """Close the open reports about an item (hidden, deleted) with a resolution."""
    db.session.execute(
        no_sync(
            update(Report)
            .where(
                Report.target_type == target_type,
                Report.target_id == target_id,
                Report.resolved_at.is_(None),
            )
            .values(resolved_at=clock.now(), resolution=resolution)
        )
    )
