"""Forms of the participation event's back office."""

from __future__ import annotations

from wtforms import DateField, IntegerField, StringField
from wtforms.validators import InputRequired, NumberRange, Optional

from gwanak.core.forms import PortalForm, max_length, strip_filter


class PayoutForm(PortalForm):
    paid_on = DateField("지급일", validators=[InputRequired("지급일을 입력하세요.")])
    amount = IntegerField(
        "금액(원)",
        validators=[
            Optional(),
            NumberRange(1, 1_000_000, "1원에서 1,000,000원 사이로 입력하세요."),
        ],
    )
    note = StringField("메모 (선택)", filters=[strip_filter], validators=[max_length(200)])


class ConfirmForm(PortalForm):
    """A button-only form (CSRF)."""
