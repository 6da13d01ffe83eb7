"""Imports the modules that add commands to the `gwanak` CLI group."""
