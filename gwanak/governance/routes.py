"""Feature routes of the governance menu; stored pages are added by make_menu_blueprint."""

from gwanak.core.features import StaffLink
from gwanak.core.permissions import AUTONOMY_DEPARTMENT, department, may_edit
from gwanak.governance.blueprint import bp
from gwanak.notices.boards import GOVERNANCE_NOTICES
from gwanak.notices.routes import mount_notice_board
from gwanak.participation.boards import BoardSpec
from gwanak.participation.models import BoardSlug
from gwanak.participation.views import mount_board

# 협치관악 제안하기: the engine's board, configured for this menu (its thresholds are
# its own settings, board.governance.*).
GOVERNANCE_BOARD = BoardSpec(BoardSlug.GOVERNANCE, "제안하기", "governance", AUTONOMY_DEPARTMENT)
mount_board(bp, GOVERNANCE_BOARD)
mount_notice_board(bp, "/notices", lambda: GOVERNANCE_NOTICES)


def _autonomy_staff(user) -> bool:
    return may_edit(user, department(AUTONOMY_DEPARTMENT))


# Back-office links this feature adds (Feature.staff_links).
STAFF_LINKS = (
    StaffLink("협치관악 공지 쓰기", "governance.notice_new", _autonomy_staff),
    StaffLink("협치관악 자료 올리기", "governance.archive_new", _autonomy_staff),
    StaffLink("연도별 협치과제 추가", "governance.task_new", _autonomy_staff),
)
