"""The operation contract: one error every operation raises, and one way to show it.

An operation owns its transaction: it checks, writes, records its audit entry and
commits once, or raises `OperationError` having written nothing. Routes never write
rows nor commit; they call one operation and, when it refuses, show the error on the
form with `show_on_form` (docs/architecture.md, "Where a state change lives").
"""

from __future__ import annotations

from typing import Protocol


class OperationError(Exception):
    """An operation refused; nothing was written.

    `message` is Korean and safe to show to the person who acted. `field` names the
    form field it belongs next to (None: it is about the whole form or action).
    `status` is what a route answers with: 422 for input the person can correct, 409
    for an action out of order (already done, closed, someone else was first), 401,
    403 or 404 when the action is not theirs to take or its object is gone.
    """

    def __init__(self, message: str, *, field: str | None = None, status: int = 422):
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status


class _Form(Protocol):
    form_errors: list[str]

    def __contains__(self, name: str) -> bool: ...

    def __getitem__(self, name: str): ...


def show_on_form(form: _Form, error: OperationError) -> int:
    """Put a refusal's message next to the field it names, or above the form when the
    form has no such field; return the status the route answers with."""
    if error.field and error.field in form:
        field = form[error.field]
        # A field's errors are a tuple until it has been validated.
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)
    return error.status
