"""Mentions -> events within an article, and events -> clusters across articles."""
