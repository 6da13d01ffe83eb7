"""정책참여 as features: 제안하기 (the engine's policy board), 관악구가 묻습니다!,
창의제안 공모전 and 정책참여 이벤트. All four serve pages from the menu's blueprint."""

from functools import partial

from gwanak.core.features import Feature, LiveFigure, UploadRule
from gwanak.participation.outward import proposal_feeds, proposal_search
from gwanak.participation.views import open_proposals_section
from gwanak.policy import demo, routes  # noqa: F401  (board pages attach to bp)
from gwanak.policy.asks import demo as asks_demo
from gwanak.policy.asks import operations as asks_ops
from gwanak.policy.asks import outward as asks_outward
from gwanak.policy.asks import routes as asks_routes
from gwanak.policy.blueprint import bp
from gwanak.policy.board import POLICY_BOARD
from gwanak.policy.contest import commands as contest_commands
from gwanak.policy.contest import demo as contest_demo
from gwanak.policy.contest import operations as contest_ops
from gwanak.policy.contest import outward as contest_outward
from gwanak.policy.contest import routes as contest_routes
from gwanak.policy.event import demo as event_demo
from gwanak.policy.event import operations as event_ops
from gwanak.policy.event import routes as event_routes

POLICY = Feature(
    name="policy",
    blueprints=(bp,),
    boards=(POLICY_BOARD,),
    home_sections=(partial(open_proposals_section, POLICY_BOARD),),
    demo=(demo.seed_proposals, demo.seed_progress),
    feeds=proposal_feeds(POLICY_BOARD),
    search=(proposal_search(POLICY_BOARD),),
)

ASKS = Feature(
    name="policy.asks",
    settings=asks_ops.SETTINGS,
    subjects=(asks_ops.AGENDA_SUBJECT,),
    staff_links=asks_routes.STAFF_LINKS,
    home_sections=(asks_routes.open_agendas_section,),
    live_figures=(
        LiveFigure(
            "policy.asks_per_year",
            "관악구가 묻습니다! 의제 수",
            asks_ops.asks_per_year,
            "담당자가 게시해 공개된 의제",
        ),
    ),
    demo=(asks_demo.seed_agendas,),
    widgets=(asks_outward.WIDGET,),
    feeds=(asks_outward.FEED,),
    datasets=asks_outward.DATASETS,
    sitemap=(asks_outward.agenda_sitemap,),
    search=(asks_outward.SEARCH,),
)

CONTEST = Feature(
    name="policy.contest",
    settings=contest_ops.SETTINGS,
    staff_links=contest_routes.STAFF_LINKS,
    live_figures=(
        LiveFigure(
            "policy.contests_per_year",
            "창의제안 공모전 개최 수",
            contest_ops.contests_per_year,
            "심사 결과를 발표한 공모전",
        ),
    ),
    upload_rules=(UploadRule("policy.contest", contest_ops.attachment_is_public),),
    commands=(contest_commands.purge_contest_data_command,),
    jobs=(contest_commands.PURGE_JOB,),
    demo=(contest_demo.seed_contests,),
    sitemap=(contest_outward.contest_sitemap,),
)

EVENT = Feature(
    name="policy.event",
    settings=event_ops.SETTINGS,
    staff_links=event_routes.STAFF_LINKS,
    live_figures=(
        LiveFigure(
            "policy.event_months_per_year",
            "정책참여 이벤트 운영 월 수",
            event_ops.event_months_per_year,
            "당첨자를 확정한 달",
        ),
    ),
    demo=(event_demo.seed_event_months,),
)
