"""Imports the modules that add commands to the `gwanak` CLI group."""

import gwanak.manifesto.cli  # noqa: F401
import gwanak.participation.cli  # noqa: F401
