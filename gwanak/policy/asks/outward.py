"""What 관악구가 묻습니다! offers other sites: the open-agenda widget, the agenda feed,
the agenda and poll-result datasets, agenda pages for the sitemap and agenda search."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.core.outward import (
    Dataset,
    DatasetField,
    Feed,
    FeedEntry,
    SearchHit,
    SearchProvider,
    SitemapEntry,
    Widget,
)
from gwanak.core.text_search import SearchTerm, search_branch, snippet
from gwanak.policy.asks.models import STATE_LABELS, Agenda, AgendaState, PollOption, PollVote
from gwanak.policy.asks.operations import PLANNING, list_agendas

LIST_PAGE = "/policy/asks"
FEED_SUMMARY_CHARS = 500


def agenda_path(agenda_id: int) -> str:
    return f"{LIST_PAGE}/{agenda_id}"


# ---------------------------------------------------------------- widget


def open_agendas_widget(choice: str, limit: int) -> tuple[str, dict]:
    """의견을 받는 의제: agendas open for opinions today, the soonest to close first."""
    agendas, _ = list_agendas(AgendaState.OPEN, 1, per_page=limit)
    agendas.sort(key=lambda a: (a.closes_on, a.id))
    today = clock.today()
    items = [
        {"agenda": a, "path": agenda_path(a.id), "days_left": (a.closes_on - today).days}
        for a in agendas
    ]
    return "policy/asks/widget.html", {"items": items, "more": LIST_PAGE}


WIDGET = Widget(
    "agendas-open",
    "의견을 받는 의제",
    "관악구가 묻습니다!에서 지금 주민 의견을 받고 있는 정책·협치 의제와 마감일입니다.",
    open_agendas_widget,
)


# ---------------------------------------------------------------- feed


def _agenda_updated(agenda: Agenda) -> datetime:
    return agenda.result_published_at or agenda.created_at


def agenda_entries(limit: int) -> list[FeedEntry]:
    """New agendas, and agendas whose result was published (the entry is updated then)."""
    rows = db.session.scalars(
        select(Agenda)
        .order_by(func.coalesce(Agenda.result_published_at, Agenda.created_at).desc())
        .limit(limit)
    ).all()
    entries = []
    for a in rows:
        if a.result_published_at is not None:
            summary = "결과 반영: " + (a.result_md or "")
        else:
            summary = f"의견 접수 {a.opens_on} ~ {a.closes_on}. " + a.body_md
        entries.append(
            FeedEntry(
                key=f"agenda/{a.id}",
                title=f"[{a.kind_label} · {STATE_LABELS[a.state()]}] {a.title}",
                path=agenda_path(a.id),
                updated=_agenda_updated(a),
                published=a.created_at,
                summary=summary[:FEED_SUMMARY_CHARS],
                category=a.kind_label,
            )
        )
    return entries


FEED = Feed(
    "policy-asks",
    "관악구가 묻습니다!: 의제와 결과",
    PLANNING,
    agenda_entries,
    pages=(LIST_PAGE,),
    group="정책참여",
)


# ---------------------------------------------------------------- datasets

AGENDA_FIELDS = (
    DatasetField("id", "번호", "의제 번호.", "int"),
    DatasetField("kind", "종류", "일반의제 또는 협치의제."),
    DatasetField("title", "제목", "의제 제목."),
    DatasetField("body", "내용", "관악구가 묻는 내용 (마크다운)."),
    DatasetField("department", "담당 부서", "의제를 올리고 결과를 반영하는 부서."),
    DatasetField("opens_on", "의견 접수 시작일", "이날부터 의견을 받습니다.", "date"),
    DatasetField("closes_on", "의견 접수 마감일", "이날까지 의견을 받습니다.", "date"),
    DatasetField("state", "상태", "예정 · 진행중 · 마감 · 결과 공개 · 철회."),
    DatasetField("comments", "의견 수", "보이는 의견(댓글) 수.", "int"),
    DatasetField("commenters", "의견 참여자 수", "의견을 남긴 서로 다른 주민 수.", "int"),
    DatasetField("poll_question", "투표 질문", "의제에 딸린 투표의 질문 (없으면 빈 칸)."),
    DatasetField("votes", "투표 수", "투표한 주민 수.", "int"),
    DatasetField("result", "결과 반영", "부서가 공개한 결과 반영 내용."),
    DatasetField("result_published_at", "결과 공개 일시", "결과를 공개한 때.", "datetime"),
    DatasetField("url", "주소", "의제 페이지 주소.", "url"),
)


def _vote_counts(agenda_ids: list[int]) -> dict[int, int]:
    """Votes per option of these agendas, in one query."""
    if not agenda_ids:
        return {}
    return dict(
        db.session.execute(
            select(PollVote.option_id, func.count())
            .where(PollVote.agenda_id.in_(agenda_ids))
            .group_by(PollVote.option_id)
        ).all()
    )


def _agenda_rows(offset: int, limit: int) -> list[dict]:
    agendas = db.session.scalars(
        select(Agenda).order_by(Agenda.id).limit(limit).offset(offset)
    ).all()
    votes = _vote_counts([a.id for a in agendas])
    return [
        {
            "id": a.id,
            "kind": a.kind_label,
            "title": a.title,
            "body": a.body_md,
            "department": a.department,
            "opens_on": a.opens_on,
            "closes_on": a.closes_on,
            "state": STATE_LABELS[a.state()],
            "comments": a.discussion.comment_count,
            "commenters": a.discussion.commenter_count,
            "poll_question": a.poll_question or "",
            "votes": sum(votes.get(o.id, 0) for o in a.options),
            "result": a.result_md or "",
            "result_published_at": a.result_published_at,
            "url": agenda_path(a.id),
        }
        for a in agendas
    ]


AGENDAS_DATASET = Dataset(
    "agendas",
    "관악구가 묻습니다! 의제",
    "관악구가 주민에게 물은 정책·협치 의제, 의견 접수 기간, 참여 수와 결과 반영 내용입니다.",
    PLANNING,
    AGENDA_FIELDS,
    _agenda_rows,
    lambda: db.session.scalar(select(func.count(Agenda.id))) or 0,
)

POLL_FIELDS = (
    DatasetField("agenda_id", "의제 번호", "agendas 데이터의 번호.", "int"),
    DatasetField("agenda_title", "의제 제목", "투표가 딸린 의제."),
    DatasetField("question", "투표 질문", "투표의 질문."),
    DatasetField("position", "순서", "선택지 순서.", "int"),
    DatasetField("option", "선택지", "선택지 내용."),
    DatasetField("votes", "득표 수", "이 선택지를 고른 주민 수.", "int"),
    DatasetField("percent", "득표율(%)", "투표한 주민 가운데 이 선택지를 고른 비율, 소수 첫째 자리.", "number"),
)  # fmt: skip


def _poll_options():
    return (
        select(PollOption, Agenda)
        .join(Agenda, Agenda.id == PollOption.agenda_id)
        .order_by(PollOption.agenda_id, PollOption.position)
    )


def _poll_rows(offset: int, limit: int) -> list[dict]:
    pairs = db.session.execute(_poll_options().limit(limit).offset(offset)).all()
    agenda_ids = sorted({agenda.id for _, agenda in pairs})
    votes = _vote_counts(agenda_ids)
    totals: dict[int, int] = dict(
        db.session.execute(
            select(PollVote.agenda_id, func.count())
            .where(PollVote.agenda_id.in_(agenda_ids))
            .group_by(PollVote.agenda_id)
        ).all()
    )
    rows = []
    for option, agenda in pairs:
        count, total = votes.get(option.id, 0), totals.get(agenda.id, 0)
        rows.append(
            {
                "agenda_id": agenda.id,
                "agenda_title": agenda.title,
                "question": agenda.poll_question or "",
                "position": option.position,
                "option": option.label,
                "votes": count,
                "percent": round(100 * count / total, 1) if total else 0.0,
            }
        )
    return rows


POLLS_DATASET = Dataset(
    "agenda-polls",
    "관악구가 묻습니다! 투표 결과",
    "의제에 딸린 투표의 선택지별 득표 수와 득표율입니다. 누가 어디에 투표했는지는 싣지 않습니다.",
    PLANNING,
    POLL_FIELDS,
    _poll_rows,
    lambda: db.session.scalar(select(func.count(PollOption.id))) or 0,
)

DATASETS = (AGENDAS_DATASET, POLLS_DATASET)


# ---------------------------------------------------------------- sitemap and search


def agenda_sitemap() -> list[SitemapEntry]:
    rows = db.session.execute(
        select(Agenda.id, Agenda.created_at, Agenda.result_published_at).order_by(Agenda.id)
    )
    return [SitemapEntry(agenda_path(i), published or created) for i, created, published in rows]


def _search(term: SearchTerm):
    return search_branch(
        "agendas",
        (term.contains(Agenda.title, Agenda.body_md, Agenda.result_md),),
        (Agenda.opens_on.desc(), Agenda.id.desc()),
        term.limit,
        id=Agenda.id,
        title=Agenda.title,
        body=Agenda.body_md,
        on=Agenda.opens_on,
    )


def _hit(row, term: str) -> SearchHit:
    return SearchHit(row.title, agenda_path(row.id), snippet(row.body, term), row.on)


SEARCH = SearchProvider("agendas", "관악구가 묻습니다!", _search, _hit)
