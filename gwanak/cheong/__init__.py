"""관악청: about, meetings with the mayor (see gwanak/data/menus.json)."""

from gwanak.core.menu_blueprint import make_menu_blueprint

bp = make_menu_blueprint("cheong", __name__)

from gwanak.cheong import routes  # noqa: E402,F401  (routes attach to bp)
