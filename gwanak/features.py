"""The manifest: every feature of the portal, in the order create_app installs them.

Order matters where one feature builds on another: accounts first (everyone's demo
seeders need the demo people), then the shared parts, then the six menus as the
navigation lists them. The demo seeders run in this order too.
"""

from __future__ import annotations

from gwanak.accounts.feature import FEATURE as ACCOUNTS
from gwanak.autonomy.feature import FEATURE as AUTONOMY
from gwanak.budget.feature import FEATURE as BUDGET
from gwanak.cheong.feature import FEATURE as CHEONG
from gwanak.core import uploads, visits
from gwanak.core.demo import seed_demo_command
from gwanak.core.features import Feature
from gwanak.governance.feature import FEATURE as GOVERNANCE
from gwanak.home.feature import FEATURE as HOME
from gwanak.manifesto.feature import FEATURE as MANIFESTO
from gwanak.notices.feature import FEATURE as NOTICES
from gwanak.pages.feature import FEATURE as PAGES
from gwanak.participation.feature import FEATURE as PARTICIPATION
from gwanak.policy.feature import ASKS, CONTEST, EVENT, POLICY
from gwanak.staff.feature import FEATURE as STAFF

# What core itself serves: stored files, the visit counter's rule, `seed-demo`.
CORE = Feature(
    name="core",
    blueprints=(uploads.bp,),
    settings=visits.SETTINGS,
    commands=(seed_demo_command,),
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
)
