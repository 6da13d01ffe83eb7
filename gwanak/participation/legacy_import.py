"""Proposals from the old portal: `flask gwanak import-proposals FILE.csv`.

The old 온라인 관악청 kept proposals with their 공감 counts, the department's answer and
its outcome (채택 · 행정참고 · 불채택 · 기타). The file (format in docs/import-proposals.md)
is checked row by row — every problem reported in Korean with its row number — and
then written in one transaction: a file with any problem writes nothing. Each row
carries the old portal's id (`legacy_id`); a proposal already imported is skipped, so
the same file may be imported again.

The old authors have no account here: imported proposals belong to one system
account that cannot sign in (and takes part in nothing, e.g. the monthly event), and
keep the author's name as the old portal showed it, masked.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from gwanak.accounts.models import Role, User
from gwanak.core import clock
from gwanak.core.audit import record_audit
from gwanak.core.csv_safe import restore_cell
from gwanak.core.extensions import db
from gwanak.core.masking import contains_personal_data, mask_name
from gwanak.core.menus import dongs
from gwanak.core.operations import OperationError
from gwanak.core.search_index import index_item
from gwanak.participation.boards import board, boards
from gwanak.participation.models import (
    OUTCOME_LABELS,
    Answer,
    BoardSlug,
    Proposal,
    ProposalState,
    TimelineEvent,
    search_kind,
)
from gwanak.participation.operations.comments import open_discussion
from gwanak.participation.operations.common import BODY_MAX, TITLE_MAX
from gwanak.participation.queries import forget_card_stats

COLUMNS = (
    "legacy_id",
    "board",
    "posted_at",
    "author",
    "category",
    "dong",
    "title",
    "body",
    "gonggam",
    "outcome",
    "answered_on",
    "department",
    "answer",
    "reason",
)
REQUIRED_COLUMNS = ("legacy_id", "posted_at", "author", "category", "title", "body", "gonggam")
LEGACY_ID = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$")
OUTCOMES = {label: outcome for outcome, label in OUTCOME_LABELS.items()}
SYSTEM_EMAIL = "old-portal-import@gwanak.invalid"
SYSTEM_NAME = "이전 포털 이관"
MAX_ROWS = 20000


@dataclass
class ProposalRow:
    number: int  # the row number in the file (the header is row 1)
    legacy_id: str
    board: str
    posted_at: datetime  # naive UTC, as stored
    author: str
    category: str
    dong: str | None
    title: str
    body: str
    gonggam: int
    outcome: str | None
    answered_at: datetime | None
    department: str
    answer: str
    reason: str | None


@dataclass
class ImportResult:
    imported: list[str] = field(default_factory=list)  # legacy ids written
    skipped: list[str] = field(default_factory=list)  # already imported before


class _Rows:
    """Checks one row after another; problems collect as '<n>행: …'."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.seen: dict[str, int] = {}
        self.dongs = {d.name: d.slug for d in dongs()} | {d.slug: d.slug for d in dongs()}

    def fail(self, number: int, message: str) -> None:
        self.problems.append(f"{number}행: {message}")

    def text(self, row, key, n, label, limit, required=True) -> str:
        value = (row.get(key) or "").strip()
        if required and not value:
            self.fail(n, f"{label}이(가) 비어 있습니다.")
        elif len(value) > limit:
            self.fail(n, f"{label}은(는) {limit:,}자 이하여야 합니다 (지금 {len(value):,}자).")
        return value

    def when(self, row, key, n, label, required=True) -> datetime | None:
        """A KST date ('2022-08-03') or date and time ('2022-08-03 14:20'), as naive UTC."""
        value = (row.get(key) or "").strip()
        if not value:
            if required:
                self.fail(n, f"{label}이(가) 비어 있습니다.")
            return None
        try:
            local = (
                datetime.fromisoformat(value)
                if " " in value or "T" in value
                else datetime.combine(date.fromisoformat(value), time(9, 0))
            )
        except ValueError:
            self.fail(
                n, f"{label} '{value}'은(는) 2022-08-03 또는 2022-08-03 14:20 형식이어야 합니다."
            )
            return None
        stored = local.replace(tzinfo=None) - timedelta(hours=9)  # KST → UTC
        if stored > clock.now():
            self.fail(n, f"{label} '{value}'이(가) 오늘 이후입니다.")
            return None
        return stored

    def check(self, row: dict, n: int) -> ProposalRow | None:
        before = len(self.problems)
        legacy_id = self.text(row, "legacy_id", n, "원 번호(legacy_id)", 40)
        if legacy_id and not LEGACY_ID.match(legacy_id):
            self.fail(n, f"원 번호 '{legacy_id}'에는 영문·숫자·.-_만 쓸 수 있습니다.")
        elif legacy_id in self.seen:
            self.fail(n, f"원 번호 '{legacy_id}'이(가) {self.seen[legacy_id]}행과 겹칩니다.")
        self.seen.setdefault(legacy_id, n)
        slug = (row.get("board") or "").strip() or BoardSlug.POLICY
        spec = boards().get(slug)
        if spec is None:
            self.fail(n, f"게시판 '{slug}'은(는) {' · '.join(boards())} 중 하나여야 합니다.")
        posted = self.when(row, "posted_at", n, "등록일")
        category = self.text(row, "category", n, "분야", 20)
        if spec and category and category not in spec.categories:
            self.fail(
                n, f"분야 '{category}'은(는) {' · '.join(spec.categories)} 중 하나여야 합니다."
            )
        dong_name = self.text(row, "dong", n, "동", 40, required=False)
        if dong_name and dong_name not in self.dongs:
            self.fail(n, f"동 '{dong_name}'은(는) 관악구 21개 동 이름이 아닙니다.")
        gonggam_text = (row.get("gonggam") or "").strip().replace(",", "")
        gonggam = int(gonggam_text) if gonggam_text.isdigit() else None
        if gonggam is None or gonggam > 1_000_000:
            self.fail(n, f"공감 수 '{row.get('gonggam') or ''}'은(는) 0 이상의 정수여야 합니다.")
        outcome, answered = self._answer(row, n, posted)
        result = ProposalRow(
            number=n,
            legacy_id=legacy_id,
            board=slug,
            posted_at=posted,
            author=self.text(row, "author", n, "작성자", 40),
            category=category,
            dong=self.dongs.get(dong_name),
            title=self.text(row, "title", n, "제목", TITLE_MAX),
            body=self.text(row, "body", n, "내용", BODY_MAX),
            gonggam=gonggam or 0,
            outcome=outcome,
            answered_at=answered,
            department=self.text(row, "department", n, "답변 부서", 40, required=False)
            or (spec.owner_department if spec else ""),
            answer=self.text(row, "answer", n, "답변", BODY_MAX, required=bool(outcome)),
            reason=self.text(row, "reason", n, "사유", 500, required=outcome == "other") or None,
        )
        return result if len(self.problems) == before else None

    def _answer(self, row, n, posted) -> tuple[str | None, datetime | None]:
        label = (row.get("outcome") or "").strip()
        if not label:
            if (row.get("answer") or "").strip() or (row.get("answered_on") or "").strip():
                self.fail(n, "답변이 있으면 처리 결과(채택·행정참고·불채택·기타)를 적어야 합니다.")
            return None, None
        if label not in OUTCOMES:
            self.fail(n, f"처리 결과 '{label}'은(는) {' · '.join(OUTCOMES)} 중 하나여야 합니다.")
            return None, None
        answered = self.when(row, "answered_on", n, "답변일")
        if answered and posted and answered < posted:
            self.fail(n, "답변일이 등록일보다 앞섭니다.")
        return str(OUTCOMES[label]), answered


def read_rows(text: str) -> list[ProposalRow]:
    """Every row checked; OperationError with every problem (row-numbered) if any."""
    try:
        reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
        header = [h.strip() for h in (reader.fieldnames or [])]
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        if missing:
            raise OperationError("1행(머리행): 없는 열: " + ", ".join(missing), field="file")
        unknown = [h for h in header if h and h not in COLUMNS]
        if unknown:
            raise OperationError("1행(머리행): 알 수 없는 열: " + ", ".join(unknown), field="file")
        check, rows = _Rows(), []
        for n, raw in enumerate(reader, start=2):
            if n - 1 > MAX_ROWS:
                raise OperationError(
                    f"한 번에 {MAX_ROWS:,}행까지 가져올 수 있습니다.", field="file"
                )
            if None in raw:  # more cells than the header has columns
                check.fail(n, "머리행보다 칸이 많습니다.")
                continue
            cells = {k.strip(): restore_cell(v or "") for k, v in raw.items() if k}
            if not any(v.strip() for v in cells.values()):
                continue  # a blank line
            row = check.check(cells, n)
            if row is not None:
                rows.append(row)
    except csv.Error as error:
        raise OperationError(f"CSV 형식이 아닙니다 ({error}).", field="file") from None
    if check.problems:
        raise OperationError("\n".join(check.problems), field="file")
    if not rows:
        raise OperationError("가져올 제안이 없습니다.", field="file")
    return rows


def _system_account() -> User:
    """The account imported proposals belong to: it can never sign in."""
    user = db.session.scalar(select(User).where(User.email == SYSTEM_EMAIL))
    if user is None:
        user = User(
            email=SYSTEM_EMAIL,
            name=SYSTEM_NAME,
            role=Role.RESIDENT,
            password_hash=generate_password_hash(secrets.token_urlsafe(32)),
            deleted_at=clock.now(),  # is_active False: no sign-in, no event prizes
        )
        db.session.add(user)
        db.session.flush()
    return user


def _write(row: ProposalRow, owner: User) -> None:
    spec = board(row.board)
    discussion = open_discussion("proposal", spec.rules, spec.owner_department)
    discussion.created_at = row.posted_at
    proposal = Proposal(
        board=spec.slug,
        discussion_id=discussion.id,
        author_id=owner.id,
        department=row.department,
        title=row.title,
        body=row.body,
        category=row.category,
        dong=row.dong,
        state=ProposalState.ANSWERED if row.outcome else ProposalState.EXPIRED,
        gonggam_count=row.gonggam,
        created_at=row.posted_at,
        updated_at=row.answered_at or row.posted_at,
        gathering_ends_at=row.posted_at + timedelta(days=spec.setting("gonggam_days")),
        answered_at=row.answered_at,
        outcome=row.outcome,
        flagged_personal_data=contains_personal_data(row.title + "\n" + row.body),
        legacy_id=row.legacy_id,
        legacy_author=mask_name(row.author),
    )
    db.session.add(proposal)
    db.session.flush()
    # Found by the list's search like any other proposal of its board.
    index_item(search_kind(spec.slug), proposal.id, row.title, row.body)
    forget_card_stats(spec.slug)
    db.session.add(
        TimelineEvent(
            discussion_id=discussion.id,
            event="posted",
            note="이전 포털에서 옮겨옴",
            created_at=row.posted_at,
        )
    )
    if row.outcome:
        db.session.add(
            Answer(
                discussion_id=discussion.id,
                kind="department",
                department=row.department,
                outcome=row.outcome,
                reason=row.reason,
                body=row.answer,
                author_id=None,
                created_at=row.answered_at,
            )
        )


def import_proposals(text: str, actor_id: int | None = None) -> ImportResult:
    """Check the whole file, then write every new proposal and commit once; a file
    with any problem writes nothing (OperationError listing every problem by row)."""
    rows = read_rows(text)
    known = set(
        db.session.scalars(
            select(Proposal.legacy_id).where(Proposal.legacy_id.in_([r.legacy_id for r in rows]))
        )
    )
    result = ImportResult()
    try:
        owner = _system_account()
        for row in rows:
            if row.legacy_id in known:
                result.skipped.append(row.legacy_id)
                continue
            _write(row, owner)
            result.imported.append(row.legacy_id)
        record_audit(
            "proposal.import",
            "proposal",
            "old-portal",
            after={"imported": len(result.imported), "skipped": len(result.skipped)},
            actor_id=actor_id,
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return result
