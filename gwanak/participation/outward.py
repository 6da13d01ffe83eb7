"""What the engine offers other sites: the proposal widgets, each board's feeds, the
proposal and department-answer datasets, proposal pages for the sitemap and a proposal
search per board. Boards are the menus': a menu lists `proposal_feeds(its board)` and
`proposal_search(its board)` in its feature; the rest covers every board at once."""

from __future__ import annotations

import statistics
from collections import defaultdict
from urllib.parse import urlencode

from sqlalchemy import case, func, select

from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.core.menus import dong_names, menu
from gwanak.core.outward import (
    Dataset,
    DatasetField,
    Feed,
    FeedEntry,
    SearchHit,
    SearchProvider,
    SitemapEntry,
    Widget,
    once_per_request,
)
from gwanak.core.text_search import SearchTerm, snippet
from gwanak.participation.boards import BoardSpec, boards
from gwanak.participation.models import (
    STATE_LABELS,
    Answer,
    Outcome,
    Proposal,
    ProposalState,
)
from gwanak.participation.queries import effective_state, search_hits

FEED_SUMMARY_CHARS = 500


def responsible_department(proposal: Proposal) -> str:
    """담당 부서 of a proposal, the one place that decides it: the department its
    coordinator handed it to (gwanak/participation/operations/routing.py), else its
    board's owner, where every proposal starts."""
    return proposal.department


def proposal_path(proposal_id: int, board_slug: str) -> str:
    return f"/{boards()[board_slug].menu_slug}/proposals/{proposal_id}"


def _public():
    """Proposals anyone may see in a list: not hidden, not withdrawn."""
    return (Proposal.hidden_at.is_(None), Proposal.state != ProposalState.WITHDRAWN)


def _department_answers(discussion_ids: list[int]) -> dict[int, Answer]:
    """The latest department answer of each discussion, in one query."""
    if not discussion_ids:
        return {}
    rows = db.session.scalars(
        select(Answer)
        .where(Answer.discussion_id.in_(discussion_ids), Answer.kind == "department")
        .order_by(Answer.id)
    )
    return {a.discussion_id: a for a in rows}


def _mayor_answers(discussion_ids: list[int]) -> dict[int, Answer]:
    if not discussion_ids:
        return {}
    rows = db.session.scalars(
        select(Answer)
        .where(Answer.discussion_id.in_(discussion_ids), Answer.kind == "mayor")
        .order_by(Answer.id)
    )
    return {a.discussion_id: a for a in rows}


# ---------------------------------------------------------------- widgets


def _gonggam_boards() -> list[BoardSpec]:
    return [spec for spec in boards().values() if spec.review_by_gonggam]


def waiting_widget(choice: str, limit: int) -> tuple[str, dict]:
    """공감을 기다리는 제안: the newest proposals still gathering 공감, on every board
    where 공감 sends a proposal to review."""
    now = clock.now()
    specs = {spec.slug: spec for spec in _gonggam_boards()}
    rows: list[Proposal] = []
    # One query per board: each walks the board's (board, id, …, state) index backwards,
    # which a single `board IN (…)` query cannot do.
    for slug in specs:
        rows += db.session.scalars(
            select(Proposal)
            .where(
                Proposal.board == slug,
                Proposal.hidden_at.is_(None),
                Proposal.state == ProposalState.GATHERING,
                Proposal.gathering_ends_at > now,
            )
            .order_by(Proposal.id.desc())
            .limit(limit)
        ).all()
    rows = sorted(rows, key=lambda p: p.id, reverse=True)[:limit]
    thresholds = {slug: spec.review_threshold for slug, spec in specs.items()}
    items = [
        {
            "proposal": p,
            "path": proposal_path(p.id, p.board),
            "threshold": thresholds[p.board],
            "days_left": max((p.gathering_ends_at - now).days, 0),
        }
        for p in rows
    ]
    more = f"/{next(iter(specs.values())).menu_slug}/proposals" if specs else "/"
    return "participation/widget_waiting.html", {"items": items, "more": more}


def answered_widget(choice: str, limit: int) -> tuple[str, dict]:
    """최근 답변된 제안: the latest answered proposals of every board."""
    rows = db.session.scalars(
        select(Proposal)
        .where(Proposal.hidden_at.is_(None), Proposal.state == ProposalState.ANSWERED)
        .order_by(Proposal.answered_at.desc(), Proposal.id.desc())
        .limit(limit)
    ).all()
    items = [
        {
            "proposal": p,
            "path": proposal_path(p.id, p.board),
            "board": f"{menu(boards()[p.board].menu_slug).name} {boards()[p.board].name}",
        }
        for p in rows
    ]
    return "participation/widget_answered.html", {"items": items}


WIDGETS = (
    Widget(
        "proposals-waiting",
        "공감을 기다리는 제안",
        "주민이 올린 제안 가운데 지금 공감을 모으고 있는 제안입니다. 공감이 모이면 담당 부서가 검토합니다.",
        waiting_widget,
    ),
    Widget(
        "proposals-answered",
        "최근 답변된 제안",
        "담당 부서가 최근에 답변한 제안과 그 결과(채택·행정참고·불채택)입니다.",
        answered_widget,
    ),
)


# ---------------------------------------------------------------- feeds


def _board_title(spec: BoardSpec) -> str:
    return f"{menu(spec.menu_slug).name} {spec.name}"


def proposal_feeds(spec: BoardSpec) -> tuple[Feed, Feed]:
    """A board's two feeds: new proposals, and proposals the department answered."""
    list_page = f"/{spec.menu_slug}/proposals"

    def new_entries(limit: int) -> list[FeedEntry]:
        rows = db.session.scalars(
            select(Proposal)
            .where(Proposal.board == spec.slug, *_public())
            .order_by(Proposal.id.desc())
            .limit(limit)
        ).all()
        return [
            FeedEntry(
                key=f"proposal/{p.id}",
                title=p.title,
                path=proposal_path(p.id, p.board),
                updated=p.created_at,
                published=p.created_at,
                summary=p.body[:FEED_SUMMARY_CHARS],
                author=p.author_name,
                category=p.category,
            )
            for p in rows
        ]

    def answered_entries(limit: int) -> list[FeedEntry]:
        rows = db.session.scalars(
            select(Proposal)
            .where(
                Proposal.board == spec.slug,
                Proposal.hidden_at.is_(None),
                Proposal.state == ProposalState.ANSWERED,
            )
            .order_by(Proposal.answered_at.desc(), Proposal.id.desc())
            .limit(limit)
        ).all()
        answers = _department_answers([p.discussion_id for p in rows])
        entries = []
        for p in rows:
            answer = answers.get(p.discussion_id)
            outcome = p.outcome_label or "답변"
            entries.append(
                FeedEntry(
                    key=f"proposal/{p.id}/answer",
                    title=f"[{outcome}] {p.title}",
                    path=proposal_path(p.id, p.board) + "#answers-h",
                    updated=p.answered_at,
                    published=p.answered_at,
                    # Who answered, then the answer: the 담당 부서 the proposal went to.
                    summary=(
                        f"{responsible_department(p)} 답변: " + (answer.body if answer else "")
                    )[:FEED_SUMMARY_CHARS],
                    category=outcome,
                )
            )
        return entries

    return (
        Feed(
            f"{spec.slug}-proposals",
            f"{_board_title(spec)}: 새 제안",
            spec.owner_department,
            new_entries,
            pages=(list_page,),
            group=menu(spec.menu_slug).name,
        ),
        Feed(
            f"{spec.slug}-answers",
            f"{_board_title(spec)}: 답변된 제안",
            spec.owner_department,
            answered_entries,
            pages=(list_page,),
            group=menu(spec.menu_slug).name,
        ),
    )


# ---------------------------------------------------------------- datasets

PROPOSAL_FIELDS = (
    DatasetField("id", "번호", "제안 번호. 제안 주소의 끝 숫자와 같습니다.", "int"),
    DatasetField("board", "게시판", "제안이 올라온 게시판 (정책참여 제안하기 등)."),
    DatasetField("title", "제목", "제안 제목. 전화번호·이메일 등은 가려져 있습니다."),
    DatasetField("body", "내용", "제안 내용. 전화번호·이메일·주민등록번호는 가려져 있습니다."),
    DatasetField("category", "분야", "제안자가 고른 분야."),
    DatasetField("dong", "동", "제안과 관련된 동 (없으면 빈 칸)."),
    DatasetField(
        "author",
        "제안자",
        "제안자 이름의 가운데를 가린 것 (김*우). 연락처는 싣지 않습니다.",
        "name",
    ),
    DatasetField("created_at", "등록 일시", "제안을 올린 때 (한국 시간).", "datetime"),
    DatasetField(
        "state",
        "상태",
        "공감 모집 · 부서 검토 · 답변 완료 · 기간 만료 (주민참여예산 사업 제안은 답변 전까지 접수).",
    ),
    DatasetField("gonggam", "공감 수", "공감한 주민 수.", "int"),
    DatasetField("comments", "댓글 수", "보이는 댓글 수.", "int"),
    DatasetField("commenters", "댓글 참여자 수", "댓글을 단 서로 다른 주민 수.", "int"),
    DatasetField("department", "담당 부서", "제안을 검토하고 답변하는 부서."),
    DatasetField("review_started_at", "검토 시작 일시", "부서 검토로 넘어간 때.", "datetime"),
    DatasetField("answer_due_at", "답변 기한", "부서가 답변해야 하는 때.", "datetime"),
    DatasetField("answered_at", "답변 일시", "부서가 답변한 때.", "datetime"),
    DatasetField("outcome", "검토 결과", "채택 · 행정참고 · 불채택 · 기타."),
    DatasetField("answer", "부서 답변", "담당 부서가 공개한 답변."),
    DatasetField("mayor_answer", "구청장 답변", "댓글 참여자가 기준을 넘어 구청장이 한 답변."),
    DatasetField("url", "주소", "제안 페이지 주소.", "url"),
)


def _proposal_rows(offset: int, limit: int) -> list[dict]:
    ids = db.session.scalars(
        select(Proposal.id).where(*_public()).order_by(Proposal.id).limit(limit).offset(offset)
    ).all()
    if not ids:
        return []
    rows = db.session.scalars(select(Proposal).where(Proposal.id.in_(ids)).order_by(Proposal.id))
    proposals = list(rows)
    discussion_ids = [p.discussion_id for p in proposals]
    answers = _department_answers(discussion_ids)
    mayor = _mayor_answers(discussion_ids)
    names = dong_names()
    out = []
    for p in proposals:
        spec = boards()[p.board]
        answer = answers.get(p.discussion_id)
        out.append(
            {
                "id": p.id,
                "board": _board_title(spec),
                "title": p.title,
                "body": p.body,
                "category": p.category,
                "dong": names.get(p.dong or "", ""),
                "author": p.author_name,
                "created_at": p.created_at,
                "state": _state_label(p, spec),
                "gonggam": p.gonggam_count,
                "comments": p.discussion.comment_count,
                "commenters": p.discussion.commenter_count,
                "department": responsible_department(p),
                "review_started_at": p.review_started_at,
                "answer_due_at": p.answer_due_at,
                "answered_at": p.answered_at,
                "outcome": p.outcome_label or "",
                "answer": answer.body if answer else "",
                "mayor_answer": mayor[p.discussion_id].body if p.discussion_id in mayor else "",
                "url": proposal_path(p.id, p.board),
            }
        )
    return out


def _state_label(proposal: Proposal, spec: BoardSpec) -> str:
    """The state a resident sees; a board without 공감 review (주민참여예산 moves by its
    own phases) shows an open proposal as 접수."""
    state = effective_state(proposal)
    if state == ProposalState.GATHERING and not spec.review_by_gonggam:
        return "접수"
    return STATE_LABELS[ProposalState(state)]


def _proposal_count() -> int:
    return db.session.scalar(select(func.count(Proposal.id)).where(*_public())) or 0


PROPOSALS_DATASET = Dataset(
    "proposals",
    "주민 제안과 답변",
    "정책참여 · 주민참여예산 · 협치관악 게시판에 올라온 주민 제안, 담당 부서, 검토 결과와 답변, 주요 날짜입니다. "
    "숨김 처리되거나 철회된 제안은 싣지 않습니다.",
    menu("policy").owner,
    PROPOSAL_FIELDS,
    _proposal_rows,
    _proposal_count,
)


STATS_FIELDS = (
    DatasetField("board", "게시판", "제안이 올라온 게시판."),
    DatasetField("department", "담당 부서", "제안을 검토하는 부서."),
    DatasetField("reviewed", "검토 대상", "부서 검토로 넘어간 제안 수.", "int"),
    DatasetField("answered", "답변 완료", "부서가 답변한 제안 수.", "int"),
    DatasetField("on_time", "기한 내 답변", "답변 기한 안에 답변한 제안 수.", "int"),
    DatasetField("late", "기한 후 답변", "답변 기한을 넘겨 답변한 제안 수.", "int"),
    DatasetField("overdue", "기한 초과 대기", "기한이 지났는데 아직 답변하지 않은 제안 수.", "int"),
    DatasetField("waiting", "검토 중", "기한 안에서 답변을 기다리는 제안 수.", "int"),
    DatasetField("median_days", "답변까지 걸린 날 (중앙값)", "검토 시작부터 답변까지 걸린 날수의 중앙값.", "number"),
    DatasetField("adopted", "채택", "채택된 제안 수.", "int"),
    DatasetField("reference", "행정참고", "행정참고로 답변한 제안 수.", "int"),
    DatasetField("rejected", "불채택", "불채택으로 답변한 제안 수.", "int"),
    DatasetField("other", "기타", "기타(사유 명시)로 답변한 제안 수.", "int"),
)  # fmt: skip


def department_stats() -> list[dict]:
    """Per board and 담당 부서: how many proposals went to review, how they were answered
    and how fast. Counted by the database (one grouped query), the median from the
    answered proposals' two dates (one more)."""
    now = clock.now()
    answered = Proposal.answered_at.is_not(None)
    on_time = answered & (
        Proposal.answer_due_at.is_(None) | (Proposal.answered_at <= Proposal.answer_due_at)
    )
    waiting = Proposal.answered_at.is_(None) & (Proposal.state == ProposalState.REVIEW)
    overdue = waiting & (Proposal.answer_due_at < now)

    def count_if(condition):
        return func.count(case((condition, 1)))

    outcomes = ("adopted", "reference", "rejected", "other")
    reviewed = (
        Proposal.hidden_at.is_(None),
        Proposal.review_started_at.is_not(None),
    )
    groups = db.session.execute(
        select(
            Proposal.board,
            Proposal.department,
            func.count(),
            count_if(answered),
            count_if(on_time),
            count_if(overdue),
            count_if(waiting),
            *(count_if(answered & (Proposal.outcome == Outcome(o))) for o in outcomes),
        )
        .where(*reviewed)
        .group_by(Proposal.board, Proposal.department)
    ).all()
    table: dict[tuple[str, str], dict] = {}
    names = ("reviewed", "answered", "on_time", "overdue", "waiting", *outcomes)
    for board_slug, department, *figures in groups:
        row = table.setdefault((board_slug, department), dict.fromkeys(names, 0))
        for name, value in zip(names, figures, strict=True):
            row[name] += value
    days: dict[tuple[str, str], list[float]] = defaultdict(list)
    spans = db.session.execute(
        select(
            Proposal.board,
            Proposal.department,
            Proposal.review_started_at,
            Proposal.answered_at,
        ).where(*reviewed, answered)
    )
    for board_slug, department, started, answered_at in spans:
        key = (board_slug, department)
        days[key].append((answered_at - started).total_seconds() / 86400)
    out = []
    for (board_slug, department), row in sorted(table.items()):
        spec = boards().get(board_slug)
        spent = days.get((board_slug, department))
        out.append(
            {"board": _board_title(spec) if spec else board_slug, "department": department}
            | row
            | {
                "late": row["answered"] - row["on_time"],
                "median_days": round(statistics.median(spent), 1) if spent else None,
            }
        )
    return out


def _stats() -> list[dict]:
    return once_per_request("participation.department_stats", department_stats)


DEPARTMENT_STATS_DATASET = Dataset(
    "department-answers",
    "부서별 답변 통계",
    "게시판과 담당 부서별로 검토한 제안 수, 기한 안에 답변한 수, 검토 결과별 수와 답변까지 걸린 날입니다.",
    menu("policy").owner,
    STATS_FIELDS,
    lambda offset, limit: _stats()[offset : offset + limit],
    lambda: len(_stats()),
)

DATASETS = (PROPOSALS_DATASET, DEPARTMENT_STATS_DATASET)


# ---------------------------------------------------------------- sitemap


def proposal_sitemap() -> list[SitemapEntry]:
    """Every public proposal page of every board, with its last change."""
    rows = db.session.execute(
        select(Proposal.id, Proposal.board, Proposal.updated_at)
        .where(*_public())
        .order_by(Proposal.id)
    )
    return [SitemapEntry(proposal_path(pid, board), updated) for pid, board, updated in rows]


def adopted_sitemap() -> list[SitemapEntry]:
    """The public list of adopted proposals and their 추진상황, changed with the latest."""
    latest = db.session.scalar(
        select(func.max(func.coalesce(Proposal.progress_at, Proposal.answered_at))).where(
            *_public(), Proposal.outcome == Outcome.ADOPTED
        )
    )
    return [SitemapEntry("/participation/adopted", latest)] if latest else []


# ---------------------------------------------------------------- search


def proposal_search(spec: BoardSpec, list_searchable: bool = True) -> SearchProvider:
    """Search a board's proposals with the engine's own search (its index where one
    exists). `list_searchable`: the board's list page takes ?q= (for '더 보기')."""

    key = f"proposals-{spec.slug}"

    def query(term: SearchTerm):
        return search_hits(key, spec.slug, term)

    def hit(row, term: str) -> SearchHit:
        path = proposal_path(row.id, row.ref)
        return SearchHit(row.title, path, snippet(row.body, term), row.at)

    def more_path(term: str) -> str | None:
        return f"/{spec.menu_slug}/proposals?{urlencode({'q': term})}" if list_searchable else None

    return SearchProvider(key, f"{_board_title(spec)}", query, hit, more_path)
