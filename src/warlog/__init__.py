"""warlog: evidence-backed political-violence events from messy web-scraped news."""

__version__ = "0.2.0"
