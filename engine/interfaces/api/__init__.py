"""The HTTP API (`jawaz serve`)."""
