"""The participation engine as a feature: the comment routes every subject shares, the
engine's back office, its rules, the proposal subject kind and its scheduled jobs.

Boards are not here: each menu that has one lists its BoardSpec in its own feature, and
that board's feeds and search (participation/outward.py builds them)."""

from flask import Flask

from gwanak.core.features import Feature
from gwanak.participation import (
    commands,
    department_views,
    follow_views,
    outward,
    progress_views,  # noqa: F401 - attaches the 추진상황 list to views.bp
    staff_corrections,  # noqa: F401 - attaches corrections and 추진상황 to staff_views.bp
    staff_views,
    views,
)
from gwanak.participation.models import TIMELINE_LABELS


def _init_notifications(app: Flask) -> None:
    # The header's 내 알림 link shows the unread count on every page.
    app.jinja_env.globals["unread_notifications"] = follow_views.unread_notifications


FEATURE = Feature(
    name="participation",
    blueprints=(views.bp, staff_views.bp, department_views.bp),
    settings=views.SETTINGS,
    subjects=(views.PROPOSAL_SUBJECT,),
    staff_links=staff_views.STAFF_LINKS,
    timeline_labels=TIMELINE_LABELS,
    commands=(
        commands.proposals_expire_command,
        commands.answer_reminders_command,
        commands.reindex_command,
        commands.import_proposals_command,
    ),
    jobs=commands.JOBS,
    widgets=outward.WIDGETS,
    datasets=outward.DATASETS,
    sitemap=(outward.proposal_sitemap, outward.adopted_sitemap),
    init_app=_init_notifications,
)
