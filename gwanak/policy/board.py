"""정책참여 제안하기: the engine's board, configured for this menu (settings board.policy.*)."""

from gwanak.participation.boards import BoardSpec
from gwanak.participation.models import BoardSlug

POLICY_BOARD = BoardSpec(BoardSlug.POLICY, "제안하기", "policy", "기획예산과")
