"""Notice boards as configuration, and every change to a notice (audited)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select, update
from werkzeug.datastructures import FileStorage

from gwanak.core import clock
from gwanak.core.audit import record_audit
from gwanak.core.extensions import db
from gwanak.core.markup import render_markdown
from gwanak.core.operations import OperationError
from gwanak.core.settings import SettingSpec, get_setting
from gwanak.core.uploads import DOCUMENTS, IMAGES, UploadRules, change_attachments
from gwanak.notices.models import Notice, NoticeFile

TITLE_MAX = 150
BODY_MAX = 20_000

# Rules as data: installed by this feature (Feature.settings).
SETTINGS = (
    SettingSpec("notices.per_page", "공지사항 한 쪽에 보이는 글 수", 15, minimum=5),
    SettingSpec("notices.max_files", "공지 한 건에 붙일 수 있는 파일 수", 5, minimum=1),
    SettingSpec("notices.max_file_mb", "공지 첨부 파일 한 개의 최대 크기(MB)", 10, minimum=1),
    SettingSpec("notices.remembered_views", "조회수 중복 방지로 기억하는 글 수(방문자별)", 100),
)


@dataclass(frozen=True)
class NoticeBoard:
    """Where a board's notices live and who owns them."""

    key: str  # stored in Notice.board: "budget", "governance", "dong:boramae"
    name: str  # "협치관악 공지사항"
    owner_department: str
    endpoint_prefix: str  # "governance.notice" → governance.notice_list, …
    owner_dong: str | None = None
    url_args: dict[str, str] = field(default_factory=dict)
    crumbs: tuple[tuple[str, str], ...] = ()
    path: str = ""  # where its list is: "/budget/notices" (feeds are announced there)

    def endpoint(self, view: str) -> str:
        return f"{self.endpoint_prefix}_{view}"


def upload_rules() -> UploadRules:
    return UploadRules(DOCUMENTS | IMAGES | {"xlsx"}, get_setting("notices.max_file_mb") << 20)


def list_notices(board: NoticeBoard, page: int) -> tuple[list[Notice], bool]:
    """One page of a board: pinned first, newest first; files come in one more query."""
    per_page = get_setting("notices.per_page")
    rows = db.session.scalars(
        select(Notice)
        .where(Notice.board == board.key, Notice.deleted_at.is_(None))
        .order_by(Notice.pinned.desc(), Notice.created_at.desc(), Notice.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page + 1)
    ).all()
    return list(rows[:per_page]), len(rows) > per_page


def latest_notices(board: NoticeBoard, limit: int = 5) -> list[Notice]:
    return list(
        db.session.scalars(
            select(Notice)
            .where(Notice.board == board.key, Notice.deleted_at.is_(None))
            .order_by(Notice.pinned.desc(), Notice.created_at.desc(), Notice.id.desc())
            .limit(limit)
        )
    )


def get_notice(board: NoticeBoard, notice_id: int) -> Notice | None:
    return db.session.scalar(
        select(Notice).where(
            Notice.id == notice_id, Notice.board == board.key, Notice.deleted_at.is_(None)
        )
    )


def count_view(board: NoticeBoard, notice_id: int) -> None:
    """One more view, as a single atomic UPDATE (exact under concurrent requests).
    Only a live notice of this board counts; an id from another board changes nothing."""
    db.session.execute(
        update(Notice)
        .where(Notice.id == notice_id, Notice.board == board.key, Notice.deleted_at.is_(None))
        .values(views=Notice.views + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _snapshot(notice: Notice) -> dict:
    return {
        "title": notice.title,
        "body_md": notice.body_md,
        "pinned": notice.pinned,
        "files": [f.upload.original_name for f in notice.files],
    }


def _change_files(notice: Notice, uploader_id, files, remove_file_ids=()) -> None:
    change_attachments(
        notice.files,
        lambda upload: NoticeFile(upload_id=upload.id, upload=upload),
        add=files,
        remove_ids=remove_file_ids,
        rules=upload_rules(),
        max_files=get_setting("notices.max_files"),
        uploader_id=uploader_id,
    )


def _clean(title: str, body_md: str) -> tuple[str, str]:
    title = (title or "").strip()
    if not title:
        raise OperationError("제목을 입력하세요.", field="title")
    if len(title) > TITLE_MAX:
        raise OperationError(f"제목은 {TITLE_MAX}자 이하로 입력하세요.", field="title")
    if len(body_md or "") > BODY_MAX:
        raise OperationError(f"본문은 {BODY_MAX:,}자 이하로 입력하세요.", field="body")
    return title, body_md or ""


def create_notice(
    board: NoticeBoard,
    author_id: int | None,
    *,
    title: str,
    body_md: str,
    pinned: bool = False,
    files: list[FileStorage] = (),  # type: ignore[assignment]
) -> Notice:
    """Post a notice with its files, all or nothing, with an audit entry; commits."""
    title, body_md = _clean(title, body_md)
    now = clock.now()
    notice = Notice(
        board=board.key,
        owner_department=board.owner_department,
        owner_dong=board.owner_dong,
        title=title,
        body_md=body_md,
        body_html=render_markdown(body_md),
        pinned=pinned,
        views=0,
        author_id=author_id,
        created_at=now,
        updated_at=now,
    )
    db.session.add(notice)
    _change_files(notice, author_id, files)
    db.session.flush()
    record_audit("notice.create", "notice", notice.id, after=_snapshot(notice), actor_id=author_id)
    db.session.commit()
    return notice


def edit_notice(
    notice: Notice,
    editor_id: int | None,
    *,
    title: str,
    body_md: str,
    pinned: bool,
    remove_file_ids: list[int] = (),  # type: ignore[assignment]
    files: list[FileStorage] = (),  # type: ignore[assignment]
) -> Notice:
    """Change a notice, drop chosen files, add new ones; all or nothing, audited; commits."""
    title, body_md = _clean(title, body_md)
    before = _snapshot(notice)
    _change_files(notice, editor_id, files, remove_file_ids)
    notice.title = title
    notice.body_md = body_md
    notice.body_html = render_markdown(body_md)
    notice.pinned = pinned
    notice.updated_at = clock.now()
    db.session.flush()
    record_audit(
        "notice.edit",
        "notice",
        notice.id,
        before=before,
        after=_snapshot(notice),
        actor_id=editor_id,
    )
    db.session.commit()
    return notice


def delete_notice(notice: Notice, staff_id: int | None) -> None:
    """Take a notice off the board. The row stays (soft delete) so history is kept."""
    before = _snapshot(notice)
    notice.deleted_at = clock.now()
    record_audit("notice.delete", "notice", notice.id, before=before, actor_id=staff_id)
    db.session.commit()


def notice_file_is_public(upload) -> bool | None:
    """A notice's attachment is public while its notice is; None for other files."""
    deleted_at = db.session.execute(
        select(Notice.deleted_at)
        .join(NoticeFile, NoticeFile.notice_id == Notice.id)
        .where(NoticeFile.upload_id == upload.id)
    ).first()
    if deleted_at is None:
        return None
    return deleted_at[0] is None
