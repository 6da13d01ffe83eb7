"""창의제안 공모전 (creative proposal contest): one contest a year, entries, screening,
committee decisions, re-review and implementation tracking.

models.py holds the tables, operations.py every state change, routes.py the web.
"""
