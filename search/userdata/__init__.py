"""The user's own data in SQLite: history, saved searches, reading state; never rebuilt, never lost."""
