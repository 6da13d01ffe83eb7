"""Imports the modules that add commands to the `gwanak` CLI group."""

import gwanak.budget.commands  # noqa: F401
import gwanak.cheong.commands  # noqa: F401
import gwanak.manifesto.cli  # noqa: F401
import gwanak.participation.cli  # noqa: F401
import gwanak.policy.contest.commands  # noqa: F401
