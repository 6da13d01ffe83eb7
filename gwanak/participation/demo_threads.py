"""What the menus' demo seeders share: a proposal told as a short story — who posted it
and when, who gave 공감, the comments and replies, the department's answer — played
through the engine's operations at believable moments.

Moments are written as (days after the proposal, "HH:MM" Korean time), so the data
reads like the portal's own history and nothing depends on randomness: the same day
gives the same demo. Comments come after their proposal and replies after what they
answer; staff answer on working days in office hours; nothing lands in the future.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from gwanak.accounts.demo import demo_user
from gwanak.accounts.models import User
from gwanak.core import clock
from gwanak.core.workdays import working_day_from
from gwanak.participation import operations as ops
from gwanak.participation.boards import BoardSpec
from gwanak.participation.models import Comment, Discussion, Proposal, ProposalState


@dataclass(frozen=True)
class Line:
    """One comment: who (a demo person's e-mail local part), when, what; `reply_to` is
    the index in the thread of the comment it answers."""

    who: str
    day: int
    at: str
    text: str
    reply_to: int | None = None


@dataclass(frozen=True)
class DepartmentAnswer:
    """The department's answer, on the first working day `day` days after posting."""

    outcome: str
    body: str
    day: int
    at: str = "10:30"
    reason: str | None = None
    by: str | None = None  # the demo staff who answers (None: the coordinator's)


@dataclass(frozen=True)
class Route:
    """기획예산과 hands the proposal under review to a 담당 부서, `day` days after it was
    posted (on the next working day, 10:00)."""

    day: int
    department: str
    reason: str
    cooperating: tuple[str, ...] = ()


@dataclass(frozen=True)
class Story:
    title: str
    category: str
    dong: str | None
    body: str
    author: str
    age: int  # days before today it was posted
    at: str  # "HH:MM", Korean time
    gonggam: tuple[str, ...] = ()
    thread: tuple[Line, ...] = ()
    answer: DepartmentAnswer | None = None
    routes: tuple[Route, ...] = ()


def kst_moment(day: date, hhmm: str) -> datetime:
    """A Korean wall-clock moment as the naive UTC the database stores."""
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return datetime.combine(day, time(hours, minutes)) - timedelta(hours=9)


# When neighbours give 공감: mornings, lunch and evenings, Korean time.
GONGGAM_TIMES = ("08:12", "12:47", "21:05", "19:33", "07:58", "22:40", "13:16", "18:24")


def post_thread(
    discussion: Discussion, posted_at: datetime, lines: tuple[Line, ...], people: dict[str, User]
) -> list[Comment | None]:
    """Post the thread's comments at their moments; a line whose moment is still to come
    (or whose author or parent is missing) is left out."""
    posted_on = clock.to_kst(posted_at).date()
    now = clock.now()
    comments: list[Comment | None] = []
    for line in lines:
        moment = kst_moment(posted_on + timedelta(days=line.day), line.at)
        author = people.get(line.who)
        parent = comments[line.reply_to] if line.reply_to is not None else None
        if moment > now or author is None or (line.reply_to is not None and parent is None):
            comments.append(None)
            continue
        with clock.frozen(moment):
            comments.append(
                ops.post_comment(
                    discussion, author, line.text, parent_id=parent.id if parent else None
                )
            )
    return comments


def give_gonggam(proposal: Proposal, who: tuple[str, ...], people: dict[str, User]) -> None:
    """공감 over the proposal's first days, at the times people are on their phones."""
    posted_at = proposal.created_at
    posted_on = clock.to_kst(posted_at).date()
    for n, local in enumerate(who):
        moment = kst_moment(posted_on + timedelta(days=(n * 2) // 3), GONGGAM_TIMES[n % 8])
        if moment <= posted_at:
            moment = posted_at + timedelta(minutes=23 + 17 * n)
        person = people.get(local)
        if person is None or moment > clock.now():
            continue
        with clock.frozen(moment):
            ops.give_gonggam(proposal, person)


def tell(
    spec: BoardSpec, story: Story, people: dict[str, User], staff: User | None
) -> Proposal | None:
    """Post the story's proposal, its 공감, its thread and the answer, each at its moment
    (None when its author is not among the demo people)."""
    if story.author not in people:
        return None
    posted_at = kst_moment(clock.today() - timedelta(days=story.age), story.at)
    with clock.frozen(posted_at):
        proposal = ops.create_proposal(
            spec, people[story.author], title=story.title, body=story.body,
            category=story.category, dong=story.dong,
        )  # fmt: skip
    give_gonggam(proposal, story.gonggam, people)
    post_thread(proposal.discussion, posted_at, story.thread, people)
    posted_on = clock.to_kst(posted_at).date()
    if staff is not None:
        _route(proposal, story.routes, posted_on, staff)
    if story.answer and staff is not None:
        answer = story.answer
        moment = kst_moment(working_day_from(posted_on + timedelta(days=answer.day)), answer.at)
        answerer = demo_user(answer.by) if answer.by else staff
        if moment <= clock.now() and answerer is not None:
            with clock.frozen(moment):
                ops.answer_proposal(
                    proposal, answerer, outcome=answer.outcome, body=answer.body,
                    reason=answer.reason,
                )  # fmt: skip
    return proposal


def _route(proposal: Proposal, routes: tuple[Route, ...], posted_on: date, staff: User) -> None:
    for route in routes:
        moment = kst_moment(working_day_from(posted_on + timedelta(days=route.day)), "10:00")
        if moment > clock.now() or proposal.state != ProposalState.REVIEW:
            return
        with clock.frozen(moment):
            ops.assign_proposal(
                proposal, staff, department=route.department, reason=route.reason,
                cooperating=list(route.cooperating),
            )  # fmt: skip


def demo_views(posted_at: datetime, title: str) -> int:
    """A believable view count for a demo notice: more the longer it has been up, and not
    the same for two notices of one day (a fixed function of the title, not random)."""
    days = max((clock.now() - posted_at).days, 0)
    return 8 + min(days, 90) * (3 + len(title) % 5) + sum(map(ord, title)) % 23
