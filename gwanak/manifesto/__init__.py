"""매니페스토: pledges (see gwanak/data/menus.json)."""

from gwanak.core.menu_blueprint import make_menu_blueprint

bp = make_menu_blueprint("manifesto", __name__)

from gwanak.manifesto import routes  # noqa: E402,F401  (routes attach to bp)
