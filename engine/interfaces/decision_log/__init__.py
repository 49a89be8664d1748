"""The decision log of the HTTP API: SQLite or PostgreSQL, written before each answer."""
