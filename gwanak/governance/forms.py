"""Forms of 자료실 and 연도별 협치과제 (operations re-check every rule)."""

from __future__ import annotations

from flask_wtf.file import MultipleFileField
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, NumberRange

from gwanak.core.forms import PortalForm, max_length, no_blank, required, strip_filter
from gwanak.governance.operations import (
    ARCHIVE_CATEGORIES,
    PARTNERS_MAX,
    TASK_STATES,
    TEXT_MAX,
    TITLE_MAX,
)


class ArchiveForm(PortalForm):
    title = StringField(
        "제목",
        filters=[strip_filter],
        validators=[required("제목"), no_blank, max_length(TITLE_MAX)],
    )
    category = SelectField(
        "분류",
        choices=[("", "선택하세요")] + [(c, c) for c in ARCHIVE_CATEGORIES],
        validators=[required("분류")],
    )
    description = TextAreaField("설명", filters=[strip_filter], validators=[max_length(TEXT_MAX)])
    files = MultipleFileField("파일")


class TaskForm(PortalForm):
    year = IntegerField(
        "연도",
        validators=[
            InputRequired("연도를 입력하세요."),
            NumberRange(2000, 2100, "연도를 2000~2100 사이로 입력하세요."),
        ],
    )
    title = StringField(
        "과제명",
        filters=[strip_filter],
        validators=[required("과제명"), no_blank, max_length(TITLE_MAX)],
    )
    department = StringField(
        "담당 부서",
        filters=[strip_filter],
        validators=[required("담당 부서"), no_blank, max_length(40)],
    )
    state = SelectField("상태", choices=[(s, s) for s in TASK_STATES])
    partners = TextAreaField(
        "협력 기관 (한 줄에 하나)", filters=[strip_filter], validators=[max_length(PARTNERS_MAX)]
    )
    summary = TextAreaField("과제 내용", filters=[strip_filter], validators=[max_length(TEXT_MAX)])
    result = TextAreaField("연도별 성과", filters=[strip_filter], validators=[max_length(TEXT_MAX)])


class TaskUpdateForm(PortalForm):
    on_date = DateField("날짜", validators=[InputRequired("날짜를 입력하세요.")])
    body = TextAreaField(
        "진행 내용",
        filters=[strip_filter],
        validators=[required("진행 내용"), max_length(TEXT_MAX)],
    )


class DeleteForm(PortalForm):
    pass
