"""Sentences, triggers, casualties, actors, places and claims, read from cleaned text."""
