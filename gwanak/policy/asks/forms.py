"""Forms of 관악구가 묻습니다!"""

from __future__ import annotations

from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from gwanak.core.forms import PortalForm, max_length, no_blank, required, strip_filter
from gwanak.policy.asks.models import KINDS
from gwanak.policy.asks.operations import BODY_MAX, TITLE_MAX, WITHDRAW_REASON_MAX


class AgendaForm(PortalForm):
    kind = SelectField("의제 종류", choices=list(KINDS.items()))
    title = StringField(
        "제목",
        filters=[strip_filter],
        validators=[required("제목"), no_blank, max_length(TITLE_MAX)],
    )
    body = TextAreaField(
        "내용 (마크다운)",
        filters=[strip_filter],
        validators=[required("내용"), no_blank, max_length(BODY_MAX)],
    )
    opens_on = DateField("의견 접수 시작일", validators=[InputRequired("날짜를 입력하세요.")])
    closes_on = DateField("의견 접수 마감일", validators=[InputRequired("날짜를 입력하세요.")])
    poll_question = StringField(
        "투표 질문 (선택)", filters=[strip_filter], validators=[max_length(200)]
    )
    poll_options = TextAreaField("투표 선택지 (한 줄에 하나, 2~6개)", validators=[max_length(1000)])


class VoteForm(PortalForm):
    option = RadioField("선택지", coerce=int, validators=[InputRequired("선택지를 고르세요.")])


class ResultForm(PortalForm):
    result = TextAreaField(
        "결과 반영 내용 (마크다운)",
        filters=[strip_filter],
        validators=[required("결과 반영 내용"), no_blank, max_length(BODY_MAX)],
    )


class AgendaEditForm(PortalForm):
    opens_on = DateField("의견 접수 시작일 (시작 전에만)", validators=[Optional()])
    title = StringField(
        "제목",
        filters=[strip_filter],
        validators=[required("제목"), no_blank, max_length(TITLE_MAX)],
    )
    body = TextAreaField(
        "내용 (마크다운)",
        filters=[strip_filter],
        validators=[required("내용"), no_blank, max_length(BODY_MAX)],
    )


class ExtendForm(PortalForm):
    closes_on = DateField("새 의견 접수 마감일", validators=[InputRequired("날짜를 입력하세요.")])


class CloseEarlyForm(PortalForm):
    """Only the CSRF token: closing early needs no input."""


class WithdrawForm(PortalForm):
    reason = TextAreaField(
        "철회 사유 (주민에게 공개됩니다)",
        filters=[strip_filter],
        validators=[required("철회 사유"), no_blank, max_length(WITHDRAW_REASON_MAX)],
    )
