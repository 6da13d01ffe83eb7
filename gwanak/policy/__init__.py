"""정책참여: proposals, asks, contest, event (see gwanak/data/menus.json)."""

from gwanak.core.menu_blueprint import make_menu_blueprint

bp = make_menu_blueprint("policy", __name__)

from gwanak.policy import routes  # noqa: E402,F401  (routes attach to bp)
