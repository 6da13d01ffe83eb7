"""관악청 as a feature: what it adds to the app (installed by create_app)."""

from gwanak.cheong import commands, demo, operations, outward, photos, routes, staff_routes
from gwanak.cheong.blueprint import bp
from gwanak.core.features import Feature, LiveFigure, UploadRule

FEATURE = Feature(
    name="cheong",
    blueprints=(bp,),
    settings=operations.SETTINGS,
    staff_links=staff_routes.STAFF_LINKS,
    live_figures=(
        LiveFigure("cheong.dates_held", "구청장과 소통데이트 개최 횟수", routes.dates_held),
    ),
    upload_rules=(UploadRule("cheong.photos", photos.photo_is_public),),
    commands=(commands.purge_expired_command,),
    jobs=(commands.PURGE_JOB,),
    demo=(demo.seed_cheong,),
    sitemap=(outward.record_sitemap,),
)
