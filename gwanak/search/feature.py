"""통합 검색 as a feature: one page over every provider the features declare."""

from gwanak.core.features import Feature
from gwanak.search import routes

FEATURE = Feature(name="search", blueprints=(routes.bp,), settings=routes.SETTINGS)
