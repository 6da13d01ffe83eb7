"""열린 데이터 as a feature: publishes every dataset the other features declare
(Feature.datasets) as downloads and through the JSON API."""

from gwanak.core.features import Feature
from gwanak.core.outward import SitemapEntry
from gwanak.opendata import routes

FEATURE = Feature(
    name="opendata",
    blueprints=(routes.bp,),
    settings=routes.SETTINGS,
    sitemap=(lambda: [SitemapEntry("/open-data")],),
)
