"""Atom feeds of what the features declare (Feature.feeds), at /feeds/<slug>.atom."""
