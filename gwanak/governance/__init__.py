"""협치관악: governance (see gwanak/data/menus.json)."""

from gwanak.core.menu_blueprint import make_menu_blueprint

bp = make_menu_blueprint("governance", __name__)

from gwanak.governance import routes  # noqa: E402,F401  (routes attach to bp)
