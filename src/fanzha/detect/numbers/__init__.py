"""Behaviour detection: numbers."""
