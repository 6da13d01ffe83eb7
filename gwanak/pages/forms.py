from __future__ import annotations

from wtforms import StringField, TextAreaField

from gwanak.core.forms import PortalForm, max_length, no_blank, required, strip_filter
from gwanak.pages.operations import BODY_MAX, TITLE_MAX


class PageForm(PortalForm):
    title = StringField(
        "제목",
        filters=[strip_filter],
        validators=[required("제목"), no_blank, max_length(TITLE_MAX)],
    )
    body = TextAreaField("본문 (마크다운)", validators=[max_length(BODY_MAX)])
    note = StringField("변경 메모 (선택)", filters=[strip_filter], validators=[max_length(200)])


class RestoreForm(PortalForm):
    pass
