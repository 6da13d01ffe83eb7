"""정책참여 feature routes; stored pages are added by make_menu_blueprint.

제안하기 is a board of the participation engine; each other programme lives in its
own sub-package and attaches its routes to `bp`."""

from gwanak.participation.boards import POLICY_BOARD
from gwanak.participation.views import register_board_views
from gwanak.policy import bp
from gwanak.policy.asks import routes as asks_routes  # noqa: F401
from gwanak.policy.contest import routes as contest_routes  # noqa: F401
from gwanak.policy.event import routes as event_routes  # noqa: F401

register_board_views(bp, POLICY_BOARD)
