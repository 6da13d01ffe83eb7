"""Forms of the participation engine (Korean messages by each field)."""

from __future__ import annotations

import uuid

from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Optional

from gwanak.accounts.organisation import active_offices
from gwanak.core.forms import PortalForm, max_length, no_blank, no_html, required, strip_filter
from gwanak.core.menus import dongs
from gwanak.participation.boards import BoardSpec
from gwanak.participation.models import OUTCOME_LABELS, PROGRESS_LABELS
from gwanak.participation.operations import ANSWER_MAX, BODY_MAX, COMMENT_MAX, REASON_MAX, TITLE_MAX
from gwanak.participation.operations.answers import CORRECTION_NOTE_MAX
from gwanak.participation.operations.progress import PROGRESS_MAX
from gwanak.participation.operations.routing import ROUTING_REASON_MAX


def _token() -> str:
    return uuid.uuid4().hex


class ProposalForm(PortalForm):
    title = StringField(
        "제목",
        filters=[strip_filter],
        validators=[required("제목"), no_blank, max_length(TITLE_MAX), no_html],
    )
    body = TextAreaField(
        "제안 내용",
        validators=[required("제안 내용"), no_blank, max_length(BODY_MAX), no_html],
    )
    category = SelectField("분야", validate_choice=True)
    dong = SelectField("관련 동 (선택)", validate_choice=True)
    token = HiddenField(default=_token)

    def __init__(self, spec: BoardSpec, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = [("", "선택하세요")] + [(c, c) for c in spec.categories]
        self.category.validators = [required("분야")]
        self.dong.choices = [("", "관악구 전체")] + [(d.slug, d.name) for d in dongs()]
        self.category.pre_validate = _choice_message(self.category, "분야를 고르세요.")
        self.dong.pre_validate = _choice_message(self.dong, "동을 고르세요.")


def _choice_message(field, message: str):
    def pre_validate(form):
        if field.data not in {value for value, _ in field.choices}:
            from wtforms import ValidationError

            raise ValidationError(message)

    return pre_validate


class CommentForm(PortalForm):
    body = TextAreaField(
        "댓글", validators=[required("댓글"), no_blank, max_length(COMMENT_MAX), no_html]
    )
    parent_id = HiddenField(validators=[Optional()])
    token = HiddenField(default=_token)


class ReportForm(PortalForm):
    reason = StringField(
        "신고 사유",
        filters=[strip_filter],
        validators=[required("신고 사유"), max_length(REASON_MAX), no_html],
    )


class ReasonForm(PortalForm):
    reason = StringField(
        "사유 (공개됨)",
        filters=[strip_filter],
        validators=[required("사유"), max_length(REASON_MAX)],
    )


class AnswerForm(PortalForm):
    outcome = SelectField(
        "처리 결과", choices=[("", "선택하세요")] + [(str(k), v) for k, v in OUTCOME_LABELS.items()]
    )
    reason = StringField(
        "사유 (기타일 때 필수)", filters=[strip_filter], validators=[max_length(REASON_MAX)]
    )
    body = TextAreaField(
        "답변 내용", validators=[required("답변 내용"), no_blank, max_length(ANSWER_MAX)]
    )

    def validate_outcome(self, field):
        if field.data not in {str(k) for k in OUTCOME_LABELS}:
            from wtforms import ValidationError

            raise ValidationError("처리 결과를 고르세요.")


class MayorAnswerForm(PortalForm):
    body = TextAreaField(
        "구청장 답변", validators=[required("답변"), no_blank, max_length(ANSWER_MAX)]
    )


class EmptyForm(PortalForm):
    """CSRF only: buttons such as 공감, 철회, 삭제."""


class AssignForm(PortalForm):
    """The coordinator hands a proposal to a 담당 부서 (choices: the active 과)."""

    department = SelectField("담당 부서", choices=[], validate_choice=False)
    cooperating = SelectMultipleField(
        "협조 부서 (선택, 여러 곳 가능)", choices=[], validate_choice=False
    )
    # Its own id: the answer form beside it on the same page has a `reason` too.
    reason = StringField(
        "변경 사유 (공개됨)",
        id="assign-reason",
        filters=[strip_filter],
        validators=[required("변경 사유"), max_length(ROUTING_REASON_MAX)],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(d.name, f"{d.name} ({d.group})") for d in active_offices()]
        self.department.choices = [("", "선택하세요")] + choices
        self.cooperating.choices = choices


class CorrectAnswerForm(AnswerForm):
    note = StringField(
        "고친 까닭 (공개됨)",
        filters=[strip_filter],
        validators=[required("고친 까닭"), max_length(CORRECTION_NOTE_MAX), no_html],
    )


class ProgressForm(PortalForm):
    status = SelectField(
        "추진 상태",
        choices=[("", "선택하세요")] + [(str(k), v) for k, v in PROGRESS_LABELS.items()],
    )
    body = TextAreaField(
        "추진상황", validators=[required("추진상황"), no_blank, max_length(PROGRESS_MAX), no_html]
    )

    def validate_status(self, field):
        if field.data not in {str(k) for k in PROGRESS_LABELS}:
            from wtforms import ValidationError

            raise ValidationError("추진 상태를 고르세요.")


class CorrectProgressForm(ProgressForm):
    note = StringField(
        "고친 까닭 (공개됨)",
        filters=[strip_filter],
        validators=[required("고친 까닭"), max_length(CORRECTION_NOTE_MAX), no_html],
    )
