"""Forms of the manifesto menu: filters, staff updates on a pledge, catalogue import."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import DateField, DecimalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, Optional

from gwanak.core.forms import PortalForm, max_length, no_blank, required, strip_filter
from gwanak.manifesto.models import BUDGET_SOURCES, PERIOD_KINDS, STATUSES

NUMBER_MESSAGE = "숫자로 입력하세요."


def amount_field(label: str) -> DecimalField:
    return DecimalField(
        label,
        places=None,
        validators=[
            InputRequired(message=f"{label}을(를) 입력하세요."),
            NumberRange(min=0, max=10**10, message="0 이상의 숫자로 입력하세요."),
        ],
    )


def year_field() -> IntegerField:
    return IntegerField(
        "연도",
        validators=[
            InputRequired(message="연도를 입력하세요."),
            NumberRange(min=2000, max=2100, message="2000~2100 사이 연도를 입력하세요."),
        ],
    )


class StatusForm(PortalForm):
    status = SelectField("추진상황", choices=[(s, s) for s in STATUSES])


class ActualForm(PortalForm):
    indicator = SelectField("지표", coerce=int)
    year = year_field()
    actual = amount_field("실적")


class ExecutionForm(PortalForm):
    year = year_field()
    source = SelectField("재원", choices=[(s, s) for s in BUDGET_SOURCES], default="구비")
    executed = amount_field("집행액 (백만 원)")


class MilestoneForm(PortalForm):
    happened_on = DateField("일자", validators=[InputRequired(message="일자를 입력하세요.")])
    when_label = StringField(
        "표시 일자 (선택, 예: 2023. 7.~12.)",
        filters=[strip_filter],
        validators=[Optional(), max_length(40)],
    )
    title = StringField(
        "추진사항",
        filters=[strip_filter],
        validators=[required("추진사항"), no_blank, max_length(200)],
    )
    detail = TextAreaField("세부내용 (선택)", filters=[strip_filter], validators=[max_length(4000)])


class FilterForm(PortalForm):
    class Meta:
        csrf = False

    department = SelectField("담당부서", choices=[], validate_choice=False)
    status = SelectField(
        "추진상황", choices=[("", "전체")] + [(s, s) for s in STATUSES], validate_choice=False
    )


class ImportForm(PortalForm):
    file = FileField("공약 목록 파일 (JSON 또는 CSV)")


class PublishForm(PortalForm):
    """공표: the coordinating department freezes a period's figures."""

    kind = SelectField("공표 주기", choices=[(k, v) for k, v in PERIOD_KINDS.items()])
    year = year_field()
    number = SelectField(
        "차수",
        coerce=int,
        choices=[
            (0, "연간 (해당 없음)"),
            (1, "1분기 · 상반기"),
            (2, "2분기 · 하반기"),
            (3, "3분기"),
            (4, "4분기"),
        ],
    )
    as_of = DateField("기준일", validators=[InputRequired(message="기준일을 입력하세요.")])
    note = StringField("비고 (선택)", filters=[strip_filter], validators=[max_length(500)])


class ReasonForm(PortalForm):
    """폐기·철회 and its undoing: a reason for the pledge's history."""

    reason = TextAreaField(
        "사유", filters=[strip_filter], validators=[required("사유"), no_blank, max_length(1000)]
    )
