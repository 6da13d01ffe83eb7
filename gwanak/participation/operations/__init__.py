"""Every state change of the participation engine, as plain functions.

Each operation checks its rule, changes rows with atomic statements, records the
timeline and audit entries, queues mail, and commits. When it refuses it raises
`OperationError` (a Korean message, the field, the HTTP status) and nothing is saved.

Exactness under concurrency rests on two things: a unique row per person (공감, a
commenter) and counters changed only by `UPDATE … SET n = n + 1` in the same transaction
as that row; transitions are conditional UPDATEs (`WHERE state = 'gathering' AND
gonggam_count >= threshold`), so exactly one transaction performs each.

The modules follow the engine's parts: comments (discussions), proposals, gonggam,
answers, moderation and the scheduled jobs; callers import from this package.
"""

from gwanak.participation.operations.answers import (
    OUTCOME_NOTE,
    answer_proposal,
    mayor_answer,
    record_answer,
)
from gwanak.participation.operations.comments import (
    comment_discussion,
    delete_comment,
    edit_comment,
    open_discussion,
    post_comment,
)
from gwanak.participation.operations.common import (
    ANSWER_MAX,
    BODY_MAX,
    COMMENT_MAX,
    REASON_MAX,
    TITLE_MAX,
    require_participant,
)
from gwanak.participation.operations.gonggam import (
    GonggamResult,
    give_gonggam,
    has_gonggam,
    take_back_gonggam,
)
from gwanak.participation.operations.jobs import (
    department_staff,
    expire_stale_proposals,
    send_answer_reminders,
)
from gwanak.participation.operations.moderation import (
    dismiss_reports,
    hide_comment,
    hide_proposal,
    report_item,
    restore_comment,
    restore_proposal,
)
from gwanak.participation.operations.proposals import (
    add_proposal,
    create_proposal,
    edit_proposal,
    withdraw_proposal,
)

__all__ = [
    "require_participant",
    "ANSWER_MAX",
    "BODY_MAX",
    "COMMENT_MAX",
    "OUTCOME_NOTE",
    "REASON_MAX",
    "TITLE_MAX",
    "GonggamResult",
    "add_proposal",
    "answer_proposal",
    "comment_discussion",
    "create_proposal",
    "delete_comment",
    "department_staff",
    "dismiss_reports",
    "edit_comment",
    "edit_proposal",
    "expire_stale_proposals",
    "give_gonggam",
    "has_gonggam",
    "hide_comment",
    "hide_proposal",
    "mayor_answer",
    "open_discussion",
    "post_comment",
    "record_answer",
    "report_item",
    "restore_comment",
    "restore_proposal",
    "send_answer_reminders",
    "take_back_gonggam",
    "withdraw_proposal",
]
