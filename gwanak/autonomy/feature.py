"""주민자치회 as a feature: 21 동 pages with members, programmes and notice boards."""

from gwanak.autonomy import demo, routes  # noqa: F401  (routes attach to bp)
from gwanak.autonomy.blueprint import bp
from gwanak.core.features import Feature

FEATURE = Feature(name="autonomy", blueprints=(bp,), demo=(demo.seed_autonomy,))
