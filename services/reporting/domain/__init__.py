"""Reporting's pure rules: disclosure control, percentiles, what an exit counts as, funding periods."""
