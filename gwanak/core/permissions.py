"""The one place that decides who may edit or moderate what.

Anything editable exposes `owner_department` (a department name) and optionally
`owner_dong` (a 동 slug). Admins may edit everything; staff their department's things;
staff of a 동 주민센터 only their 동's things; 자치행정과 also every 동's things, since it
owns 주민자치회.
"""

from __future__ import annotations

from functools import wraps
from typing import Protocol

from flask import abort
from flask_login import current_user

from gwanak.core.menus import menu

# 주민자치회 belong to the autonomy menu's owner (menus.json).
AUTONOMY_DEPARTMENT = menu("autonomy").owner


class Owned(Protocol):
    owner_department: str | None


def may_edit(user, thing: Owned) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_admin:
        return True
    if user.role != "staff":
        return False
    # A department renamed since a data file named it (menus.json) answers to both.
    names = getattr(user, "department_names", None) or {user.department}
    owner_dong = getattr(thing, "owner_dong", None)
    if owner_dong:
        if user.office_dong:
            return user.office_dong == owner_dong
        return AUTONOMY_DEPARTMENT in names
    if user.office_dong:
        return False
    return bool(user.department) and thing.owner_department in names


def in_department(user, name: str | None) -> bool:
    """Whether a signed-in user belongs to the department a data file (menus.json) calls
    `name`, under its name today or before a rename."""
    if user is None or not getattr(user, "is_authenticated", False) or not name:
        return False
    names = getattr(user, "department_names", None) or {user.department}
    return name in names


def require_edit(thing: Owned) -> None:
    """Abort with 401/403 unless the current user may edit the thing."""
    if not current_user.is_authenticated:
        abort(401)
    if not may_edit(current_user, thing):
        abort(403)


class _Department:
    def __init__(self, department: str | None, dong: str | None = None):
        self.owner_department = department
        self.owner_dong = dong


def department(name: str | None, dong: str | None = None) -> Owned:
    """A stand-in 'thing' owned by a department, for checks on a whole queue or menu."""
    return _Department(name, dong)


def staff_required(view):
    """Any staff member or admin (the back office door); finer checks use may_edit."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            abort(401)
        if not current_user.is_staff:
            abort(403)
        return view(*args, **kwargs)

    wrapped.access = "staff"  # declared: read by the authorisation matrix test
    return wrapped


def back_office_required(view):
    """Staff, the mayor and admins: everyone with work in the back office."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            abort(401)
        if not (current_user.is_staff or current_user.is_mayor):
            abort(403)
        return view(*args, **kwargs)

    wrapped.access = "back_office"  # declared: read by the authorisation matrix test
    return wrapped


def admin_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            abort(401)
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    wrapped.access = "admin"  # declared: read by the authorisation matrix test
    return wrapped


def require_resident() -> None:
    """Abort with 401 unless signed in, 403 unless a resident: participation (applying,
    proposing) is for residents, not for staff, mayor or admin accounts."""
    if not current_user.is_authenticated:
        abort(401)
    if not current_user.is_resident:
        abort(403)


def resident_required(view):
    """Signed-in residents only (see require_resident)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        require_resident()
        return view(*args, **kwargs)

    wrapped.access = "resident"  # declared: read by the authorisation matrix test
    return wrapped
