"""Feature routes of the policy menu; stored pages are added by make_menu_blueprint.

Each programme lives in its own sub-package and attaches its routes to `bp`."""

from gwanak.policy import bp  # noqa: F401
from gwanak.policy.contest import routes as contest_routes  # noqa: F401
