"""Meeting photos: our upload store, resized and re-encoded on the server.

Re-encoding drops EXIF (camera, GPS) and keeps pages light on phones; the alt text
is required so screen-reader users learn what the photo shows.
"""

from __future__ import annotations

import hashlib
import io

from flask_login import current_user
from PIL import Image, ImageOps, UnidentifiedImageError
from werkzeug.datastructures import FileStorage

from gwanak.accounts.models import User
from gwanak.cheong.models import OWNER_DEPARTMENT, DatePhoto, DateRecord
from gwanak.core.audit import record_audit
from gwanak.core.extensions import db
from gwanak.core.operations import OperationError
from gwanak.core.permissions import in_department
from gwanak.core.uploads import (
    IMAGES,
    Upload,
    UploadError,
    UploadRules,
    delete_upload_file,
    store_upload,
    upload_dir,
)

PHOTO_RULES = UploadRules(IMAGES, 8 * 1024 * 1024)
MAX_SIDE = 1280
ALT_MAX = 200
Image.MAX_IMAGE_PIXELS = 40_000_000  # refuse decompression bombs early


def _resize(upload: Upload) -> tuple[int, int]:
    """Shrink to MAX_SIDE and re-encode in place; returns the new (width, height)."""
    path = upload_dir() / upload.stored_name
    try:
        with Image.open(path) as image:
            image = ImageOps.exif_transpose(image)
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            if upload.kind == "jpg":
                image.convert("RGB").save(out, "JPEG", quality=82, optimize=True)
            else:
                image.save(out, "PNG", optimize=True)
            size = image.size
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise UploadError(
            "사진을 읽을 수 없습니다. 다른 JPG 또는 PNG 파일을 올리세요.", field="photo"
        ) from exc
    data = out.getvalue()
    path.write_bytes(data)
    upload.size = len(data)
    upload.sha256 = hashlib.sha256(data).hexdigest()
    return size


def add_photo(record: DateRecord, staff: User, file: FileStorage, alt: str) -> DatePhoto:
    """Store, resize and attach a photo; OperationError (by the `alt` or `photo` field)
    when the text or the file is refused, and nothing is kept."""
    alt = (alt or "").strip()
    if not alt:
        raise OperationError(
            "사진 설명(대체 텍스트)을 쓰세요. 화면낭독기 사용자가 듣는 글입니다.", field="alt"
        )
    if len(alt) > ALT_MAX:
        raise OperationError(f"사진 설명은 {ALT_MAX}자 이하로 쓰세요.", field="alt")
    upload = store_upload(file, PHOTO_RULES, uploader_id=staff.id, field="photo")
    try:
        width, height = _resize(upload)
    except UploadError:
        db.session.rollback()
        delete_upload_file(upload)
        raise
    photo = DatePhoto(record=record, upload=upload, alt=alt, width=width, height=height)
    db.session.add(photo)
    db.session.flush()
    record_audit(
        "date_record.photo_add", "date_record", record.id,
        after={"photo_id": photo.id, "alt": alt}, actor_id=staff.id,
    )  # fmt: skip
    db.session.commit()
    return photo


def remove_photo(photo: DatePhoto, staff: User) -> None:
    upload = photo.upload
    record_audit(
        "date_record.photo_remove", "date_record", photo.record_id,
        before={"photo_id": photo.id, "alt": photo.alt}, actor_id=staff.id,
    )  # fmt: skip
    db.session.delete(photo)
    db.session.delete(upload)
    db.session.commit()
    delete_upload_file(upload)


def photo_is_public(upload: Upload) -> bool | None:
    """A meeting photo is public once its record is; before that only its staff see it.
    None for files that are not meeting photos (another feature's rule decides)."""
    record = db.session.scalar(
        db.select(DateRecord).join(DatePhoto).where(DatePhoto.upload_id == upload.id)
    )
    if record is None:
        return None
    if record.is_published:
        return True
    user = current_user
    return bool(
        user
        and user.is_authenticated
        and (user.is_admin or (user.is_staff and in_department(user, OWNER_DEPARTMENT)))
    )
