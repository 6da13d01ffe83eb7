"""The demo reads like the real portal: it agrees with itself and with the calendar.

Each test seeds the whole demo (`seed_demo`, as `flask gwanak seed-demo` does) on a fixed
day and checks one thing a reader of the site would notice: the same comment twice, a
reply older than its proposal, a meeting with the mayor on a Sunday, a notice whose dates
are not its round's, a title that ends in a counter.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from gwanak.cheong.models import DateApplication, DateRecord
from gwanak.core import clock
from gwanak.core.demo import seed_demo
from gwanak.core.extensions import db
from gwanak.core.workdays import is_working_day
from gwanak.participation.models import Comment, Proposal

# 2026-11-26 (a Thursday) 10:00 in Korea, the day the demo was written for.
TODAY = datetime(2026, 11, 26, 1, 0)


def _seed(at: datetime) -> None:
    clock.set_frozen(at)
    for _ in seed_demo():
        pass


@pytest.fixture
def demo(app):
    _seed(TODAY)
    yield
    clock.set_frozen(None)


def _proposal_comments() -> list[tuple[Comment, Proposal]]:
    return list(
        db.session.execute(
            select(Comment, Proposal)
            .join(Proposal, Proposal.discussion_id == Comment.discussion_id)
            .order_by(Comment.id)
        )
    )


def repeated_comments() -> list[str]:
    counts = Counter(comment.body for comment, _ in _proposal_comments())
    return [body for body, n in counts.items() if n > 1]


def comments_out_of_time() -> list[str]:
    """Comments before their proposal, replies before their parent, anything in the
    future, or posted in the small hours (01:00–06:59 Korean time)."""
    problems = []
    by_id = {comment.id: comment for comment, _ in _proposal_comments()}
    for comment, proposal in _proposal_comments():
        hour = clock.to_kst(comment.created_at).hour
        parent = by_id.get(comment.parent_id)
        if comment.created_at <= proposal.created_at:
            problems.append(f"before its proposal: {comment.body[:20]}")
        if parent is not None and comment.created_at <= parent.created_at:
            problems.append(f"before its parent: {comment.body[:20]}")
        if comment.created_at > clock.now():
            problems.append(f"in the future: {comment.body[:20]}")
        if 1 <= hour < 7:
            problems.append(f"at {hour}h: {comment.body[:20]}")
    return problems


def same_minute_crowds() -> list[str]:
    """Several people commenting on one thread in the same minute."""
    minutes = Counter(
        (comment.discussion_id, comment.created_at.replace(second=0, microsecond=0))
        for comment, _ in _proposal_comments()
    )
    return [f"{key[1]} ×{n}" for key, n in minutes.items() if n > 1]


def meetings_off_working_days() -> list[str]:
    problems = []
    for record in db.session.scalars(select(DateRecord)):
        if not is_working_day(record.held_on):
            problems.append(f"record {record.title} on {record.held_on:%Y-%m-%d %a}")
    for application in db.session.scalars(select(DateApplication)):
        day = application.scheduled_date
        if day is not None and not is_working_day(day):
            problems.append(f"meeting {application.title} on {day:%Y-%m-%d %a}")
        for pref in application.preferences:
            if not is_working_day(date.fromisoformat(pref["date"])):
                problems.append(f"preference of {application.title} on {pref['date']}")
    return problems


def test_no_two_demo_comments_say_the_same_thing(demo):
    assert len(_proposal_comments()) >= 30
    assert repeated_comments() == []


def test_demo_comments_come_after_what_they_answer_at_waking_hours(demo):
    assert comments_out_of_time() == []
    assert same_minute_crowds() == []


def test_demo_replies_answer_a_comment(demo):
    replies = [comment for comment, _ in _proposal_comments() if comment.parent_id]
    assert len(replies) >= 8


def test_demo_meetings_with_the_mayor_fall_on_working_days(demo):
    assert db.session.scalars(select(DateRecord)).first() is not None
    assert meetings_off_working_days() == []


@pytest.mark.parametrize(
    "at",
    [
        datetime(2027, 2, 7, 3, 0),  # a Sunday, the day after 설날 연휴 starts
        datetime(2026, 12, 26, 14, 0),  # a Saturday night after 성탄절
    ],
)
def test_the_demo_agrees_with_the_calendar_whatever_day_it_is_seeded(app, at):
    _seed(at)
    assert repeated_comments() == []
    assert comments_out_of_time() == []
    assert meetings_off_working_days() == []


TITLE_COUNTER = re.compile(r"\s\d+$")


def test_demo_titles_are_not_numbered_filler(demo):
    titles = list(db.session.scalars(select(Proposal.title)))
    titles += list(db.session.scalars(select(DateApplication.title)))
    titles += list(db.session.scalars(select(DateRecord.title)))
    assert len(titles) >= 15
    assert [title for title in titles if TITLE_COUNTER.search(title)] == []


@pytest.mark.parametrize("board", ["policy", "governance"])
def test_demo_proposals_are_spread_over_weeks(demo, board):
    posted = sorted(db.session.scalars(select(Proposal.created_at).where(Proposal.board == board)))
    assert posted[-1] - posted[0] > timedelta(days=20)
    assert len(set(posted)) == len(posted)
