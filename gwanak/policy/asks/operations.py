"""Every state change of 관악구가 묻습니다!: posting an agenda, voting, publishing the
result; and the figures the pledge reads (agendas per year against the target).

Votes stay exact under concurrency: one row per resident and agenda (unique), written
by one upsert; tallies are counted from those rows, never kept as a counter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import url_for
from sqlalchemy import extract, func, select

from gwanak.accounts.models import Role
from gwanak.accounts.organisation import current_name
from gwanak.core import clock
from gwanak.core.audit import record_audit
from gwanak.core.extensions import db
from gwanak.core.markup import render_markdown
from gwanak.core.menus import menu
from gwanak.core.operations import OperationError
from gwanak.core.permissions import in_department
from gwanak.core.settings import SettingSpec, get_setting
from gwanak.participation.models import SubjectKind
from gwanak.participation.operations import (
    leave_mayor_queue,
    notify_followers,
    open_discussion,
    require_participant,
)
from gwanak.participation.subjects import SubjectType
from gwanak.policy.asks.models import (
    KINDS,
    Agenda,
    AgendaResultVersion,
    AgendaState,
    PollOption,
    PollVote,
)

# The menus' owners (menus.json): 정책참여 posts agendas, 협치관악 its 협치의제.
PLANNING = menu("policy").owner
AUTONOMY = menu("governance").owner
RULES = "asks"  # the discussion rules: settings asks.mayor_commenters, asks.mayor_answer_days
TITLE_MAX = 120
BODY_MAX = 20_000
OPTION_MAX = 100
POLL_MIN, POLL_MAX = 2, 6

# Rules as data: installed by this feature (Feature.settings).
SETTINGS = (
    SettingSpec("asks.yearly_target", "관악구가 묻습니다! 연간 의제 목표(건)", 12, minimum=1),
    SettingSpec(
        "asks.mayor_commenters",
        "[관악구가 묻습니다!] 구청장 답변 대상이 되는 의견 참여자 수",
        100,
        minimum=1,
    ),
    SettingSpec(
        "asks.mayor_answer_days", "[관악구가 묻습니다!] 구청장 답변 기한(일)", 30, minimum=1
    ),
)


# --- the agenda as a subject of the participation engine ---------------------------------


def agenda_of_discussion(discussion) -> Agenda:
    return db.session.scalar(select(Agenda).where(Agenda.discussion_id == discussion.id))


def closed_reason(agenda: Agenda) -> str | None:
    """Why nobody may give an opinion or vote now, or None when the agenda is open."""
    state = agenda.state()
    if state == AgendaState.UPCOMING:
        return f"의견 접수는 {agenda.opens_on}에 시작합니다."
    if state == AgendaState.WITHDRAWN:
        return "철회된 의제입니다. 더 이상 의견을 남기거나 투표할 수 없습니다."
    if agenda.closed_early_at is not None:
        closed_on = clock.to_kst(agenda.closed_early_at).date()
        return f"의견 접수가 {closed_on}에 조기 마감되었습니다. 더 이상 의견을 남기거나 투표할 수 없습니다."
    if state != AgendaState.OPEN:
        return f"의견 접수가 {agenda.closes_on}에 마감되었습니다. 더 이상 의견을 남기거나 투표할 수 없습니다."
    return None


AGENDA_SUBJECT = SubjectType(
    SubjectKind.AGENDA,
    title=lambda d: agenda_of_discussion(d).title,
    url=lambda d: url_for("policy.asks_detail", agenda_id=agenda_of_discussion(d).id),
    closed_reason=lambda d: closed_reason(agenda_of_discussion(d)),
)


# --- posting --------------------------------------------------------------------------


def may_post(user, kind: str) -> bool:
    """기획예산과 posts every agenda; 자치행정과 posts 협치의제."""
    if user is None or not user.is_authenticated or not user.is_staff:
        return False
    if user.is_admin:
        return True
    if user.office_dong:
        return False
    # Names from menus.json: a renamed owner answers to its former name too.
    return in_department(user, PLANNING) or (in_department(user, AUTONOMY) and kind == "governance")


def may_post_any(user) -> bool:
    return any(may_post(user, kind) for kind in KINDS)


@dataclass
class AgendaFields:
    kind: str
    title: str
    body: str
    opens_on: date
    closes_on: date
    poll_question: str = ""
    poll_options: list[str] | None = None


def _clean_poll(data: AgendaFields) -> tuple[str | None, list[str]]:
    question = (data.poll_question or "").strip()
    options = [o.strip() for o in (data.poll_options or []) if o.strip()]
    if not question and not options:
        return None, []
    if not question:
        raise OperationError("투표 질문을 입력하세요.", field="poll_question")
    if len(question) > 200:
        raise OperationError("투표 질문은 200자 이하로 입력하세요.", field="poll_question")
    if not POLL_MIN <= len(options) <= POLL_MAX:
        raise OperationError(
            f"투표 선택지는 {POLL_MIN}개에서 {POLL_MAX}개까지입니다.", field="poll_options"
        )
    if len(set(options)) != len(options):
        raise OperationError("같은 선택지가 두 번 있습니다.", field="poll_options")
    if any(len(o) > OPTION_MAX for o in options):
        raise OperationError(f"선택지는 {OPTION_MAX}자 이하로 입력하세요.", field="poll_options")
    return question, options


def post_agenda(user, data: AgendaFields) -> Agenda:
    """Staff post an agenda with its discussion (and poll). Commits."""
    if data.kind not in KINDS:
        raise OperationError("의제 종류를 고르세요.", field="kind")
    if not may_post(user, data.kind):
        raise OperationError("협치의제만 등록할 수 있습니다." if in_department(user, AUTONOMY) else "의제를 등록할 권한이 없습니다.", field="kind", status=403)  # fmt: skip
    title = (data.title or "").strip()
    body = (data.body or "").strip()
    if not title:
        raise OperationError("제목을 입력하세요.", field="title")
    if not body:
        raise OperationError("내용을 입력하세요.", field="body")
    if data.closes_on < data.opens_on:
        raise OperationError("마감일은 시작일보다 빠를 수 없습니다.", field="closes_on")
    if data.closes_on < clock.today():
        raise OperationError("마감일이 이미 지났습니다.", field="closes_on")
    question, options = _clean_poll(data)
    owner = PLANNING if user.is_admin or in_department(user, PLANNING) else AUTONOMY
    department = current_name(owner)  # the name it goes by today, not menus.json's
    discussion = open_discussion("agenda", RULES, department)
    agenda = Agenda(
        kind=data.kind,
        title=title[:TITLE_MAX],
        body_md=body,
        body_html=render_markdown(body),
        department=department,
        opens_on=data.opens_on,
        closes_on=data.closes_on,
        discussion_id=discussion.id,
        poll_question=question,
        author_id=user.id,
        created_at=clock.now(),
    )
    db.session.add(agenda)
    db.session.flush()
    for position, label in enumerate(options, start=1):
        db.session.add(PollOption(agenda_id=agenda.id, position=position, label=label))
    record_audit("agenda.post", "agenda", agenda.id,
                 after={"title": title, "kind": data.kind, "poll": options}, actor_id=user.id)  # fmt: skip
    db.session.commit()
    return agenda


def publish_result(agenda: Agenda, user, result: str) -> None:
    """결과 반영: after the close, the department publishes how the result changed policy.
    Publishing again keeps the text it replaces as an AgendaResultVersion (shown
    publicly, "수정됨") and is audited. Commits."""
    state = agenda.state()
    if state == AgendaState.WITHDRAWN:
        raise OperationError("철회된 의제에는 결과를 공개할 수 없습니다.", status=409)
    if state in (AgendaState.UPCOMING, AgendaState.OPEN):
        raise OperationError(
            f"의견 접수가 끝난 뒤({agenda.closes_on} 이후)에 결과를 공개할 수 있습니다.", status=409
        )
    result = (result or "").strip()
    if not result:
        raise OperationError("결과 반영 내용을 입력하세요.", field="result")
    before = agenda.result_md
    if before is not None and before == result:
        raise OperationError("고친 내용이 없습니다.", field="result")
    now = clock.now()
    if before is not None:
        db.session.add(
            AgendaResultVersion(
                agenda_id=agenda.id,
                result_md=before,
                result_html=agenda.result_html or "",
                published_at=agenda.result_updated_at or agenda.result_published_at or now,
                replaced_at=now,
                replaced_by_id=user.id,
            )
        )
    agenda.result_md = result
    agenda.result_html = render_markdown(result)
    first = agenda.result_published_at is None
    if first:
        agenda.result_published_at = now
    agenda.result_updated_at = now
    record_audit(
        "agenda.result", "agenda", agenda.id, before=before, after=result, actor_id=user.id
    )
    notify_followers(
        agenda.discussion_id,
        "agenda_result",
        "[온라인 관악청] 의제의 결과 반영 내용이 "
        + ("공개되었습니다" if first else "수정되었습니다"),
        f"관악구가 묻습니다 '{agenda.title}'의 결과 반영 내용을 {agenda.department}에서 "
        + ("공개했습니다." if first else "고쳤습니다."),
        actor_id=user.id,
    )
    db.session.commit()


# --- staff corrections: edit, extend, close early, withdraw ------------------------------


def _refuse_if_withdrawn(agenda: Agenda) -> None:
    if agenda.withdrawn_at is not None:
        raise OperationError("철회된 의제는 바꿀 수 없습니다.", status=409)


def _check_new_opening(agenda: Agenda, opens_on: date | None) -> date:
    """An agenda not yet open may move its opening day (not into the past, nor past its
    close); once open, the opening stays what residents saw."""
    if opens_on is None or opens_on == agenda.opens_on:
        return agenda.opens_on
    if agenda.state() != AgendaState.UPCOMING:
        raise OperationError(
            "의견 접수가 시작된 의제는 시작일을 바꿀 수 없습니다.", field="opens_on", status=409
        )
    if opens_on < clock.today():
        raise OperationError("시작일이 이미 지난 날짜입니다.", field="opens_on")
    if opens_on > agenda.closes_on:
        raise OperationError(
            f"시작일은 마감일({agenda.closes_on})보다 늦을 수 없습니다.", field="opens_on"
        )
    return opens_on


def edit_agenda(agenda: Agenda, user, title: str, body: str, opens_on: date | None = None) -> None:
    """Staff correct the title or the text (and, before it opens, the opening day); the
    page says "수정됨". Audited. Commits."""
    _refuse_if_withdrawn(agenda)
    title = (title or "").strip()
    body = (body or "").strip()
    if not title:
        raise OperationError("제목을 입력하세요.", field="title")
    if len(title) > TITLE_MAX:
        raise OperationError(f"제목은 {TITLE_MAX}자 이하로 입력하세요.", field="title")
    if not body:
        raise OperationError("내용을 입력하세요.", field="body")
    if len(body) > BODY_MAX:
        raise OperationError(f"내용은 {BODY_MAX}자 이하로 입력하세요.", field="body")
    opens_on = _check_new_opening(agenda, opens_on)
    if (title, body, opens_on) == (agenda.title, agenda.body_md, agenda.opens_on):
        raise OperationError("고친 내용이 없습니다.", field="title")
    before = {
        "title": agenda.title,
        "body": agenda.body_md,
        "opens_on": agenda.opens_on.isoformat(),
    }
    agenda.title = title
    agenda.body_md = body
    agenda.body_html = render_markdown(body)
    agenda.opens_on = opens_on
    agenda.edited_at = clock.now()
    after = {"title": title, "body": body, "opens_on": opens_on.isoformat()}
    record_audit("agenda.edit", "agenda", agenda.id, before=before, after=after,
                 actor_id=user.id)  # fmt: skip
    db.session.commit()


def extend_deadline(agenda: Agenda, user, closes_on: date | None) -> None:
    """Move the close later (also reopening an agenda whose date has passed, as long as no
    result is out and staff did not close it). Audited. Commits."""
    _refuse_if_withdrawn(agenda)
    if agenda.result_published_at is not None:
        raise OperationError("결과가 공개된 의제는 마감일을 바꿀 수 없습니다.", status=409)
    if agenda.closed_early_at is not None:
        raise OperationError("조기 마감한 의제는 연장할 수 없습니다.", status=409)
    if closes_on is None:
        raise OperationError("새 마감일을 입력하세요.", field="closes_on")
    if closes_on < clock.today():
        raise OperationError("새 마감일이 이미 지난 날짜입니다.", field="closes_on")
    if closes_on <= agenda.closes_on:
        raise OperationError(
            f"새 마감일은 지금 마감일({agenda.closes_on})보다 늦어야 합니다.", field="closes_on"
        )
    before = agenda.closes_on.isoformat()
    agenda.closes_on = closes_on
    record_audit("agenda.extend", "agenda", agenda.id, before=before,
                 after=closes_on.isoformat(), actor_id=user.id)  # fmt: skip
    db.session.commit()


def close_early(agenda: Agenda, user) -> None:
    """Stop opinions and votes now, before the planned close. Audited. Commits."""
    _refuse_if_withdrawn(agenda)
    if agenda.state() != AgendaState.OPEN:
        raise OperationError("의견을 받는 중인 의제만 조기 마감할 수 있습니다.", status=409)
    agenda.closed_early_at = clock.now()
    record_audit("agenda.close", "agenda", agenda.id,
                 before=agenda.closes_on.isoformat(), after="조기 마감", actor_id=user.id)  # fmt: skip
    db.session.commit()


WITHDRAW_REASON_MAX = 1000


def withdraw_agenda(agenda: Agenda, user, reason: str) -> None:
    """Take the agenda back with a reason residents read on its page. Audited. Commits."""
    _refuse_if_withdrawn(agenda)
    if agenda.result_published_at is not None:
        raise OperationError(
            "결과가 공개된 의제는 철회할 수 없습니다. 결과 반영 내용을 고치세요.", status=409
        )
    reason = (reason or "").strip()
    if not reason:
        raise OperationError("철회 사유를 입력하세요. 주민에게 공개됩니다.", field="reason")
    if len(reason) > WITHDRAW_REASON_MAX:
        raise OperationError(
            f"철회 사유는 {WITHDRAW_REASON_MAX}자 이하로 입력하세요.", field="reason"
        )
    agenda.withdrawn_at = clock.now()
    agenda.withdrawn_reason = reason
    # Nobody may comment any more: the mayor has nothing left to answer.
    leave_mayor_queue(agenda.discussion_id, f"의제 철회: {reason}", user.id)
    record_audit("agenda.withdraw", "agenda", agenda.id, after=reason, actor_id=user.id)
    db.session.commit()


# --- the poll -------------------------------------------------------------------------


def cast_vote(agenda: Agenda, user, option_id: int) -> None:
    """One vote per resident, changeable until the close: an upsert on (agenda, user).

    Concurrent votes of one person end as one row; tallies count rows, so they are exact.
    Commits.
    """
    if user is None or not user.is_authenticated:
        raise OperationError("로그인한 주민만 투표할 수 있습니다.", status=401)
    if user.role != Role.RESIDENT:
        raise OperationError("주민 계정으로만 투표할 수 있습니다.", status=403)
    require_participant(user)  # e-mail confirmed: tallies count confirmed accounts only
    if not agenda.options:
        raise OperationError("이 의제에는 투표가 없습니다.", status=404)
    reason = closed_reason(agenda)
    if reason:
        raise OperationError(reason, field="option", status=409)
    if option_id not in {o.id for o in agenda.options}:
        raise OperationError("선택지를 고르세요.", field="option")
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    now = clock.now()
    statement = insert(PollVote).values(
        agenda_id=agenda.id, user_id=user.id, option_id=option_id, created_at=now, updated_at=now
    )
    statement = statement.on_conflict_do_update(
        index_elements=["agenda_id", "user_id"],
        set_={"option_id": option_id, "updated_at": now},
    )
    db.session.execute(statement)
    db.session.commit()


def my_vote(agenda: Agenda, user) -> int | None:
    if user is None or not user.is_authenticated:
        return None
    return db.session.scalar(
        select(PollVote.option_id).where(
            PollVote.agenda_id == agenda.id, PollVote.user_id == user.id
        )
    )


@dataclass
class Tally:
    option: PollOption
    votes: int
    percent: float


def tally(agenda: Agenda) -> tuple[list[Tally], int]:
    counts = dict(
        db.session.execute(
            select(PollVote.option_id, func.count())
            .where(PollVote.agenda_id == agenda.id)
            .group_by(PollVote.option_id)
        ).all()
    )
    total = sum(counts.values())
    rows = [
        Tally(o, counts.get(o.id, 0), round(100 * counts.get(o.id, 0) / total, 1) if total else 0.0)
        for o in agenda.options
    ]
    return rows, total


# --- lists and figures ----------------------------------------------------------------

STATE_FILTERS = ("open", "closed", "published")


def list_agendas(state: str | None, page: int, per_page: int = 20) -> tuple[list[Agenda], bool]:
    today = clock.today()
    query = select(Agenda)
    if state == AgendaState.OPEN:
        query = query.where(
            Agenda.withdrawn_at.is_(None),
            Agenda.result_published_at.is_(None),
            Agenda.closed_early_at.is_(None),
            Agenda.opens_on <= today,
            Agenda.closes_on >= today,
        )
    elif state == AgendaState.CLOSED:
        query = query.where(
            Agenda.withdrawn_at.is_(None),
            Agenda.result_published_at.is_(None),
            (Agenda.closes_on < today) | Agenda.closed_early_at.is_not(None),
        )
    elif state == AgendaState.PUBLISHED:
        query = query.where(Agenda.withdrawn_at.is_(None), Agenda.result_published_at.is_not(None))
    rows = list(
        db.session.scalars(
            query.order_by(Agenda.opens_on.desc(), Agenda.id.desc())
            .limit(per_page + 1)
            .offset((page - 1) * per_page)
        )
    )
    return rows[:per_page], len(rows) > per_page


def asks_per_year(year: int) -> int:
    """Agendas whose discussion opened in the year (posted ahead of time counts when it opens)."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Agenda)
            .where(
                extract("year", Agenda.opens_on) == year,
                Agenda.opens_on <= clock.today(),
                Agenda.withdrawn_at.is_(None),  # a withdrawn agenda was not asked
            )
        )
        or 0
    )


@dataclass
class AsksFigures:
    year: int
    this_year: int
    target: int
    total: int
    by_kind: dict[str, int]

    @property
    def percent_of_target(self) -> float:
        return min(100.0, round(100 * self.this_year / self.target, 1)) if self.target else 0.0


def asks_figures() -> AsksFigures:
    year = clock.today().year
    by_kind = {k: 0 for k in KINDS} | dict(
        db.session.execute(
            select(Agenda.kind, func.count())
            .where(Agenda.withdrawn_at.is_(None))
            .group_by(Agenda.kind)
        ).all()
    )
    return AsksFigures(
        year=year,
        this_year=asks_per_year(year),
        target=get_setting("asks.yearly_target"),
        total=sum(by_kind.values()),
        by_kind=by_kind,
    )
