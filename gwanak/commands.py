"""Imports the modules that add commands to the `gwanak` CLI group."""

import gwanak.participation.cli  # noqa: F401
