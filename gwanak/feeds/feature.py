"""Atom feeds as a feature: serves every feed the other features declare (Feature.feeds)
and lets their list pages announce them."""

from gwanak.core.features import Feature
from gwanak.core.outward import SitemapEntry
from gwanak.feeds import routes

FEATURE = Feature(
    name="feeds",
    blueprints=(routes.bp,),
    settings=routes.SETTINGS,
    init_app=routes.install_feed_links,
    sitemap=(lambda: [SitemapEntry("/feeds")],),
)
