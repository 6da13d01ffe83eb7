"""퍼가기 as a feature: serves the widgets every other feature declares (Feature.widgets),
keeps the session from setting a cookie on them, and offers their iframe code."""

from flask import Flask

from gwanak.core.features import Feature
from gwanak.core.outward import SitemapEntry
from gwanak.embeds import routes
from gwanak.embeds.sessions import WidgetlessCookieSessions


def _init_sessions(app: Flask) -> None:
    app.session_interface = WidgetlessCookieSessions()


FEATURE = Feature(
    name="embeds",
    blueprints=(routes.bp,),
    settings=routes.SETTINGS,
    init_app=_init_sessions,
    sitemap=(lambda: [SitemapEntry("/embed")],),
)
