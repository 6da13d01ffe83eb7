"""Imports the modules that add commands to the `gwanak` CLI group."""

import gwanak.cheong.commands  # noqa: F401
import gwanak.participation.cli  # noqa: F401
