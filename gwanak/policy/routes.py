"""정책참여 제안하기: the engine's board pages, mounted on the menu's blueprint.

관악구가 묻습니다!, 창의제안 공모전 and 정책참여 이벤트 each live in their own
sub-package and attach their routes to the same blueprint (see policy/feature.py)."""

from gwanak.participation.views import mount_board
from gwanak.policy.blueprint import bp
from gwanak.policy.board import POLICY_BOARD

mount_board(bp, POLICY_BOARD)
