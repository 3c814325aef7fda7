"""Placement: offers, contracts, start of employment, retention follow-ups and early ends."""
