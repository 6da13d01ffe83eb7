"""Sign-up, log-in, log-out, password change and reset, account deletion."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from gwanak.accounts import operations as ops
from gwanak.accounts import verification
from gwanak.accounts.forms import (
    ChangePasswordForm,
    DeleteAccountForm,
    LoginForm,
    ResendConfirmationForm,
    ResetPasswordForm,
    ResetRequestForm,
    SignupForm,
)
from gwanak.accounts.throttle import DEVICE_COOKIE, DEVICE_COOKIE_DAYS
from gwanak.core.extensions import limiter
from gwanak.core.operations import OperationError, show_on_form

bp = Blueprint("auth", __name__, url_prefix="/auth")

PRIVACY_NOTICE = {
    "purpose": "회원 식별, 제안·댓글 등 참여 서비스 제공, 알림 메일 발송",
    "items": "이메일, 이름, 관악구와의 관계(거주·직장·학교), 동",
    "retention": "회원 탈퇴 시까지 (탈퇴 즉시 파기, 게시물은 익명으로 남음)",
}


def _safe_next(default: str = "home.index") -> str:
    target = request.args.get("next") or request.form.get("next") or ""
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc:
        return target
    return url_for(default)


SIGNUP_DONE = (
    "입력하신 이메일 주소로 가입 확인 메일을 보냈습니다. 메일의 링크를 누르면 이메일 인증이 "
    "끝나고 공감·댓글·투표·제안에 참여할 수 있습니다. 인증 전에도 로그인해서 글을 읽을 수 있습니다."
)


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignupForm()
    if form.validate_on_submit():
        try:
            ops.register_resident(
                email=form.email.data,
                password=form.password.data,
                name=form.name.data,
                relation=form.relation.data,
                dong_slug=form.dong.data,
                consented=form.consent.data,
                address=request.remote_addr,
            )
        except OperationError as error:
            show_on_form(form, error)
        else:
            # The same answer whether or not the address already had an account.
            flash(SIGNUP_DONE, "success")
            return redirect(url_for("auth.login"), code=303)
    return render_template("accounts/signup.html", form=form, notice=PRIVACY_NOTICE), (
        422 if form.errors or form.form_errors else 200
    )


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_safe_next())
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        result = ops.authenticate(
            form.email.data,
            form.password.data,
            address=request.remote_addr,
            device_token=request.cookies.get(DEVICE_COOKIE),
        )
        if result.user is not None:
            login_user(result.user, remember=form.remember.data)
            response = redirect(_safe_next(), code=303)
            if result.device_token:
                response.set_cookie(
                    DEVICE_COOKIE,
                    result.device_token,
                    max_age=DEVICE_COOKIE_DAYS * 86400,
                    path=url_for("auth.login"),
                    secure=current_app.config["SESSION_COOKIE_SECURE"],
                    httponly=True,
                    samesite="Lax",
                )
            return response
        error = result.error
    status = 422 if (error or form.errors) else 200
    return render_template("accounts/login.html", form=form, error=error), status


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        ops.log_out(current_user._get_current_object())
    logout_user()
    flash("로그아웃했습니다.", "info")
    return redirect(url_for("home.index"), code=303)


@bp.route("/account", methods=["GET"])
@login_required
def account():
    return render_template(
        "accounts/account.html",
        password_form=ChangePasswordForm(),
        delete_form=DeleteAccountForm(),
    )


@bp.post("/account/password")
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            ops.change_password(current_user, form.current_password.data, form.password.data)
        except OperationError as error:
            show_on_form(form, error)
        else:
            # Keep this session (its cookie carries the new version); other sessions end.
            login_user(current_user._get_current_object())
            flash("비밀번호를 바꿨습니다.", "success")
            return redirect(url_for("auth.account"), code=303)
    return render_template(
        "accounts/account.html", password_form=form, delete_form=DeleteAccountForm()
    ), 422


@bp.post("/account/delete")
@login_required
def delete_account():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            ops.delete_account(current_user, form.password.data)
        except OperationError as error:
            show_on_form(form, error)
        else:
            logout_user()
            flash("탈퇴했습니다. 개인정보는 지워졌고 게시물은 익명으로 남습니다.", "info")
            return redirect(url_for("home.index"), code=303)
    return render_template(
        "accounts/account.html", password_form=ChangePasswordForm(), delete_form=form
    ), 422


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
def request_reset():
    form = ResetRequestForm()
    if form.validate_on_submit():
        ops.request_password_reset(form.email.data)
        flash("가입된 이메일이면 비밀번호 재설정 링크를 보냈습니다. 메일함을 확인하세요.", "info")
        return redirect(url_for("auth.login"), code=303)
    return render_template("accounts/reset_request.html", form=form), (422 if form.errors else 200)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    if ops.valid_reset_token(token) is None:
        return render_template("accounts/reset_invalid.html"), 410
    form = ResetPasswordForm()
    if form.validate_on_submit():
        ops.reset_password(token, form.password.data)
        flash("새 비밀번호로 로그인하세요.", "success")
        return redirect(url_for("auth.login"), code=303)
    return render_template("accounts/reset_password.html", form=form), (422 if form.errors else 200)


@bp.get("/confirm/<token>")
def confirm_email(token: str):
    try:
        user = verification.confirm_email(token)
    except OperationError as error:
        return render_template("accounts/confirm_invalid.html", message=error.message), error.status
    flash(f"{user.name}님, 이메일 인증을 마쳤습니다. 이제 참여할 수 있습니다.", "success")
    return redirect(
        url_for("auth.account" if current_user.is_authenticated else "auth.login"), code=303
    )


@bp.post("/confirm/resend")
@login_required
@limiter.limit("5 per hour")
def resend_confirmation():
    form = ResendConfirmationForm()
    if form.validate_on_submit():
        try:
            verification.resend_confirmation(current_user._get_current_object())
        except OperationError as error:
            flash(error.message, "info")
        else:
            flash(
                f"{current_user.email} 주소로 인증 메일을 다시 보냈습니다. 메일함을 확인하세요.",
                "success",
            )
    return redirect(_safe_next("auth.account"), code=303)
