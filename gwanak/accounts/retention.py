"""Clean-ups of account data that only matters for a while (run by `flask gwanak
daily`): spent or expired password-reset links and log-in throttles long quiet."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, or_

from gwanak.accounts.models import LoginThrottle, PasswordResetToken
from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.core.jobs import Job

# A throttle with no failure for this long counts for nothing any more; dropping it
# lets the table shrink (it holds keyed hashes of addresses and accounts).
THROTTLE_QUIET = timedelta(days=30)


def purge_stale_account_data() -> dict[str, int]:
    """Delete used or expired reset tokens and quiet, unblocked throttles. Idempotent."""
    now = clock.now()
    tokens = db.session.execute(
        delete(PasswordResetToken).where(
            or_(PasswordResetToken.used_at.is_not(None), PasswordResetToken.expires_at <= now)
        )
    ).rowcount
    throttles = db.session.execute(
        delete(LoginThrottle).where(
            or_(LoginThrottle.blocked_until.is_(None), LoginThrottle.blocked_until <= now),
            or_(
                LoginThrottle.last_failure_at.is_(None),
                LoginThrottle.last_failure_at < now - THROTTLE_QUIET,
            ),
        )
    ).rowcount
    db.session.commit()
    return {"재설정 링크": tokens, "로그인 제한 기록": throttles}


PURGE_JOB = Job(
    "accounts.purge_stale", "만료된 재설정 링크·로그인 제한 기록 정리", purge_stale_account_data
)
