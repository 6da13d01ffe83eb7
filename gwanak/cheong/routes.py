"""Feature routes of the cheong menu; stored pages are added by make_menu_blueprint."""

from gwanak.cheong import bp  # noqa: F401
