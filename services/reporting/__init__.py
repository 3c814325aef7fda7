"""Reporting: a pseudonymised read model of every participant's path, the network's figures and funding periods."""
