from __future__ import annotations

from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import NumberRange, Optional

from gwanak.autonomy.operations import NAME_MAX, ROLE_MAX, TEXT_MAX, TITLE_MAX
from gwanak.core.forms import PortalForm, max_length, no_blank, no_html, required, strip_filter

ORDER_HINT = "작은 수가 먼저 보입니다."


def _order_field():
    return IntegerField(
        "보이는 순서",
        default=0,
        validators=[Optional(), NumberRange(0, 999, "0~999 사이의 수를 입력하세요.")],
    )


class MemberForm(PortalForm):
    name = StringField(
        "이름",
        filters=[strip_filter],
        validators=[required("이름"), no_blank, max_length(NAME_MAX), no_html],
    )
    role = StringField(
        "직책",
        filters=[strip_filter],
        validators=[required("직책"), no_blank, max_length(ROLE_MAX), no_html],
    )
    position = _order_field()


class ProgrammeForm(PortalForm):
    title = StringField(
        "프로그램명",
        filters=[strip_filter],
        validators=[required("프로그램명"), no_blank, max_length(TITLE_MAX), no_html],
    )
    schedule = StringField("일정", filters=[strip_filter], validators=[max_length(120), no_html])
    place = StringField("장소", filters=[strip_filter], validators=[max_length(120), no_html])
    description = TextAreaField(
        "소개", filters=[strip_filter], validators=[max_length(TEXT_MAX), no_html]
    )
    position = _order_field()


class DeleteForm(PortalForm):
    pass
