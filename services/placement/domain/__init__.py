"""Placement's rules, pure: the case and its states (`case`), offers and the contract (`offers`), the employment
with its retention checks and end (`employment`), and the follow-up dates they set (`follow_ups`)."""
