"""Feature routes of the budget menu; stored pages are added by make_menu_blueprint."""

from gwanak.budget import bp  # noqa: F401
