"""Imports the modules that add commands to the `gwanak` CLI group."""

import gwanak.participation.cli  # noqa: F401
import gwanak.policy.contest.commands  # noqa: F401
