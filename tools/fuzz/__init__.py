"""`python -m tools.fuzz` (`make fuzz`): malformed records on every commands topic, and what the stages made of them."""
