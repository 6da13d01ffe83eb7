"""Imports the feature modules whose demo seeders extend `seed-demo`."""

import gwanak.participation.demo  # noqa: F401
import gwanak.policy.asks.demo  # noqa: F401
import gwanak.policy.contest.demo  # noqa: F401
import gwanak.policy.event.demo  # noqa: F401
