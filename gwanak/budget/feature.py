"""주민참여예산 as a feature: 실행사업, 예산학교, the 사업 제안 board with its rounds,
phases and votes, and its notices."""

from gwanak.budget import (
    commands,
    demo,
    operations,
    outward,
    proposal_operations,
    proposals,
    routes,
)
from gwanak.budget.blueprint import bp
from gwanak.core.features import Feature
from gwanak.participation.outward import proposal_feeds, proposal_search

FEATURE = Feature(
    name="budget",
    blueprints=(bp,),
    settings=operations.SETTINGS + proposal_operations.SETTINGS,
    boards=(proposals.BUDGET_BOARD,),
    staff_links=routes.STAFF_LINKS + proposals.STAFF_LINKS,
    home_sections=(proposals.budget_now,),
    timeline_labels=proposal_operations.TIMELINE_LABELS,
    commands=(commands.school_reminders_command,),
    jobs=(commands.REMINDER_JOB, commands.TOKEN_JOB),
    demo=(
        demo.seed_budget_projects,
        demo.seed_budget_school,
        demo.seed_budget_proposals,
        demo.seed_budget_notices,
    ),
    widgets=(outward.WIDGET,),
    feeds=proposal_feeds(proposals.BUDGET_BOARD),
    datasets=(outward.DATASET,),
    sitemap=(outward.project_sitemap,),
    # The 사업 제안 list filters by round and phase, not by a search term.
    search=(
        proposal_search(proposals.BUDGET_BOARD, list_searchable=False),
        outward.SEARCH,
    ),
)
