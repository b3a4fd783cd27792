"""Serving the dashboard to a class: several server processes behind a reverse proxy."""
