"""Every change to the 자료실 and to 연도별 협치과제: plain functions, audited, committing."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from gwanak.core import clock
from gwanak.core.audit import record_audit
from gwanak.core.extensions import db
from gwanak.core.operations import OperationError
from gwanak.core.settings import SettingSpec, get_setting
from gwanak.core.uploads import DOCUMENTS, IMAGES, UploadRules, change_attachments
from gwanak.governance.models import ArchiveFile, ArchiveItem, GovernanceTask, TaskUpdate

ARCHIVE_CATEGORIES = ("회의자료", "보고서", "교육자료", "홍보물", "기타")
TASK_STATES = ("준비", "추진중", "완료", "보류")
TITLE_MAX = 150
TEXT_MAX = 10_000
PARTNERS_MAX = 2_000

# Rules as data: installed by this feature (Feature.settings).
SETTINGS = (
    SettingSpec("archive.per_page", "자료실 한 쪽에 보이는 자료 수", 15, minimum=5),
    SettingSpec("archive.max_files", "자료 한 건에 붙일 수 있는 파일 수", 10, minimum=1),
    SettingSpec("archive.max_file_mb", "자료실 파일 한 개의 최대 크기(MB)", 20, minimum=1),
)


def _text(value: str | None, label: str, limit: int, field: str, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise OperationError(f"{label}을(를) 입력하세요.", field=field)
    if len(value) > limit:
        raise OperationError(f"{label}은(는) {limit:,}자 이하로 입력하세요.", field=field)
    return value


# ------------------------------------------------------------------ 자료실 (archive)


def archive_rules() -> UploadRules:
    return UploadRules(DOCUMENTS | IMAGES | {"xlsx"}, get_setting("archive.max_file_mb") << 20)


def list_archive(category: str | None, page: int) -> tuple[list[ArchiveItem], bool]:
    per_page = get_setting("archive.per_page")
    query = select(ArchiveItem).where(ArchiveItem.deleted_at.is_(None))
    if category:
        query = query.where(ArchiveItem.category == category)
    rows = db.session.scalars(
        query.order_by(ArchiveItem.created_at.desc(), ArchiveItem.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page + 1)
    ).all()
    return list(rows[:per_page]), len(rows) > per_page


def get_archive_item(item_id: int) -> ArchiveItem | None:
    return db.session.scalar(
        select(ArchiveItem).where(ArchiveItem.id == item_id, ArchiveItem.deleted_at.is_(None))
    )


def _archive_snapshot(item: ArchiveItem) -> dict:
    return {
        "title": item.title,
        "description": item.description,
        "category": item.category,
        "files": [f.upload.original_name for f in item.files],
    }


def _archive_fields(title: str, description: str, category: str) -> tuple[str, str, str]:
    title = _text(title, "제목", TITLE_MAX, "title")
    description = _text(description, "설명", TEXT_MAX, "description", required=False)
    if category not in ARCHIVE_CATEGORIES:
        raise OperationError("분류를 고르세요.", field="category")
    return title, description, category


def _change_archive_files(item: ArchiveItem, uploader_id, files, remove_file_ids=()) -> None:
    change_attachments(
        item.files,
        lambda upload: ArchiveFile(upload_id=upload.id, upload=upload),
        add=files,
        remove_ids=remove_file_ids,
        rules=archive_rules(),
        max_files=get_setting("archive.max_files"),
        required=True,
        uploader_id=uploader_id,
    )


def create_archive_item(
    author_id: int | None, *, title: str, description: str, category: str, files
) -> ArchiveItem:
    """Add a 자료 with its files, all or nothing (a refused file saves nothing); audited."""
    title, description, category = _archive_fields(title, description, category)
    now = clock.now()
    item = ArchiveItem(
        title=title,
        description=description,
        category=category,
        author_id=author_id,
        created_at=now,
        updated_at=now,
    )
    db.session.add(item)
    _change_archive_files(item, author_id, files)
    db.session.flush()
    record_audit(
        "archive.create", "archive_item", item.id, after=_archive_snapshot(item), actor_id=author_id
    )
    db.session.commit()
    return item


def edit_archive_item(
    item: ArchiveItem,
    editor_id: int | None,
    *,
    title: str,
    description: str,
    category: str,
    remove_file_ids=(),
    files=(),
) -> ArchiveItem:
    """Change a 자료, drop chosen files and add new ones; at least one file stays; audited."""
    title, description, category = _archive_fields(title, description, category)
    before = _archive_snapshot(item)
    _change_archive_files(item, editor_id, files, remove_file_ids)
    item.title, item.description, item.category = title, description, category
    item.updated_at = clock.now()
    db.session.flush()
    record_audit(
        "archive.edit",
        "archive_item",
        item.id,
        before=before,
        after=_archive_snapshot(item),
        actor_id=editor_id,
    )
    db.session.commit()
    return item


def delete_archive_item(item: ArchiveItem, staff_id: int | None) -> None:
    before = _archive_snapshot(item)
    item.deleted_at = clock.now()
    record_audit("archive.delete", "archive_item", item.id, before=before, actor_id=staff_id)
    db.session.commit()


# ------------------------------------------------------------------ 연도별 협치과제 (tasks)


def task_years() -> list[int]:
    return list(
        db.session.scalars(
            select(GovernanceTask.year).distinct().order_by(GovernanceTask.year.desc())
        )
    )


def tasks_of_year(year: int) -> list[GovernanceTask]:
    return list(
        db.session.scalars(
            select(GovernanceTask).where(GovernanceTask.year == year).order_by(GovernanceTask.id)
        )
    )


def _task_fields(data: dict) -> dict:
    try:
        year = int(data.get("year") or 0)
    except (TypeError, ValueError):
        year = 0
    if not 2000 <= year <= 2100:
        raise OperationError("연도를 2000~2100 사이로 입력하세요.", field="year")
    if data.get("state") not in TASK_STATES:
        raise OperationError("상태를 고르세요.", field="state")
    return {
        "year": year,
        "title": _text(data.get("title"), "과제명", TITLE_MAX, "title"),
        "summary": _text(data.get("summary"), "과제 내용", TEXT_MAX, "summary", required=False),
        "partners": _text(data.get("partners"), "협력 기관", PARTNERS_MAX, "partners", False),
        "department": _text(data.get("department"), "담당 부서", 40, "department"),
        "state": data["state"],
        "result": _text(data.get("result"), "연도별 성과", TEXT_MAX, "result", required=False),
    }


def _task_snapshot(task: GovernanceTask) -> dict:
    return {
        k: getattr(task, k)
        for k in ("year", "title", "summary", "partners", "department", "state", "result")
    }


def save_task(task: GovernanceTask | None, editor_id: int | None, data: dict) -> GovernanceTask:
    """Create (task=None) or change a governance task; audited; commits."""
    fields = _task_fields(data)
    now = clock.now()
    before = None
    if task is None:
        task = GovernanceTask(created_at=now, **fields)
        db.session.add(task)
    else:
        before = _task_snapshot(task)
        for key, value in fields.items():
            setattr(task, key, value)
    task.updated_at = now
    db.session.flush()
    record_audit(
        "task.create" if before is None else "task.edit",
        "governance_task",
        task.id,
        before=before,
        after=_task_snapshot(task),
        actor_id=editor_id,
    )
    db.session.commit()
    return task


def add_task_update(
    task: GovernanceTask, author_id: int | None, on_date: date | None, body: str
) -> TaskUpdate:
    """A dated progress note on a task; audited; commits."""
    if on_date is None:
        raise OperationError("날짜를 입력하세요.", field="on_date")
    body = _text(body, "진행 내용", TEXT_MAX, "body")
    update = TaskUpdate(
        task_id=task.id, on_date=on_date, body=body, author_id=author_id, created_at=clock.now()
    )
    db.session.add(update)
    db.session.flush()
    record_audit(
        "task.update.add",
        "governance_task",
        task.id,
        after={"update_id": update.id, "on_date": on_date.isoformat(), "body": body},
        actor_id=author_id,
    )
    task.updated_at = clock.now()
    db.session.commit()
    return update


def delete_task_update(task: GovernanceTask, update: TaskUpdate, staff_id: int | None) -> None:
    record_audit(
        "task.update.delete",
        "governance_task",
        task.id,
        before={"update_id": update.id, "on_date": update.on_date.isoformat(), "body": update.body},
        actor_id=staff_id,
    )
    db.session.delete(update)
    db.session.commit()


def archive_file_is_public(upload) -> bool | None:
    """A 자료실 file is public while its item is; None for other files."""
    deleted_at = db.session.execute(
        select(ArchiveItem.deleted_at)
        .join(ArchiveFile, ArchiveFile.item_id == ArchiveItem.id)
        .where(ArchiveFile.upload_id == upload.id)
    ).first()
    if deleted_at is None:
        return None
    return deleted_at[0] is None
