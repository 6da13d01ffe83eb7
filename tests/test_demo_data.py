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

from gwanak.budget.models import BudgetProposal, BudgetRound, BudgetVote, SchoolClass
from gwanak.cheong.models import DateApplication, DateRecord
from gwanak.cheong.operations import SLOT_HOURS
from gwanak.core import clock
from gwanak.core.demo import seed_demo
from gwanak.core.extensions import db
from gwanak.core.workdays import is_working_day
from gwanak.notices.models import Notice
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


def _in_slot_hours(moment) -> bool:
    for hours in SLOT_HOURS.values():
        start, end = (datetime.strptime(h, "%H:%M").time() for h in hours.split("~"))
        if start <= moment < end:
            return True
    return False


def meetings_off_working_days() -> list[str]:
    """Records, meetings and preferences off working days; meetings outside the slots'
    hours or two at once."""
    problems = []
    booked = Counter(
        (a.scheduled_date, a.scheduled_time)
        for a in db.session.scalars(select(DateApplication))
        if a.scheduled_date is not None
    )
    problems += [f"two meetings at {when}" for when, n in booked.items() if n > 1]
    problems += [f"meeting at {when[1]}" for when in booked if not _in_slot_hours(when[1])]
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
    assert notices_off_their_rounds() == []
    assert budget_off_calendar() == []


DATE_IN_TEXT = re.compile(r"(\d{4})년 (\d{1,2})월 (\d{1,2})일")
ROUND_IN_TITLE = re.compile(r"(\d{4})년도")


def notices_off_their_rounds() -> list[str]:
    """Budget notices naming a round must quote only dates inside it; every notice is
    posted on a working day, in the past."""
    problems = []
    rounds = {r.year: r for r in db.session.scalars(select(BudgetRound))}
    for notice in db.session.scalars(select(Notice)):
        posted = clock.to_kst(notice.created_at)
        if not is_working_day(posted.date()) or notice.created_at > clock.now():
            problems.append(f"{notice.title} posted {posted:%Y-%m-%d %a %H:%M}")
        named = ROUND_IN_TITLE.search(notice.title)
        if notice.board != "budget" or not named:
            continue
        budget_round = rounds.get(int(named.group(1)))
        if budget_round is None:
            problems.append(f"{notice.title}: no such round")
            continue
        quoted = [date(*map(int, m.groups())) for m in DATE_IN_TEXT.finditer(notice.body_md)]
        if not quoted:
            problems.append(f"{notice.title}: quotes no date")
        for day in quoted:
            if not budget_round.proposal_starts <= day <= budget_round.vote_ends:
                problems.append(f"{notice.title}: {day} outside its round")
    return problems


def budget_off_calendar() -> list[str]:
    """Proposals posted outside their round's 제안 접수, votes outside its vote dates, round
    boundaries off working days."""
    problems = []
    for budget_round in db.session.scalars(select(BudgetRound)):
        for name in ("proposal_starts", "proposal_ends", "vote_starts", "vote_ends"):
            if not is_working_day(getattr(budget_round, name)):
                problems.append(f"{budget_round.year} {name} not a working day")
    for extra in db.session.scalars(select(BudgetProposal)):
        posted = clock.to_kst(extra.proposal.created_at).date()
        if not extra.round.proposal_starts <= posted <= extra.round.proposal_ends:
            problems.append(f"{extra.proposal.title} posted {posted}")
    for vote in db.session.scalars(select(BudgetVote)):
        budget_round = db.session.get(BudgetRound, vote.round_id)
        if (
            not budget_round.vote_starts
            <= clock.to_kst(vote.created_at).date()
            <= budget_round.vote_ends
        ):
            problems.append(f"a vote on {vote.created_at}")
    return problems


def test_every_budget_notice_quotes_its_own_rounds_dates(demo):
    titles = list(db.session.scalars(select(Notice.title).where(Notice.board == "budget")))
    assert any("사업 제안 접수 안내" in title for title in titles)
    assert notices_off_their_rounds() == []


def test_the_budget_school_notice_lists_the_classes_as_they_are(demo):
    notice = db.session.scalar(select(Notice).where(Notice.title.contains("예산학교")))
    quoted = [date(*map(int, m.groups())) for m in DATE_IN_TEXT.finditer(notice.body_md)]
    classes = db.session.scalars(select(SchoolClass).order_by(SchoolClass.number)).all()
    assert quoted == [clock.to_kst(c.starts_at).date() for c in classes]
    assert all(is_working_day(day) for day in quoted)


def test_budget_proposals_and_votes_keep_to_their_rounds(demo):
    assert db.session.scalars(select(BudgetVote)).first() is not None
    assert budget_off_calendar() == []


TITLE_COUNTER = re.compile(r"\s\d+$")


def test_demo_titles_are_not_numbered_filler(demo):
    titles = list(db.session.scalars(select(Proposal.title)))
    titles += list(db.session.scalars(select(DateApplication.title)))
    titles += list(db.session.scalars(select(DateRecord.title)))
    titles += list(db.session.scalars(select(Notice.title)))
    assert len(titles) >= 15
    assert [title for title in titles if TITLE_COUNTER.search(title)] == []


@pytest.mark.parametrize("board", ["policy", "governance", "budget"])
def test_demo_proposals_are_spread_over_weeks(demo, board):
    posted = sorted(db.session.scalars(select(Proposal.created_at).where(Proposal.board == board)))
    assert posted[-1] - posted[0] > timedelta(days=20)
    assert len(set(posted)) == len(posted)


def _counts() -> dict[str, int]:
    from sqlalchemy import func

    tables = (Proposal, Comment, Notice, DateApplication, DateRecord, BudgetRound, BudgetVote)
    return {t.__name__: db.session.scalar(select(func.count()).select_from(t)) for t in tables}


def test_seeding_again_adds_nothing(demo):
    first = _counts()
    assert min(first.values()) > 0
    for _ in seed_demo():
        pass
    assert _counts() == first
