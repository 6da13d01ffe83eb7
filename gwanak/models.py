"""Imports every model module so the metadata (and Alembic) sees all tables."""

import gwanak.budget.models  # noqa: F401
from gwanak.accounts.models import (  # noqa: F401
    Department,
    LoginThrottle,
    PasswordResetToken,
    User,
)
from gwanak.autonomy.models import DongMember, DongProgramme  # noqa: F401
from gwanak.cheong.models import (  # noqa: F401
    DateApplication,
    DateFollowUp,
    DatePhoto,
    DateRecord,
    DateStateChange,
)
from gwanak.core.audit import AuditEntry  # noqa: F401
from gwanak.core.jobs import JobRun  # noqa: F401
from gwanak.core.mail import OutboxMail  # noqa: F401
from gwanak.core.search_index import SearchGram  # noqa: F401
from gwanak.core.settings import Setting  # noqa: F401
from gwanak.core.uploads import Upload  # noqa: F401
from gwanak.core.visits import Visit, VisitDay, VisitSalt  # noqa: F401
from gwanak.governance.models import ArchiveFile, ArchiveItem, GovernanceTask, TaskUpdate  # noqa: F401
from gwanak.manifesto.models import Pledge, PledgeChange, PledgeSnapshot, VisionArea  # noqa: F401
from gwanak.notices.models import Notice, NoticeFile  # noqa: F401
from gwanak.pages.models import Page, PageRevision  # noqa: F401
from gwanak.participation.models import (  # noqa: F401
    Answer,
    AnswerRevision,
    Comment,
    Discussion,
    DiscussionParticipant,
    Follow,
    Gonggam,
    Notification,
    ProgressRevision,
    ProgressUpdate,
    Proposal,
    Report,
    TimelineEvent,
)
from gwanak.policy.asks.models import (  # noqa: F401
    Agenda,
    AgendaResultVersion,
    PollOption,
    PollVote,
)
from gwanak.policy.contest.models import Contest, ContestEntry, ContestEntryEvent  # noqa: F401
from gwanak.policy.event.models import EventMonth, EventWinner  # noqa: F401
