"""The governance menu's blueprint: its landing page and stored pages; feature routes attach to it."""

from gwanak.pages.menu_blueprint import make_menu_blueprint

bp = make_menu_blueprint("governance", __name__)
