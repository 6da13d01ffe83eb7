"""Privacy: when an attachment is public, who may see an entry, and 파기 of personal data
after the retention period."""

from __future__ import annotations

from sqlalchemy import select

from gwanak.core import clock
from gwanak.core.audit import record_audit
from gwanak.core.extensions import db
from gwanak.core.settings import get_setting
from gwanak.core.uploads import Upload
from gwanak.policy.contest.models import (
    Contest,
    ContestEntry,
    EntryState,
)


def attachment_is_public(upload: Upload) -> bool | None:
    """An entry's file stays private until results are out, and then only winners' are
    shown. None for files that are not contest attachments (another rule decides)."""
    row = db.session.execute(
        select(ContestEntry.state, Contest.results_published_at)
        .join(Contest, Contest.id == ContestEntry.contest_id)
        .where(ContestEntry.attachment_id == upload.id)
    ).first()
    if row is None:
        return None
    state, published = row
    return published is not None and state in (EntryState.EXCELLENT, EntryState.ADOPTED)


def may_see_entry(user, entry: ContestEntry) -> bool:
    from gwanak.core.permissions import may_edit

    if user is None or not user.is_authenticated:
        return False
    return entry.submitter_id == user.id or may_edit(user, entry)


def purge_expired_personal_data() -> int:
    """파기: once the retention period after the results has passed, keep only masked names
    and drop contacts and the link to the account. Idempotent; commits. Returns entries changed."""
    from gwanak.core.masking import mask_name

    years = get_setting("contest.retention_years")
    now = clock.now()
    changed = 0
    for contest in db.session.scalars(
        select(Contest).where(Contest.results_published_at.is_not(None))
    ):
        published = contest.results_published_at
        try:
            expires = published.replace(year=published.year + years)
        except ValueError:  # 29 February
            expires = published.replace(year=published.year + years, day=28)
        if now < expires:
            continue
        for entry in db.session.scalars(
            select(ContestEntry).where(ContestEntry.contest_id == contest.id)
        ):
            masked = mask_name(entry.submitter_name)
            if entry.submitter_name != masked or entry.submitter_contact or entry.submitter_id:
                entry.submitter_name, entry.submitter_contact, entry.submitter_id = masked, "", None
                changed += 1
    if changed:
        record_audit(
            "contest.purge_personal_data", "contest_entry", "*", after={"entries": changed}
        )
    db.session.commit()
    return changed
