"""정책참여 제안하기: the engine's board, configured for this menu (settings board.policy.*)."""

from gwanak.core.menus import menu
from gwanak.participation.boards import BoardSpec
from gwanak.participation.models import BoardSlug

POLICY_BOARD = BoardSpec(BoardSlug.POLICY, "제안하기", "policy", menu("policy").owner)
