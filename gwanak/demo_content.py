"""Imports the feature modules whose demo seeders extend `seed-demo`."""

import gwanak.manifesto.demo  # noqa: F401
import gwanak.participation.demo  # noqa: F401
