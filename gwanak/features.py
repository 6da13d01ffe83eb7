"""The manifest: every feature of the portal, in the order create_app installs them.

Order matters where one feature builds on another: accounts first (everyone's demo
seeders need the demo people), then the shared parts, then the six menus as the
navigation lists them, then the features that publish what the others declare
(widgets, feeds, open data, search). The demo seeders run in this order too.
"""

from __future__ import annotations

from gwanak.accounts.feature import FEATURE as ACCOUNTS
from gwanak.autonomy.feature import FEATURE as AUTONOMY
from gwanak.budget.feature import FEATURE as BUDGET
from gwanak.cheong.feature import FEATURE as CHEONG
from gwanak.core import uploads, visits
from gwanak.core.backup import backup_command, restore_command
from gwanak.core.demo import seed_demo_command
from gwanak.core.features import Feature
from gwanak.core.jobs import daily_command
from gwanak.core.mail_commands import MAIL_JOB, send_mail_command
from gwanak.core.outward import Widget
from gwanak.embeds.feature import FEATURE as EMBEDS
from gwanak.feeds.feature import FEATURE as FEEDS
from gwanak.governance.feature import FEATURE as GOVERNANCE
from gwanak.home.feature import FEATURE as HOME
from gwanak.manifesto.feature import FEATURE as MANIFESTO
from gwanak.notices.feature import FEATURE as NOTICES
from gwanak.opendata.feature import FEATURE as OPENDATA
from gwanak.pages.feature import FEATURE as PAGES
from gwanak.participation.feature import FEATURE as PARTICIPATION
from gwanak.policy.feature import ASKS, CONTEST, EVENT, POLICY
from gwanak.search.feature import FEATURE as SEARCH
from gwanak.staff.feature import FEATURE as STAFF

# What core itself serves: stored files, the visit counter's rule and its widget,
# `seed-demo`, `daily` (every feature's jobs), mail delivery, `backup` and `restore`.
CORE = Feature(
    name="core",
    blueprints=(uploads.bp,),
    settings=visits.SETTINGS,
    commands=(seed_demo_command, daily_command, send_mail_command, backup_command, restore_command),
    jobs=(MAIL_JOB,),
    widgets=(
        Widget(
            "visits",
            "방문 현황",
            "온라인 관악청을 찾은 누적 방문자 수와 오늘 방문자 수입니다 (하루에 한 사람을 한 번 셉니다).",
            visits.visits_widget,
        ),
    ),
)

FEATURES: tuple[Feature, ...] = (
    CORE,
    ACCOUNTS,
    PAGES,
    HOME,
    STAFF,
    NOTICES,
    PARTICIPATION,
    CHEONG,
    POLICY,
    ASKS,
    CONTEST,
    EVENT,
    BUDGET,
    GOVERNANCE,
    MANIFESTO,
    AUTONOMY,
    # What other sites take from the portal: they read what the features above declare.
    EMBEDS,
    FEEDS,
    OPENDATA,
    SEARCH,
)
