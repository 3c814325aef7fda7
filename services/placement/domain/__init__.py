"""Placement's rules, pure: the case and its states (`case`), offers and the contract (`offers`), the employment
with its retention checks and end (`employment`), the follow-up dates they set (`follow_ups`), and the licence to
practise an employment relies on (`licences`)."""
