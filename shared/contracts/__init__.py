"""The only thing services know of each other: messages, topics, envelope and enumerations."""
