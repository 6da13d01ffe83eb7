"""The home page and the site map; the sections come from the other features."""

from gwanak.core.features import Feature
from gwanak.home import routes

FEATURE = Feature(name="home", blueprints=(routes.bp,))
