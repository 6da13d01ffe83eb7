"""Staff-edited pages as a feature: the editor, revisions and the demo page texts.
Each menu's stored pages are served by its own blueprint (pages/menu_blueprint.py)."""

from gwanak.core.features import Feature
from gwanak.pages import demo, routes

FEATURE = Feature(name="pages", blueprints=(routes.bp,), demo=(demo.seed_pages,))
