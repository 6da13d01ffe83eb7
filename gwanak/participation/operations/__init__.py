"""Every state change of the participation engine, as plain functions.

Each operation checks its rule, changes rows with atomic statements, records the
timeline and audit entries, queues mail, and commits. When it refuses it raises
`OperationError` (a Korean message, the field, the HTTP status) and nothing is saved.

Exactness under concurrency rests on two things: a unique row per person (공감, a
commenter) and counters changed only by `UPDATE … SET n = n + 1` in the same transaction
as that row; transitions are conditional UPDATEs (`WHERE state = 'gathering' AND
gonggam_count >= threshold`), so exactly one transaction performs each.

The modules follow the engine's parts: comments (discussions), proposals, gonggam,
answers (and their corrections), progress (추진상황), following (and notifications),
moderation and the scheduled jobs; callers import from this package.
"""

from gwanak.participation.operations.answers import (
    OUTCOME_NOTE,
    answer_proposal,
    correct_answer,
    leave_mayor_queue,
    mayor_answer,
    proposal_of_answer,
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
from gwanak.participation.operations.following import (
    follow,
    is_following,
    mark_all_read,
    mark_read,
    notify_followers,
    unfollow,
    unread_count,
)
from gwanak.participation.operations.gonggam import (
    GonggamResult,
    GonggamTarget,
    give_gonggam,
    gonggam_target,
    has_gonggam,
    take_back_gonggam,
)
from gwanak.participation.operations.jobs import (
    department_staff,
    expire_stale_proposals,
    prune_old_records,
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
from gwanak.participation.operations.progress import add_progress, correct_progress
from gwanak.participation.operations.proposals import (
    add_proposal,
    create_proposal,
    edit_proposal,
    reindex_proposals,
    withdraw_proposal,
)
from gwanak.participation.operations.routing import (
    assign_proposal,
    coordinator_of,
    may_answer,
    may_route,
)

__all__ = [
    "reindex_proposals",
    "require_participant",
    "ANSWER_MAX",
    "BODY_MAX",
    "COMMENT_MAX",
    "OUTCOME_NOTE",
    "REASON_MAX",
    "TITLE_MAX",
    "GonggamResult",
    "add_progress",
    "add_proposal",
    "answer_proposal",
    "assign_proposal",
    "coordinator_of",
    "comment_discussion",
    "correct_answer",
    "correct_progress",
    "create_proposal",
    "delete_comment",
    "department_staff",
    "dismiss_reports",
    "edit_comment",
    "edit_proposal",
    "expire_stale_proposals",
    "follow",
    "GonggamTarget",
    "give_gonggam",
    "gonggam_target",
    "has_gonggam",
    "hide_comment",
    "hide_proposal",
    "may_answer",
    "may_route",
    "is_following",
    "mark_all_read",
    "mark_read",
    "leave_mayor_queue",
    "mayor_answer",
    "notify_followers",
    "open_discussion",
    "post_comment",
    "proposal_of_answer",
    "record_answer",
    "report_item",
    "restore_comment",
    "restore_proposal",
    "prune_old_records",
    "send_answer_reminders",
    "take_back_gonggam",
    "unfollow",
    "unread_count",
    "withdraw_proposal",
]
