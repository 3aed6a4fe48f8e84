"""Boilerplate and junk removal, normalisation, HTML main-text extraction, publication-date discovery."""

from warlog.clean.junk import CleanResult, clean_text
from warlog.clean.pubdate import find_pub_date
from warlog.clean.stage import CleanStage

__all__ = ["CleanResult", "CleanStage", "clean_text", "find_pub_date"]
