"""Feature routes of the governance menu; stored pages are added by make_menu_blueprint."""

from gwanak.core.permissions import AUTONOMY_DEPARTMENT, department, may_edit
from gwanak.governance import archive, bp, tasks  # noqa: F401  (their routes attach to bp)
from gwanak.notices.boards import GOVERNANCE_NOTICES
from gwanak.notices.routes import mount_notice_board
from gwanak.participation.boards import BoardSpec, register_board
from gwanak.participation.views import register_board_views
from gwanak.staff.routes import staff_link

# 협치관악 제안하기: the engine's board, configured for this menu (its thresholds are
# its own settings, board.governance.*).
GOVERNANCE_BOARD = register_board(BoardSpec("governance", "제안하기", "governance", "자치행정과"))
register_board_views(bp, GOVERNANCE_BOARD)
mount_notice_board(bp, "/notices", lambda: GOVERNANCE_NOTICES)


def _autonomy_staff(user) -> bool:
    return may_edit(user, department(AUTONOMY_DEPARTMENT))


staff_link("협치관악 공지 쓰기", "governance.notice_new", _autonomy_staff)
staff_link("협치관악 자료 올리기", "governance.archive_new", _autonomy_staff)
staff_link("연도별 협치과제 추가", "governance.task_new", _autonomy_staff)
