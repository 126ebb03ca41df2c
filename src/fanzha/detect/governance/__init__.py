"""Behaviour detection: governance."""
