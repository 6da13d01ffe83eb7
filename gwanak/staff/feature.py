"""The back office's shared pages: users, the organisation, settings, outbox, audit log."""

from gwanak.core.features import Feature
from gwanak.staff import organisation, routes  # noqa: F401  (organisation's pages attach to bp)

FEATURE = Feature(name="staff", blueprints=(routes.bp,))
