"""Accounts: users, roles, sign-up, log-in, password reset, deletion."""
