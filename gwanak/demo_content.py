"""Imports the feature modules whose demo seeders extend `seed-demo`."""

import gwanak.governance.demo  # noqa: F401
import gwanak.participation.demo  # noqa: F401
