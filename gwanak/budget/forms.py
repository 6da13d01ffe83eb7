"""Forms of the 주민참여예산 menu (Korean messages; invalid submits answer 422)."""

from __future__ import annotations

import uuid

from wtforms import (
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import InputRequired, NumberRange, Optional

from gwanak.accounts.organisation import active_offices
from gwanak.budget.models import PROJECT_STATE_LABELS
from gwanak.core.forms import PortalForm, max_length, no_blank, no_html, required, strip_filter
from gwanak.core.menus import dongs

MAX_WON = 100_000_000_000  # 1,000억 원: far above any 주민참여예산 project


class NumberField(IntegerField):
    """An integer field that also takes thousands separators (1,000,000)."""

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0].strip():
            try:
                self.data = int(valuelist[0].strip().replace(",", ""))
            except ValueError:
                self.data = None
                raise ValueError("숫자만 입력하세요.") from None
        else:
            self.data = None


def dong_choices(blank: str = "구 전체") -> list[tuple[str, str]]:
    return [("", blank)] + [(d.slug, d.name) for d in dongs()]


def _won(label: str) -> IntegerField:
    return NumberField(
        label,
        validators=[
            InputRequired(message=f"{label}을(를) 숫자로 입력하세요."),
            NumberRange(min=0, max=MAX_WON, message="0원 이상 1,000억 원 이하로 입력하세요."),
        ],
    )


class ProjectForm(PortalForm):
    year = NumberField(
        "연도",
        validators=[
            InputRequired(message="연도를 입력하세요."),
            NumberRange(min=2010, max=2100, message="2010년부터 2100년 사이로 입력하세요."),
        ],
    )
    title = StringField(
        "사업명", filters=[strip_filter], validators=[required("사업명"), no_blank, max_length(120)]
    )
    summary = TextAreaField("사업 내용", filters=[strip_filter], validators=[max_length(5000)])
    dong = SelectField("동", choices=dong_choices())
    department = StringField(
        "담당 부서",
        filters=[strip_filter],
        validators=[required("담당 부서"), no_blank, max_length(40)],
    )
    budget = _won("예산(원)")
    spent = _won("집행액(원)")
    progress = NumberField(
        "추진율(%)",
        validators=[
            InputRequired(message="추진율을 숫자로 입력하세요."),
            NumberRange(min=0, max=100, message="0부터 100 사이로 입력하세요."),
        ],
    )
    state = SelectField("상태", choices=[(k.value, v) for k, v in PROJECT_STATE_LABELS.items()])

    def validate_spent(self, field) -> None:
        if (
            self.budget.data is not None
            and field.data is not None
            and field.data > self.budget.data
        ):
            raise ValidationError("집행액은 예산보다 클 수 없습니다.")


class ProjectUpdateForm(PortalForm):
    posted_on = DateField("날짜", validators=[InputRequired(message="날짜를 입력하세요.")])
    body = TextAreaField(
        "추진 경과",
        filters=[strip_filter],
        validators=[required("추진 경과"), no_blank, max_length(2000)],
    )
    token = HiddenField(default=lambda: uuid.uuid4().hex)


class CourseForm(PortalForm):
    title = StringField(
        "과정명", filters=[strip_filter], validators=[required("과정명"), no_blank, max_length(120)]
    )
    description = TextAreaField("소개", filters=[strip_filter], validators=[max_length(3000)])


class ClassForm(PortalForm):
    number = NumberField(
        "회차",
        validators=[
            InputRequired(message="회차를 입력하세요."),
            NumberRange(min=1, max=100, message="1부터 100 사이로 입력하세요."),
        ],
    )
    starts_at = DateTimeLocalField(
        "일시", format="%Y-%m-%dT%H:%M", validators=[InputRequired(message="일시를 입력하세요.")]
    )
    place = StringField(
        "장소", filters=[strip_filter], validators=[required("장소"), no_blank, max_length(120)]
    )
    capacity = NumberField(
        "정원",
        validators=[
            InputRequired(message="정원을 입력하세요."),
            NumberRange(min=1, max=1000, message="1명부터 1,000명 사이로 입력하세요."),
        ],
    )


class BudgetProposalForm(PortalForm):
    """The engine's proposal fields plus what a budget project needs."""

    title = StringField(
        "사업명",
        filters=[strip_filter],
        validators=[required("사업명"), no_blank, max_length(100), no_html],
    )
    body = TextAreaField(
        "제안 내용 (필요성과 기대 효과)",
        validators=[required("제안 내용"), no_blank, max_length(5000), no_html],
    )
    category = SelectField("분야")
    dong = SelectField("동")
    place = StringField(
        "사업 장소",
        filters=[strip_filter],
        validators=[required("사업 장소"), no_blank, max_length(120), no_html],
    )
    estimated_cost = NumberField(
        "예상 사업비(원)",
        validators=[
            InputRequired(message="예상 사업비를 숫자로 입력하세요."),
            NumberRange(min=1, max=MAX_WON, message="1원 이상으로 입력하세요."),
        ],
    )
    token = HiddenField(default=lambda: uuid.uuid4().hex)

    def __init__(self, categories, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = [("", "선택하세요")] + [(c, c) for c in categories]
        self.dong.choices = dong_choices("관악구 전체")


class RoundForm(PortalForm):
    year = NumberField(
        "사업 연도",
        validators=[
            InputRequired(message="연도를 입력하세요."),
            NumberRange(min=2010, max=2100, message="2010년부터 2100년 사이로 입력하세요."),
        ],
    )
    proposal_starts = DateField(
        "제안 접수 시작", validators=[InputRequired(message="날짜를 입력하세요.")]
    )
    proposal_ends = DateField(
        "제안 접수 마감", validators=[InputRequired(message="날짜를 입력하세요.")]
    )
    review_ends = DateField(
        "부서 검토 마감", validators=[InputRequired(message="날짜를 입력하세요.")]
    )
    deliberation_ends = DateField(
        "분과 심의 마감", validators=[InputRequired(message="날짜를 입력하세요.")]
    )
    vote_starts = DateField(
        "주민 투표 시작", validators=[InputRequired(message="날짜를 입력하세요.")]
    )
    vote_ends = DateField(
        "주민 투표 마감", validators=[InputRequired(message="날짜를 입력하세요.")]
    )
    reason = TextAreaField(
        "사유 (순서를 벗어나거나 지난 일정을 바꿀 때)",
        filters=[strip_filter],
        validators=[max_length(300)],
    )


class PhaseForm(PortalForm):
    to = SelectField("다음 단계")
    note = TextAreaField("사유·검토 의견", filters=[strip_filter], validators=[max_length(500)])
    late_reason = TextAreaField(
        "기한 후 처리 사유 (차수 일정이 지났을 때)",
        filters=[strip_filter],
        validators=[max_length(200)],
    )
    budget = NumberField(
        "확정 예산(원, 선정 시)",
        validators=[
            Optional(),
            NumberRange(min=1, max=MAX_WON, message="1원 이상으로 입력하세요."),
        ],
    )


class ReviewerForm(PortalForm):
    """자치행정과 names the 사업부서 that reviews a proposal's feasibility."""

    department = SelectField("사업부서", choices=[], validate_choice=False)
    reason = StringField(
        "지정 사유 (공개됨)",
        filters=[strip_filter],
        validators=[required("지정 사유"), max_length(200)],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.department.choices = [("", "선택하세요")] + [
            (d.name, f"{d.name} ({d.group})") for d in active_offices()
        ]
