"""Integration Journey's own library: event contracts and runtime plumbing, no business logic."""
