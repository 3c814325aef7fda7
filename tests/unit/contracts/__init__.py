"""Unit tests of the message contracts and the partner artefacts generated from them."""
