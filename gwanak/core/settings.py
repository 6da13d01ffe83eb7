"""Rules as data: thresholds, periods and limits an admin changes in the back office.

Every rule has a default in its `SettingSpec`; the settings table stores only what an
admin changed. Features declare their specs in their `Feature`; the app's registry holds
them (gwanak/core/features.py).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app, g, has_request_context
from sqlalchemy import String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from gwanak.core import clock
from gwanak.core.audit import record_audit
from gwanak.core.extensions import db
from gwanak.core.features import registry
from gwanak.core.operations import OperationError


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
    # The department whose staff may change it too (a board's thresholds: the board's
    # owner); None: only an admin.
    owner_department: str | None = None


def setting_specs() -> dict[str, SettingSpec]:
    """Every setting the app's features declare, by key."""
    return registry().settings


def _cache() -> dict[str, Any]:
    if has_request_context():
        if "settings_cache" not in g:
            g.settings_cache = {}
        return g.settings_cache
    return {}


# Requests read the stored rows (the few an admin changed) from a copy each process
# keeps this long: a rule changed in the back office reaches the other workers within
# it, and at once in the process that changed it.
STORED_SECONDS = 5.0


def _stored() -> dict[str, str]:
    kept = current_app.extensions.get("gwanak.settings_stored")
    if kept is not None and kept[1] > time.monotonic():
        return kept[0]
    rows = {k: v for k, v in db.session.execute(select(Setting.key, Setting.value))}
    current_app.extensions["gwanak.settings_stored"] = (rows, time.monotonic() + STORED_SECONDS)
    return rows


def forget_stored_settings() -> None:
    current_app.extensions.pop("gwanak.settings_stored", None)


def get_setting(key: str) -> Any:
    """The current value of a setting (the admin's, or the default)."""
    spec = setting_specs()[key]
    cache = _cache()
    if key in cache:
        return cache[key]
    if has_request_context():
        raw = _stored().get(key)
    else:
        row = db.session.get(Setting, key)
        raw = None if row is None else row.value
    value = spec.default if raw is None else spec.kind(json.loads(raw))
    cache[key] = value
    return value


def all_settings() -> list[tuple[SettingSpec, Any]]:
    stored = {s.key: s for s in db.session.scalars(select(Setting))}
    out = []
    for key, spec in sorted(setting_specs().items()):
        row = stored.get(key)
        out.append((spec, spec.default if row is None else spec.kind(json.loads(row.value))))
    return out


def settings_owned_by(user) -> list[tuple[SettingSpec, Any]]:
    """The settings the user's department owns (an admin: every owned one), with values."""
    from gwanak.core.permissions import department, may_edit

    return [
        (spec, value)
        for spec, value in all_settings()
        if spec.owner_department and may_edit(user, department(spec.owner_department))
    ]


def change_owned_settings(user, changes: dict[str, Any]) -> None:
    """A department's staff change their own boards' settings: each audited, all or none.
    A key the department does not own is refused (403) before anything is written. Commits."""
    owned = {spec.key for spec, _ in settings_owned_by(user)}
    for key in changes:
        if key not in owned:
            raise OperationError("이 설정은 담당 부서만 바꿀 수 있습니다.", field=key, status=403)
    change_settings(changes, user.id)


def set_setting(key: str, value: Any) -> None:
    """Store a setting (validated by its spec; refused by its key as the field). A step:
    the caller audits and commits (`change_settings` does both)."""
    spec = setting_specs()[key]
    value = spec.kind(value)
    if spec.minimum is not None and value < spec.minimum:
        raise OperationError(f"{spec.label}은(는) {spec.minimum} 이상이어야 합니다.", field=key)
    if spec.maximum is not None and value > spec.maximum:
        raise OperationError(f"{spec.label}은(는) {spec.maximum} 이하여야 합니다.", field=key)
    row = db.session.get(Setting, key)
    if row is None:
        db.session.add(Setting(key=key, value=json.dumps(value), updated_at=clock.now()))
    else:
        row.value = json.dumps(value)
        row.updated_at = clock.now()
    _cache().pop(key, None)
    forget_stored_settings()  # read again: the change may yet be rolled back


def change_settings(changes: dict[str, Any], actor_id: int | None = None) -> None:
    """An admin changes several settings at once: each audited, all or none. Commits."""
    try:
        for key, value in changes.items():
            before = get_setting(key)
            set_setting(key, value)
            record_audit(
                "setting.change", "setting", key, before=before, after=value, actor_id=actor_id
            )
    except OperationError:
        db.session.rollback()
        raise
    db.session.commit()
