"""Staff-edited pages as a feature: the editor, revisions, the site-level pages the footer
links to, and the demo page texts. Each menu's stored pages are served by its own
blueprint (pages/menu_blueprint.py)."""

from gwanak.core.features import Feature
from gwanak.pages import demo, routes, site

FEATURE = Feature(
    name="pages",
    blueprints=(routes.bp, site.bp),
    demo=(demo.seed_pages,),
    sitemap=(site.page_sitemap,),
    search=(site.SEARCH,),
)
