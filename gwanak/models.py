"""Imports every model module so the metadata (and Alembic) sees all tables."""

import gwanak.budget.models  # noqa: F401
from gwanak.accounts.models import LoginThrottle, PasswordResetToken, User  # noqa: F401
from gwanak.autonomy.models import DongMember, DongProgramme  # noqa: F401
from gwanak.cheong.models import (  # noqa: F401
    DateApplication,
    DateFollowUp,
    DatePhoto,
    DateRecord,
    DateStateChange,
)
from gwanak.core.audit import AuditEntry  # noqa: F401
from gwanak.core.mail import OutboxMail  # noqa: F401
from gwanak.core.settings import Setting  # noqa: F401
from gwanak.core.uploads import Upload  # noqa: F401
from gwanak.core.visits import Visit, VisitDay, VisitSalt  # noqa: F401
from gwanak.governance.models import ArchiveFile, ArchiveItem, GovernanceTask, TaskUpdate  # noqa: F401
from gwanak.manifesto.models import Pledge, PledgeChange, PledgeSnapshot, VisionArea  # noqa: F401
from gwanak.notices.models import Notice, NoticeFile  # noqa: F401
from gwanak.pages.models import Page, PageRevision  # noqa: F401
from gwanak.participation.models import (  # noqa: F401
    Answer,
    Comment,
    Discussion,
    DiscussionParticipant,
    Gonggam,
    Proposal,
    Report,
    TimelineEvent,
)
from gwanak.policy.asks.models import Agenda, PollOption, PollVote  # noqa: F401
from gwanak.policy.contest.models import Contest, ContestEntry, ContestEntryEvent  # noqa: F401
from gwanak.policy.event.models import EventMonth, EventWinner  # noqa: F401
