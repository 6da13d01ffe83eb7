"""Account forms, with Korean messages by each field."""

from __future__ import annotations

from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length

from gwanak.accounts.models import RELATIONS
from gwanak.core.forms import PortalForm, max_length, required, strip_filter
from gwanak.core.menus import dongs

PASSWORD_MIN = 10


def _password(label: str = "비밀번호") -> PasswordField:
    return PasswordField(
        label,
        validators=[
            required(label),
            Length(
                min=PASSWORD_MIN,
                max=128,
                message=f"비밀번호는 {PASSWORD_MIN}자 이상 128자 이하로 정하세요.",
            ),
        ],
    )


def _password_again(other: str) -> PasswordField:
    return PasswordField(
        "비밀번호 확인",
        validators=[
            required("비밀번호 확인"),
            EqualTo(other, message="두 비밀번호가 같지 않습니다."),
        ],
    )


def _email() -> EmailField:
    return EmailField(
        "이메일",
        filters=[strip_filter],
        validators=[
            required("이메일"),
            Email(message="올바른 이메일 주소를 입력하세요.", check_deliverability=False),
            max_length(254),
        ],
    )


class SignupForm(PortalForm):
    email = _email()
    password = _password()
    password2 = _password_again("password")
    name = StringField(
        "이름", filters=[strip_filter], validators=[required("이름"), max_length(40)]
    )
    relation = SelectField(
        "관악구와의 관계",
        choices=[("", "선택하세요")] + [(r, r) for r in RELATIONS],
        validators=[InputRequired(message="관악구와의 관계를 고르세요.")],
    )
    dong = SelectField("동", validators=[InputRequired(message="동을 고르세요.")])
    consent = BooleanField(
        "개인정보 수집·이용에 동의합니다 (필수)",
        validators=[InputRequired(message="개인정보 수집·이용에 동의해야 가입할 수 있습니다.")],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.dong.choices = [("", "선택하세요")] + [(d.slug, d.name) for d in dongs()]

    def validate_relation(self, field):
        if field.data not in RELATIONS:
            from wtforms import ValidationError

            raise ValidationError("관악구와의 관계를 고르세요.")

    def validate_dong(self, field):
        if field.data not in {d.slug for d in dongs()}:
            from wtforms import ValidationError

            raise ValidationError("동을 고르세요.")


class LoginForm(PortalForm):
    email = _email()
    password = PasswordField("비밀번호", validators=[required("비밀번호"), max_length(128)])
    remember = BooleanField("로그인 상태 유지")


class ChangePasswordForm(PortalForm):
    current_password = PasswordField("현재 비밀번호", validators=[required("현재 비밀번호")])
    password = _password("새 비밀번호")
    password2 = _password_again("password")


class ResetRequestForm(PortalForm):
    email = _email()


class ResetPasswordForm(PortalForm):
    password = _password("새 비밀번호")
    password2 = _password_again("password")


class DeleteAccountForm(PortalForm):
    # Its own id: the page also has the password-change form, whose field is "password",
    # and a label must name the field it sits by.
    password = PasswordField("비밀번호", validators=[required("비밀번호")], id="delete-password")
    confirm = BooleanField(
        "탈퇴하면 개인정보가 지워지고 되돌릴 수 없음을 확인했습니다",
        validators=[InputRequired(message="탈퇴 확인에 체크하세요.")],
    )


class ResendConfirmationForm(PortalForm):
    """A button only (CSRF): mail the confirmation link again."""
