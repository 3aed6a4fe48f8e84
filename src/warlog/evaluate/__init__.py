"""Evaluation commands: score warlog against gold data (event types, fatalities, ACLED records, geocoding,
deduplication). Each module reads one gold format, runs the same library code the pipeline runs, and returns a
report object whose ``render()`` is what the CLI prints."""
