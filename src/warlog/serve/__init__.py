"""Serving: one query layer (``query.py``) rendered as JSON (REST, ``app.py``) and HTML (``static/``)."""
