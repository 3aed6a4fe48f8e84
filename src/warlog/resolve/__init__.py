"""Resolution of extracted strings to values: dates, places (gazetteer), actors (lexicon)."""
