"""Unit tests of the notifications service."""
