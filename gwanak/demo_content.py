"""Imports the feature modules whose demo seeders extend `seed-demo`."""

import gwanak.budget.demo  # noqa: F401
import gwanak.cheong.demo  # noqa: F401
import gwanak.governance.demo  # noqa: F401
import gwanak.manifesto.demo  # noqa: F401
import gwanak.participation.demo  # noqa: F401
import gwanak.policy.asks.demo  # noqa: F401
import gwanak.policy.contest.demo  # noqa: F401
import gwanak.policy.event.demo  # noqa: F401
