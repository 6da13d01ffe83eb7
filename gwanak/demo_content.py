"""Imports the feature modules whose demo seeders extend `seed-demo`."""
