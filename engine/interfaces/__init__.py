"""The ways in: the `jawaz` command line, the HTTP API and its decision log, and the docs
site build. Nothing imports this package."""
