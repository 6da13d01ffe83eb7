from __future__ import annotations

from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import Email, Length

from gwanak.accounts.models import ROLE_LABELS
from gwanak.accounts.organisation import active_offices
from gwanak.core.forms import PortalForm, max_length, required, strip_filter
from gwanak.core.menus import dongs


class CreateUserForm(PortalForm):
    email = EmailField(
        "이메일",
        filters=[strip_filter],
        validators=[
            required("이메일"),
            Email(message="올바른 이메일 주소를 입력하세요.", check_deliverability=False),
        ],
    )
    name = StringField(
        "이름", filters=[strip_filter], validators=[required("이름"), max_length(40)]
    )
    password = PasswordField(
        "초기 비밀번호",
        validators=[
            required("초기 비밀번호"),
            Length(min=10, max=128, message="10자 이상 128자 이하로 정하세요."),
        ],
    )
    role = SelectField("역할", choices=[(str(r), label) for r, label in ROLE_LABELS.items()])
    department = SelectField("부서", choices=[])
    office_dong = SelectField("동 주민센터", choices=[])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.department.choices = [("", "없음")] + [
            (d.name, f"{d.group} {d.name}") for d in active_offices()
        ]
        self.office_dong.choices = [("", "없음")] + [(d.slug, d.office_name) for d in dongs()]


class RenameDepartmentForm(PortalForm):
    name = StringField(
        "새 부서 이름", filters=[strip_filter], validators=[required("부서 이름"), max_length(40)]
    )
    group = StringField("소속 국", filters=[strip_filter], validators=[max_length(40)])


class MergeDepartmentForm(PortalForm):
    into = SelectField("통합할 부서", choices=[], validate_choice=False)

    def __init__(self, *args, exclude: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.into.choices = [("", "선택하세요")] + [
            (d.code, f"{d.name} ({d.group})") for d in active_offices() if d.code != exclude
        ]
