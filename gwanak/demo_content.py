"""Imports the feature modules whose demo seeders extend `seed-demo`."""

import gwanak.budget.demo  # noqa: F401
import gwanak.cheong.demo  # noqa: F401
import gwanak.governance.demo  # noqa: F401
import gwanak.participation.demo  # noqa: F401
