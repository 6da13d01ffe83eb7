"""The home page, the site map (HTML, sitemap.xml) and robots.txt; the sections and the
sitemap's pages come from the other features."""

from gwanak.core.features import Feature
from gwanak.home import routes

FEATURE = Feature(
    name="home",
    blueprints=(routes.bp,),
    settings=routes.SETTINGS,
    sitemap=(routes.home_sitemap,),
)
