"""Retention (개인정보 보유 기간): personal data of closed applications expires.

What expires: the phone number, the link to the account, the body unless the applicant
chose to publish it, the applicant's own history rows' actor. What stays public: the
number, topic, masked name, 동, state and date on the board, and the meeting records.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from gwanak.cheong.models import CLOSED_STATES, DateApplication, DateStateChange
from gwanak.core import clock
from gwanak.core.audit import record_audit
from gwanak.core.extensions import db
from gwanak.core.settings import get_setting
from gwanak.core.visits import forget_old_visitors


def purge_expired() -> dict[str, int]:
    """Anonymise applications closed longer ago than the retention period; idempotent."""
    cutoff = clock.now() - timedelta(days=get_setting("cheong.retention_days"))
    expired = db.session.scalars(
        select(DateApplication).where(
            DateApplication.state.in_(CLOSED_STATES),
            DateApplication.closed_at < cutoff,
            DateApplication.purged_at.is_(None),
        )
    ).all()
    for app in expired:
        if app.applicant_id is not None:
            db.session.execute(
                update(DateStateChange)
                .where(
                    DateStateChange.application_id == app.id,
                    DateStateChange.actor_id == app.applicant_id,
                )
                .values(actor_id=None)
            )
        app.phone = None
        app.applicant_id = None
        app.consented_at = None
        app.preferences = []
        if not app.publish_body:
            app.body = None
        app.purged_at = clock.now()
    visitors = forget_old_visitors(clock.today())
    summary = {"applications": len(expired), "visitor_hashes": visitors}
    record_audit("cheong.purge_expired", "retention", "date_applications", after=summary)
    db.session.commit()
    current_app.logger.info("purge-expired: %s", summary)
    return summary
