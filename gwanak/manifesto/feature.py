"""매니페스토 as a feature: pledges and their figures, the catalogue's import and export,
and 주민참여마당 (pledge threads on the participation engine)."""

from gwanak.core.features import Feature
from gwanak.manifesto import commands, demo, forum, outward, routes
from gwanak.manifesto.blueprint import bp

FEATURE = Feature(
    name="manifesto",
    blueprints=(bp,),
    settings=routes.SETTINGS + forum.SETTINGS,
    subjects=(forum.PLEDGE_SUBJECT,),
    staff_links=routes.STAFF_LINKS,
    commands=(commands.manifesto_import_command, commands.manifesto_export_command),
    demo=(demo.seed_pledges,),
    widgets=(outward.WIDGET,),
    feeds=(outward.FEED,),
    datasets=(outward.DATASET,),
    sitemap=(outward.pledge_sitemap,),
    search=(outward.SEARCH,),
)
