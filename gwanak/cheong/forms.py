from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    FileField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired, Optional, ValidationError

from gwanak.cheong.operations import (
    BODY_MAX,
    PLACE_MAX,
    REASON_MAX,
    TIME_SLOTS,
    TITLE_MAX,
    Preference,
)
from gwanak.core.forms import PortalForm, max_length, no_blank, required, strip_filter


class SlotField(SelectField):
    def pre_validate(self, form):
        if self.data and self.data not in TIME_SLOTS:
            raise ValidationError("목록에 있는 시간대를 고르세요.")


SLOT_CHOICES = [("", "시간대 선택")] + [(s, s) for s in TIME_SLOTS]
DATE_MESSAGE = "날짜를 2026-12-01 형식으로 입력하세요."


class ApplicationForm(PortalForm):
    title = StringField(
        "만남 주제",
        filters=[strip_filter],
        validators=[required("주제"), no_blank, max_length(TITLE_MAX)],
    )
    body = TextAreaField(
        "이야기하고 싶은 내용",
        filters=[strip_filter],
        validators=[required("내용"), no_blank, max_length(BODY_MAX, 10)],
    )
    publish_body = BooleanField("이야기하고 싶은 내용을 데이트상황판에 공개합니다 (선택)")
    group_size = IntegerField(
        "참석 인원 (신청자 포함)",
        default=1,
        validators=[InputRequired("참석 인원을 숫자로 입력하세요.")],
    )
    date1 = DateField("1순위 희망일", validators=[InputRequired(DATE_MESSAGE)])
    slot1 = SlotField("1순위 시간대", choices=SLOT_CHOICES, validators=[required("시간대")])
    date2 = DateField("2순위 희망일", validators=[InputRequired(DATE_MESSAGE)])
    slot2 = SlotField("2순위 시간대", choices=SLOT_CHOICES, validators=[required("시간대")])
    date3 = DateField("3순위 희망일 (선택)", validators=[Optional()])
    slot3 = SlotField("3순위 시간대 (선택)", choices=SLOT_CHOICES, validators=[Optional()])
    phone = StringField(
        "연락처 (휴대전화)", filters=[strip_filter], validators=[required("연락처"), max_length(20)]
    )
    consent = BooleanField("위 개인정보 수집·이용에 동의합니다 (필수)")

    def preferences(self) -> list[Preference]:
        out = [
            Preference(self.date1.data, self.slot1.data),
            Preference(self.date2.data, self.slot2.data),
        ]
        if self.date3.data:
            out.append(Preference(self.date3.data, self.slot3.data or ""))
        return out


class ChangeForm(ApplicationForm):
    consent = None  # consent was given at submission


class ScheduleForm(PortalForm):
    day = DateField("만남 날짜", validators=[InputRequired(DATE_MESSAGE)])
    at = TimeField("시각", validators=[InputRequired("시각을 14:00 형식으로 입력하세요.")])
    place = StringField(
        "장소",
        filters=[strip_filter],
        validators=[required("장소"), no_blank, max_length(PLACE_MAX)],
    )


class DeclineForm(PortalForm):
    reason = TextAreaField(
        "반려 사유 (신청자에게 메일로 알립니다)",
        filters=[strip_filter],
        validators=[required("반려 사유"), no_blank, max_length(REASON_MAX)],
    )


class ActionForm(PortalForm):
    """A bare POST (검토 시작, 완료, 취소): CSRF only."""


class RecordForm(PortalForm):
    title = StringField(
        "제목",
        filters=[strip_filter],
        validators=[required("제목"), no_blank, max_length(TITLE_MAX)],
    )
    held_on = DateField("만난 날", validators=[InputRequired(DATE_MESSAGE)])
    discussed = TextAreaField(
        "나눈 이야기 (마크다운)",
        filters=[strip_filter],
        validators=[required("나눈 이야기"), no_blank, max_length(20_000)],
    )
    actions = TextAreaField(
        "구가 할 일 (마크다운)", filters=[strip_filter], validators=[max_length(20_000)]
    )
    publish = BooleanField("공개 (구청장과 소통데이트에 게시)")


class FollowUpForm(PortalForm):
    body = TextAreaField(
        "추진 상황 (마크다운)",
        filters=[strip_filter],
        validators=[required("추진 상황"), no_blank, max_length(5000)],
    )


class PhotoForm(PortalForm):
    photo = FileField("사진 (JPG·PNG, 8MB 이하)")
    alt = StringField(
        "사진 설명 (대체 텍스트, 필수)",
        filters=[strip_filter],
        validators=[required("사진 설명"), no_blank, max_length(200)],
    )
