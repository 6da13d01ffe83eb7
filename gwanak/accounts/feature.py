"""Accounts as a feature: sign-up, log-in, reset and deletion pages, who is logged in,
the account rules, `create-user`, and the demo people every other seeder uses."""

from flask import Flask

from gwanak.accounts import commands, demo, operations, retention, routes
from gwanak.core.extensions import login_manager
from gwanak.core.features import Feature


def _init_login(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "로그인이 필요합니다."
    login_manager.login_message_category = "info"
    login_manager.user_loader(operations.load_user)


FEATURE = Feature(
    name="accounts",
    blueprints=(routes.bp,),
    settings=operations.SETTINGS,
    commands=(commands.create_user_command, commands.load_organisation_command),
    demo=(demo.seed_organisation, demo.seed_accounts),
    jobs=(retention.PURGE_JOB,),
    init_app=_init_login,
)
