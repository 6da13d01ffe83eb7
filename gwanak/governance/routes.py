"""Feature routes of the governance menu; stored pages are added by make_menu_blueprint."""

from gwanak.governance import archive, bp, tasks  # noqa: F401  (their routes attach to bp)
from gwanak.notices.boards import GOVERNANCE_NOTICES
from gwanak.notices.routes import mount_notice_board
from gwanak.participation.boards import BoardSpec, register_board
from gwanak.participation.views import register_board_views

# 협치관악 제안하기: the engine's board, configured for this menu (its thresholds are
# its own settings, board.governance.*).
GOVERNANCE_BOARD = register_board(BoardSpec("governance", "제안하기", "governance", "자치행정과"))
register_board_views(bp, GOVERNANCE_BOARD)
mount_notice_board(bp, "/notices", lambda: GOVERNANCE_NOTICES)
