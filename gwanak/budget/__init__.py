"""주민참여예산: participatory budgeting (see gwanak/data/menus.json)."""

from gwanak.core.menu_blueprint import make_menu_blueprint

bp = make_menu_blueprint("budget", __name__)

from gwanak.budget import routes  # noqa: E402,F401  (routes attach to bp)
