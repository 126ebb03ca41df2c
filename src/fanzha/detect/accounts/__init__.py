"""Behaviour detection: accounts."""
