"""The participation engine as a feature: the comment routes every subject shares, the
engine's back office, its rules, the proposal subject kind and its scheduled jobs.

Boards are not here: each menu that has one lists its BoardSpec in its own feature, and
that board's feeds and search (participation/outward.py builds them)."""

from gwanak.core.features import Feature
from gwanak.participation import commands, outward, staff_views, views
from gwanak.participation.models import TIMELINE_LABELS

FEATURE = Feature(
    name="participation",
    blueprints=(views.bp, staff_views.bp),
    settings=views.SETTINGS,
    subjects=(views.PROPOSAL_SUBJECT,),
    staff_links=staff_views.STAFF_LINKS,
    timeline_labels=TIMELINE_LABELS,
    commands=(
        commands.proposals_expire_command,
        commands.answer_reminders_command,
        commands.import_proposals_command,
    ),
    widgets=outward.WIDGETS,
    datasets=outward.DATASETS,
    sitemap=(outward.proposal_sitemap,),
)
