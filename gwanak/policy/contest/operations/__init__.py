"""Every state change of the contest: entering, registering, screening, deciding,
re-review, implementation, publishing results. Each step of an entry writes one
history row (actor, time, reason) and an audit entry, and commits; a refusal
(OperationError) writes nothing.

The modules follow the contest's life: contests, entries, review, queries (reading) and
privacy (public files, retention); callers import from this package.
"""

from gwanak.policy.contest.operations.contests import (
    SETTINGS,
    TEXT_MAX,
    TITLE_MAX,
    ContestFields,
    attachment_rules,
    consent_notice,
    contest_for_year,
    contests_newest_first,
    create_contest,
    publish_results,
    update_contest,
)
from gwanak.policy.contest.operations.entries import (
    BACK_OFFICE_ENTRY,
    EntryFields,
    register_offline_entry,
    submit_entry,
)
from gwanak.policy.contest.operations.privacy import (
    attachment_is_public,
    may_see_entry,
    purge_expired_personal_data,
)
from gwanak.policy.contest.operations.queries import (
    ContestStatistics,
    contest_statistics,
    contests_per_year,
    entries_of,
    entries_of_user,
    entries_to_screen,
    winners_of,
)
from gwanak.policy.contest.operations.review import (
    assign_screening,
    decide_entry,
    may_screen,
    record_prize_payment,
    rereview_entry,
    screen_entry,
    track_implementation,
)

__all__ = [
    "assign_screening",
    "may_screen",
    "BACK_OFFICE_ENTRY",
    "SETTINGS",
    "TEXT_MAX",
    "TITLE_MAX",
    "ContestFields",
    "ContestStatistics",
    "EntryFields",
    "attachment_is_public",
    "attachment_rules",
    "consent_notice",
    "contest_for_year",
    "contest_statistics",
    "contests_newest_first",
    "contests_per_year",
    "create_contest",
    "decide_entry",
    "entries_of",
    "entries_of_user",
    "entries_to_screen",
    "may_see_entry",
    "publish_results",
    "purge_expired_personal_data",
    "record_prize_payment",
    "register_offline_entry",
    "rereview_entry",
    "screen_entry",
    "submit_entry",
    "track_implementation",
    "update_contest",
    "winners_of",
]
