"""Imports every model module so the metadata (and Alembic) sees all tables."""

from gwanak.accounts.models import PasswordResetToken, User  # noqa: F401
from gwanak.core.audit import AuditEntry  # noqa: F401
from gwanak.core.mail import OutboxMail  # noqa: F401
from gwanak.core.settings import Setting  # noqa: F401
from gwanak.core.uploads import Upload  # noqa: F401
from gwanak.manifesto.models import Pledge, PledgeChange, VisionArea  # noqa: F401
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
