"""The `jawaz` command line."""
