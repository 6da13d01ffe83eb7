"""The back office's shared pages: users, settings, outbox, audit log."""

from gwanak.core.features import Feature
from gwanak.staff import routes

FEATURE = Feature(name="staff", blueprints=(routes.bp,))
