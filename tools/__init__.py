"""Developer tools run from the repository root, e.g. `python -m tools.contracts check`."""
