"""협치관악 as a feature: its blueprint (notices, 자료실, 연도별 협치과제, the board)."""

from gwanak.core.features import Feature, UploadRule
from gwanak.governance import archive, demo, operations, outward, routes, tasks  # noqa: F401
from gwanak.governance.blueprint import bp
from gwanak.participation.outward import proposal_feeds, proposal_search

FEATURE = Feature(
    name="governance",
    blueprints=(bp,),
    settings=operations.SETTINGS,
    boards=(routes.GOVERNANCE_BOARD,),
    staff_links=routes.STAFF_LINKS,
    upload_rules=(UploadRule("governance.archive", operations.archive_file_is_public),),
    demo=(demo.seed_governance, demo.seed_governance_proposals),
    feeds=proposal_feeds(routes.GOVERNANCE_BOARD),
    sitemap=(outward.governance_sitemap,),
    search=(proposal_search(routes.GOVERNANCE_BOARD),),
)
