"""주민자치회: the 21 동 residents' autonomy councils (see gwanak/data/menus.json)."""

from gwanak.core.menu_blueprint import make_menu_blueprint

bp = make_menu_blueprint("autonomy", __name__)

from gwanak.autonomy import routes  # noqa: E402,F401  (routes attach to bp)
