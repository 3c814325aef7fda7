"""Test support: real infrastructure, service processes, Kafka taps and senders."""
