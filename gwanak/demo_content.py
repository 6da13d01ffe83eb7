"""Imports the feature modules whose demo seeders extend `seed-demo`."""

import gwanak.policy.contest.demo  # noqa: F401
