"""Feature routes of the policy menu; stored pages are added by make_menu_blueprint."""

from gwanak.policy import bp  # noqa: F401
