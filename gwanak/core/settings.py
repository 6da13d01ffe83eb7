"""Rules as data: thresholds, periods and limits an admin changes in the back office.

Every rule has a default here; the settings table stores only what an admin changed.
Features register their own settings with `register_setting` at import time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import g, has_request_context
from sqlalchemy import String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from gwanak.core import clock
from gwanak.core.extensions import db


class Setting(db.Model):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)  # JSON
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)


@dataclass(frozen=True)
class SettingSpec:
    key: str
    label: str
    default: Any
    kind: type = int
    minimum: int | None = 0
    maximum: int | None = None
    help: str = ""


SPECS: dict[str, SettingSpec] = {}


def register_setting(spec: SettingSpec) -> SettingSpec:
    SPECS[spec.key] = spec
    return spec


# Log-in throttling (gwanak/accounts/throttle.py): no account is ever locked; after the
# free failures each further one doubles the wait, per key.
register_setting(
    SettingSpec(
        "accounts.login_free_failures",
        "한 계정에 같은 주소·기기에서 기다림 없이 허용하는 로그인 실패 횟수",
        5,
        minimum=1,
        maximum=100,
    )
)
register_setting(
    SettingSpec(
        "accounts.login_address_free_failures",
        "한 주소에서 (모든 계정 합쳐) 기다림 없이 허용하는 로그인 실패 횟수",
        20,
        minimum=1,
        maximum=1000,
    )
)
register_setting(
    SettingSpec(
        "accounts.login_account_free_failures",
        "한 계정에 (처음 보는 기기 모두 합쳐) 기다림 없이 허용하는 로그인 실패 횟수",
        20,
        minimum=1,
        maximum=1000,
    )
)
register_setting(
    SettingSpec(
        "accounts.login_backoff_seconds",
        "허용 횟수를 넘긴 첫 실패 뒤 기다리는 시간(초, 실패마다 두 배)",
        1,
        minimum=1,
        maximum=3600,
    )
)
register_setting(
    SettingSpec(
        "accounts.login_backoff_max_seconds",
        "로그인 실패 뒤 가장 긴 기다림(초, 주소·기기별)",
        900,
        minimum=1,
        maximum=86400,
    )
)
register_setting(
    SettingSpec(
        "accounts.login_account_backoff_max_seconds",
        "계정 전체 기준 가장 긴 기다림(초): 짧게 두어 계정 주인이 잠기지 않게 함",
        60,
        minimum=1,
        maximum=3600,
    )
)
register_setting(
    SettingSpec(
        "accounts.login_forget_hours",
        "실패가 없으면 실패 횟수를 잊는 시간(시간)",
        24,
        minimum=1,
        maximum=720,
    )
)
register_setting(
    SettingSpec("accounts.reset_token_minutes", "비밀번호 재설정 링크 유효 시간(분)", 60, minimum=5)
)


def _cache() -> dict[str, Any]:
    if has_request_context():
        if "settings_cache" not in g:
            g.settings_cache = {}
        return g.settings_cache
    return {}


def get_setting(key: str) -> Any:
    """The current value of a setting (the admin's, or the default)."""
    spec = SPECS[key]
    cache = _cache()
    if key in cache:
        return cache[key]
    row = db.session.get(Setting, key)
    value = spec.default if row is None else spec.kind(json.loads(row.value))
    cache[key] = value
    return value


def all_settings() -> list[tuple[SettingSpec, Any]]:
    stored = {s.key: s for s in db.session.scalars(select(Setting))}
    out = []
    for key, spec in sorted(SPECS.items()):
        row = stored.get(key)
        out.append((spec, spec.default if row is None else spec.kind(json.loads(row.value))))
    return out


def set_setting(key: str, value: Any) -> None:
    """Store a setting (validated by its spec); the caller commits and audits."""
    spec = SPECS[key]
    value = spec.kind(value)
    if spec.minimum is not None and value < spec.minimum:
        raise ValueError(f"{spec.label}은(는) {spec.minimum} 이상이어야 합니다.")
    if spec.maximum is not None and value > spec.maximum:
        raise ValueError(f"{spec.label}은(는) {spec.maximum} 이하여야 합니다.")
    row = db.session.get(Setting, key)
    if row is None:
        db.session.add(Setting(key=key, value=json.dumps(value), updated_at=clock.now()))
    else:
        row.value = json.dumps(value)
        row.updated_at = clock.now()
    _cache().pop(key, None)
