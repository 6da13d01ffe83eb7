"""주민참여예산: participatory budgeting (see gwanak/data/menus.json)."""

from gwanak.core.menu_blueprint import make_menu_blueprint

bp = make_menu_blueprint("budget", __name__)

from gwanak.budget import routes  # noqa: E402,F401  (routes attach to bp)
from gwanak.notices.boards import BUDGET_NOTICES  # noqa: E402
from gwanak.notices.routes import mount_notice_board  # noqa: E402

mount_notice_board(bp, "/notices", lambda: BUDGET_NOTICES)
