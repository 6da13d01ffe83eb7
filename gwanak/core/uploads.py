"""Uploaded files: checked by content, stored outside the web root, served safely.

One store for every feature (contest attachments, meeting photos, notices, archive).
A file's kind is decided by its bytes, never by its name; the stored name is generated;
the original name is kept only for the download's Content-Disposition.
"""

from __future__ import annotations

import hashlib
import io
import re
import secrets
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import Blueprint, abort, current_app, send_file
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.datastructures import FileStorage

from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.core.features import registry
from gwanak.core.operations import OperationError

# kind -> (label, MIME type, shown inline?)
KINDS: dict[str, tuple[str, str, bool]] = {
    "pdf": ("PDF", "application/pdf", False),
    "hwp": ("HWP", "application/x-hwp", False),
    "hwpx": ("HWPX", "application/hwp+zip", False),
    "docx": (
        "DOCX",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        False,
    ),
    "xlsx": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", False),
    "jpg": ("JPG", "image/jpeg", True),
    "png": ("PNG", "image/png", True),
}
DOCUMENTS = frozenset({"pdf", "hwp", "hwpx", "docx"})
IMAGES = frozenset({"jpg", "png"})
EXTENSIONS = {"pdf": {"pdf"}, "hwp": {"hwp"}, "hwpx": {"hwpx"}, "docx": {"docx"},
              "xlsx": {"xlsx"}, "jpg": {"jpg", "jpeg"}, "png": {"png"}}  # fmt: skip
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class UploadError(OperationError):
    """A file was refused. It shows by the form's file input: `field` is the name the
    operation gave `store_upload(s)` ("file" unless it names another)."""

    def __init__(self, message: str, *, field: str = "file"):
        super().__init__(message, field=field)


class Upload(db.Model):
    __tablename__ = "uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    original_name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(8))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    @property
    def label(self) -> str:
        return KINDS[self.kind][0]

    @property
    def mime(self) -> str:
        return KINDS[self.kind][1]

    @property
    def url(self) -> str:
        return f"/uploads/{self.stored_name}/{self.download_name}"

    @property
    def download_name(self) -> str:
        return safe_filename(self.original_name, self.kind)


def sniff(data: bytes) -> str | None:
    """The kind of a file from its bytes, or None when it is none we accept."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(OLE_MAGIC):
        # HWP 5 is an OLE compound file whose header stream names itself.
        return "hwp" if b"HWP Document File" in data[:65536] or _ole_has_hwp(data) else None
    if data.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    return None


def _ole_has_hwp(data: bytes) -> bool:
    # Directory entries are UTF-16LE; "FileHeader" is the stream every HWP has.
    return "FileHeader".encode("utf-16-le") in data


# Zip bombs (a 1 MB .hwpx whose entry inflates to 1 GB): the archive's directory is
# judged before anything is inflated, and at most ZIP_READ_BYTES are ever read from an
# entry (declared sizes can lie; a bounded read cannot).
ZIP_MAX_ENTRIES = 5000
ZIP_MAX_UNCOMPRESSED = 256 * 1024 * 1024  # declared, all entries together
ZIP_MAX_RATIO = 200  # declared uncompressed / compressed, for entries over ZIP_RATIO_FLOOR
ZIP_RATIO_FLOOR = 1024 * 1024
ZIP_READ_BYTES = 64
ZIP_BOMB_MESSAGE = (
    "압축을 풀면 지나치게 커지는 파일이라 올릴 수 없습니다. 문서를 다시 저장해 올려 주세요."
)


def _check_zip_directory(archive: zipfile.ZipFile) -> None:
    entries = archive.infolist()
    if len(entries) > ZIP_MAX_ENTRIES:
        raise UploadError(ZIP_BOMB_MESSAGE)
    total = 0
    for entry in entries:
        total += entry.file_size
        ratio = entry.file_size / max(entry.compress_size, 1)
        if total > ZIP_MAX_UNCOMPRESSED or (
            entry.file_size > ZIP_RATIO_FLOOR and ratio > ZIP_MAX_RATIO
        ):
            raise UploadError(ZIP_BOMB_MESSAGE)


def _sniff_zip(data: bytes) -> str | None:
    """The kind of an OOXML/HWPX archive from its directory and a few bytes of `mimetype`.

    Raises UploadError for archives that would inflate beyond reason."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_zip_directory(archive)
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    if entry.read(ZIP_READ_BYTES).startswith(b"application/hwp+zip"):
                        return "hwpx"
            if "word/document.xml" in names and "[Content_Types].xml" in names:
                return "docx"
            if "xl/workbook.xml" in names and "[Content_Types].xml" in names:
                return "xlsx"
    except UploadError:
        raise
    # Broken or exotic archives (bad headers, unsupported compression) are just not ours.
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, EOFError, ValueError):
        return None
    except NotImplementedError:
        return None
    return None


# Characters a name may not carry: controls, and the invisible format characters
# (right-to-left override U+202E makes "사진\u202egnp.exe" look like "사진exe.png";
# zero-width spaces and joiners hide what a name really says).
def _visible(name: str) -> str:
    return "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp"))


def safe_filename(name: str, kind: str) -> str:
    """A display name without paths, control or direction characters, ending in the real
    extension."""
    name = _visible(unicodedata.normalize("NFC", name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f\x7f\"<>:|?*;]", "", name).strip(" .")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = stem[:120] or "file"
    return f"{stem}.{kind}"


@dataclass(frozen=True)
class UploadRules:
    kinds: frozenset[str]
    max_bytes: int

    def describe(self) -> str:
        labels = ", ".join(KINDS[k][0] for k in sorted(self.kinds))
        return f"{labels} 파일, {self.max_bytes // (1024 * 1024)}MB 이하"


def upload_dir() -> Path:
    path = Path(current_app.config["UPLOAD_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_upload(
    file: FileStorage, rules: UploadRules, uploader_id: int | None = None, *, field: str = "file"
) -> Upload:
    """Check a file and store it; UploadError (Korean, shown by the form's `field`) when
    it is refused.

    The kind must be allowed and agree with the name's extension, so an .exe or an
    .html renamed .pdf is refused. A step: adds the row to the caller's transaction —
    the bytes are written first, and an orphan file on a rolled-back transaction is
    harmless.
    """
    if file is None or not file.filename:
        raise UploadError("파일을 고르세요.", field=field)
    data = file.stream.read(rules.max_bytes + 1)
    if len(data) > rules.max_bytes:
        raise UploadError(
            f"파일이 너무 큽니다. {rules.describe()}만 올릴 수 있습니다.", field=field
        )
    if not data:
        raise UploadError("빈 파일은 올릴 수 없습니다.", field=field)
    kind = sniff(data)
    extension = file.filename.rsplit(".", 1)[-1].lower() if "." in file.filename else ""
    if kind is None or kind not in rules.kinds:
        raise UploadError(
            f"허용되지 않는 파일입니다. {rules.describe()}만 올릴 수 있습니다.", field=field
        )
    if extension not in EXTENSIONS[kind]:
        raise UploadError("파일 이름의 확장자와 실제 파일 형식이 다릅니다.", field=field)
    stored_name = secrets.token_hex(16)
    (upload_dir() / stored_name).write_bytes(data)
    upload = Upload(
        stored_name=stored_name,
        original_name=safe_filename(file.filename, kind),
        kind=kind,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploader_id=uploader_id,
        created_at=clock.now(),
    )
    db.session.add(upload)
    db.session.flush()
    return upload


def store_uploads(
    files: list[FileStorage],
    rules: UploadRules,
    uploader_id: int | None = None,
    *,
    field: str = "files",
) -> list[Upload]:
    """Store several files, all or none: on the first refusal the files already written
    are removed and UploadError names the refused file. Empty file inputs are skipped."""
    stored: list[Upload] = []
    for file in files:
        if file is None or not file.filename:
            continue
        try:
            stored.append(store_upload(file, rules, uploader_id, field=field))
        except UploadError as error:
            for upload in stored:
                delete_upload_file(upload)
            name = safe_filename(file.filename, "x").rsplit(".", 1)[0]
            raise UploadError(f"{name}: {error.message}", field=field) from None
    return stored


def change_attachments(
    attached: list,
    link: Callable[[Upload], object],
    *,
    add: Iterable[FileStorage | None] = (),
    remove_ids: Iterable[int] = (),
    rules: UploadRules,
    max_files: int,
    required: bool = False,
    uploader_id: int | None,
    field: str = "files",
) -> None:
    """Drop the chosen attachments from an item's file list (`attached`, its relationship)
    and add new files, each wrapped by `link` (the item's file row): at most `max_files`
    in the end, at least one when `required`.

    A step in the caller's transaction. All or none: a refusal (UploadError, by `field`)
    rolls the transaction back, the item with it, and removes the files it wrote."""
    try:
        removing = set(remove_ids)
        for row in [row for row in attached if row.id in removing]:
            attached.remove(row)
        files = [file for file in add if file is not None and file.filename]
        if len(attached) + len(files) > max_files:
            raise UploadError(f"파일은 {max_files}개까지 붙일 수 있습니다.", field=field)
        for upload in store_uploads(files, rules, uploader_id, field=field):
            attached.append(link(upload))
        if required and not attached:
            raise UploadError("파일을 하나 이상 올리세요.", field=field)
    except UploadError:
        db.session.rollback()
        raise


def delete_upload_file(upload: Upload) -> None:
    path = upload_dir() / upload.stored_name
    path.unlink(missing_ok=True)


bp = Blueprint("uploads", __name__, url_prefix="/uploads")


@bp.route("/<stored_name>/<path:name>")
def serve(stored_name: str, name: str):
    """Serve a stored file that its feature's rule makes public. The stored name is a
    128-bit random token, so URLs cannot be guessed; a file no rule claims stays private."""
    if not re.fullmatch(r"[0-9a-f]{32}", stored_name):
        abort(404)
    upload = db.session.query(Upload).filter_by(stored_name=stored_name).first()
    if upload is None or not is_public(upload):
        abort(404)
    path = upload_dir() / upload.stored_name
    if not path.is_file():
        abort(404)
    inline = KINDS[upload.kind][2]
    response = send_file(
        path,
        mimetype=upload.mime,
        as_attachment=not inline,
        download_name=upload.download_name,
        max_age=86400,
        conditional=True,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def is_public(upload: Upload) -> bool:
    """True when a feature claims the file and every claiming rule lets it out.

    Fails closed: a file that no feature's `UploadRule` claims (a feature left out of
    the manifest, a stray row) is never served publicly."""
    verdicts = [
        verdict for rule in registry().upload_rules if (verdict := rule.public(upload)) is not None
    ]
    return bool(verdicts) and all(verdicts)
