"""Contest forms: Korean messages by each field."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import InputRequired, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from gwanak.accounts.organisation import active_offices
from gwanak.core.forms import PortalForm, max_length, no_blank, required, strip_filter
from gwanak.policy.contest.models import ELIGIBILITY, EXCLUSION_CAUSES, OFFLINE_CHANNELS
from gwanak.policy.contest.operations import TEXT_MAX, TITLE_MAX


def _text(label: str, limit: int = TEXT_MAX) -> TextAreaField:
    return TextAreaField(
        label, filters=[strip_filter], validators=[required(label), no_blank, max_length(limit)]
    )


class ContestForm(PortalForm):
    year = IntegerField(
        "연도",
        validators=[
            InputRequired("연도를 입력하세요."),
            NumberRange(2000, 2100, "2000에서 2100 사이의 연도를 입력하세요."),
        ],
    )
    title = StringField(
        "공모전 이름",
        filters=[strip_filter],
        validators=[required("공모전 이름"), no_blank, max_length(120)],
    )
    theme = _text("주제")
    opens_on = DateField("응모 시작일", validators=[InputRequired("날짜를 입력하세요.")])
    closes_on = DateField("응모 마감일", validators=[InputRequired("날짜를 입력하세요.")])
    eligibility = SelectMultipleField(
        "응모 자격",
        choices=list(ELIGIBILITY.items()),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validators=[InputRequired("응모 자격을 하나 이상 고르세요.")],
    )
    grades = StringField(
        "창안등급 (쉼표로 구분, 높은 등급부터)",
        filters=[strip_filter],
        validators=[required("창안등급"), no_blank, max_length(200)],
    )
    prize_rules = TextAreaField("시상 기준 (마크다운)", validators=[max_length(TEXT_MAX)])


class EntryForm(PortalForm):
    title = StringField(
        "제안 제목",
        filters=[strip_filter],
        validators=[required("제안 제목"), no_blank, max_length(TITLE_MAX)],
    )
    problem = _text("현황 및 문제점")
    proposal = _text("개선 방안")
    effect = _text("기대 효과")
    relation = SelectField("관악구와의 관계", validators=[InputRequired("관계를 고르세요.")])
    attachment = FileField("첨부파일 (선택)")
    consent = BooleanField(
        "개인정보 수집·이용에 동의합니다 (필수)",
        validators=[InputRequired("개인정보 수집·이용에 동의해야 응모할 수 있습니다.")],
    )

    def set_relations(self, codes: list[str]) -> None:
        # An empty first choice: a required select must not pre-select an answer.
        self.relation.choices = [("", "고르세요"), *((c, ELIGIBILITY[c]) for c in codes)]


class OfflineEntryForm(EntryForm):
    submitter_name = StringField(
        "제안자 이름",
        filters=[strip_filter],
        validators=[required("제안자 이름"), no_blank, max_length(40)],
    )
    submitter_contact = StringField(
        "제안자 연락처 (선택, 공개하지 않음)", filters=[strip_filter], validators=[max_length(120)]
    )
    channel = SelectField("접수 경로", choices=list(OFFLINE_CHANNELS.items()))
    received_on = DateField("접수일 (비우면 오늘)", validators=[Optional()])
    consent = BooleanField(
        "제안자가 개인정보 수집·이용에 동의했습니다 (필수)",
        validators=[InputRequired("제안자의 동의를 확인해야 등록할 수 있습니다.")],
    )


class ScreenForm(PortalForm):
    decision = SelectField(
        "실무심사 결과",
        choices=[("forward", "심사위원회 회부")]
        + [(k, f"제외: {v}") for k, v in EXCLUSION_CAUSES.items()],
    )
    reason = TextAreaField(
        "사유 (제외할 때 필수)", filters=[strip_filter], validators=[max_length(1000)]
    )


class DecideForm(PortalForm):
    decision = SelectField("심사 결과", choices=[("excellent", "우수제안"), ("rejected", "불채택")])
    grade = SelectField("창안등급 (우수제안일 때)", choices=[], validate_choice=False)
    reason = TextAreaField(
        "사유 (불채택일 때 필수)", filters=[strip_filter], validators=[max_length(1000)]
    )


class RereviewForm(PortalForm):
    decision = SelectField("재심 결과", choices=[("adopt", "채택"), ("keep", "불채택 유지")])
    grade = SelectField("창안등급 (선택)", choices=[], validate_choice=False)
    reason = TextAreaField("사유", filters=[strip_filter], validators=[max_length(1000)])


class ImplementationForm(PortalForm):
    status = SelectField(
        "실시 현황", choices=[("planned", "실시 예정"), ("implemented", "실시 완료")]
    )
    implemented_on = DateField("실시일 (완료일 때)", validators=[Optional()])
    reason = TextAreaField("메모", filters=[strip_filter], validators=[max_length(1000)])


class ActionForm(PortalForm):
    """A button-only form (CSRF)."""


class ScreeningForm(PortalForm):
    """기획예산과 gives ticked entries' 실무심사 to a department (the active 과)."""

    department = SelectField("실무심사 부서", choices=[], validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.department.choices = [("", "선택하세요")] + [
            (d.name, f"{d.name} ({d.group})") for d in active_offices()
        ]

    def validate_department(self, field):
        if not field.data:
            raise ValidationError("실무심사 부서를 고르세요.")


class PrizeForm(PortalForm):
    paid_on = DateField("지급일", validators=[InputRequired("지급일을 입력하세요.")])
    amount = IntegerField("지급액 (원)", validators=[InputRequired("지급액을 입력하세요.")])
    reason = TextAreaField(
        "사유 (정정할 때 필수)", filters=[strip_filter], validators=[max_length(1000)]
    )
