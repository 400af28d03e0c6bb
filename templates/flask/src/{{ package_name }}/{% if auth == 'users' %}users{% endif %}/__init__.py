"""Accounts: sign-up and sign-in pages under /auth, API tokens under /api."""
