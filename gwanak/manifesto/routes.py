"""Feature routes of the manifesto menu; stored pages are added by make_menu_blueprint."""

from gwanak.manifesto import bp  # noqa: F401
