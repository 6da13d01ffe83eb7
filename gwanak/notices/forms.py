from __future__ import annotations

from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, StringField, TextAreaField

from gwanak.core.forms import PortalForm, max_length, no_blank, required, strip_filter
from gwanak.notices.operations import BODY_MAX, TITLE_MAX


class NoticeForm(PortalForm):
    title = StringField(
        "제목",
        filters=[strip_filter],
        validators=[required("제목"), no_blank, max_length(TITLE_MAX)],
    )
    body = TextAreaField("본문 (마크다운)", validators=[max_length(BODY_MAX)])
    pinned = BooleanField("목록 맨 위에 고정")
    files = MultipleFileField("첨부 파일")


class DeleteForm(PortalForm):
    pass
