"""정책참여 feature routes; stored pages are added by make_menu_blueprint."""

from gwanak.participation.boards import POLICY_BOARD
from gwanak.participation.views import register_board_views
from gwanak.policy import bp

register_board_views(bp, POLICY_BOARD)
