"""Fanzha (反诈): an open platform against telecom and online fraud."""

__version__ = "0.1.0"
