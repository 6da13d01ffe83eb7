"""Proposal boards as configuration: a new board is a BoardSpec, not new code.

A board's pages are the engine's (participation/views.py, `BOARD_ROUTES`), mounted on
its menu's blueprint by `mount_board`. A board with more to say than the engine's
proposal (the budget board's rounds, phases and votes) declares a `BoardExtension` in
its spec and gives `mount_board` its own extra `BoardRoute`s.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from gwanak.core.features import registry
from gwanak.core.settings import SettingSpec, get_setting

DEFAULT_CATEGORIES = (
    "복지",
    "교통",
    "환경",
    "안전",
    "문화·체육",
    "교육",
    "경제·일자리",
    "행정",
    "기타",
)


@dataclass(frozen=True)
class BoardSpec:
    slug: str  # also the key of its settings: board.<slug>.*
    name: str  # "제안하기"
    menu_slug: str  # the blueprint whose /proposals pages it uses
    owner_department: str
    categories: tuple[str, ...] = DEFAULT_CATEGORIES
    # Budget proposals run their own phases; their review does not start from 공감.
    review_by_gonggam: bool = True
    defaults: dict[str, int] = field(default_factory=dict)
    # What the board adds to the engine's pages: a participation.views.BoardExtension
    # (None: the engine's pages as they are).
    extension: Any = None

    @property
    def rules(self) -> str:
        return f"board.{self.slug}"

    def setting(self, name: str) -> int:
        return get_setting(f"{self.rules}.{name}")

    @property
    def review_threshold(self) -> int:
        return self.setting("review_gonggam")

    @property
    def mayor_threshold(self) -> int:
        return self.setting("mayor_commenters")

    def endpoint(self, view: str) -> str:
        return f"{self.menu_slug}.proposal_{view}"

    @property
    def settings(self) -> tuple[SettingSpec, ...]:
        """The board's rules as settings (installed with the board): an admin or the
        board's owning department changes them."""
        return tuple(
            SettingSpec(
                f"{self.rules}.{name}",
                f"[{self.name} · {self.menu_slug}] {label}",
                self.defaults.get(name, default),
                minimum=1,
                owner_department=self.owner_department,
                maximum=maximum,
            )
            for name, label, default, maximum in BOARD_SETTINGS
        )

    @property
    def participation_level(self) -> int:
        """The verification level (accounts.models.Level) residents need to take part."""
        return self.setting("participation_level")


BOARD_SETTINGS = (
    ("review_gonggam", "부서 검토로 넘어가는 공감 수", 5, None),
    ("mayor_commenters", "구청장 답변 대상이 되는 댓글 참여자 수", 100, None),
    ("gonggam_days", "공감 모집 기간(일)", 30, None),
    ("answer_days", "부서 답변 기한(일)", 30, None),
    ("mayor_answer_days", "구청장 답변 기한(일)", 30, None),
    ("reminder_days", "답변 기한 며칠 전에 부서에 알릴지(일)", 5, None),
    # At least 1 (e-mail confirmed), so every count and threshold counts confirmed
    # accounts only; 2 동 주민센터 확인, 3 본인인증 when those exist.
    (
        "participation_level",
        "공감·댓글·투표·제안에 필요한 인증 단계 (1 이메일, 2 동 주민센터 확인, 3 본인인증)",
        1,
        3,
    ),
)


@dataclass(frozen=True)
class BoardRoute:
    """One row of a board's route table: a page at /<menu>/proposals<rule>."""

    rule: str
    endpoint: str  # in the menu's blueprint: "proposal_detail" → <menu>.proposal_detail
    view: Callable[..., Any]
    methods: tuple[str, ...] = ("GET",)


@dataclass(frozen=True)
class ListScope:
    """What a board adds to its proposal list: more conditions (SQL expressions on
    Proposal), another order, and what its templates need to show them."""

    where: tuple[Any, ...] = ()
    order: tuple[Any, ...] | None = None
    context: dict[str, Any] = field(default_factory=dict)


def boards() -> dict[str, BoardSpec]:
    """Every board the app's features provide, by slug."""
    return registry().boards


def board(slug: str) -> BoardSpec:
    return boards()[slug]


def board_of_menu(menu_slug: str | None) -> BoardSpec:
    """The board whose pages a menu's blueprint serves (a menu has at most one board:
    its endpoints are <menu>.proposal_*)."""
    found = [spec for spec in boards().values() if spec.menu_slug == menu_slug]
    if len(found) != 1:
        raise LookupError(f"menu {menu_slug!r} serves {len(found)} boards, not one")
    return found[0]


def mayor_threshold_for(rules: str) -> int:
    """The mayor-answer threshold of a discussion's rules (a board's or a feature's)."""
    return get_setting(f"{rules}.mayor_commenters")


def participation_level_for(rules: str) -> int:
    """The level a discussion's rules ask of participants: its board's setting, or the
    portal-wide `accounts.participation_level` for rules without one."""
    from gwanak.core.settings import setting_specs

    key = f"{rules}.participation_level"
    if key in setting_specs():
        return get_setting(key)
    return get_setting("accounts.participation_level")


def mayor_days_for(rules: str) -> int:
    return get_setting(f"{rules}.mayor_answer_days")
