"""What `journey` (shared/cli.py) does for the operators, one module per concern; no module here parses arguments."""
