"""Feature routes of the governance menu; stored pages are added by make_menu_blueprint."""

from gwanak.governance import bp  # noqa: F401
