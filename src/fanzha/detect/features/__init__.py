"""Behaviour detection: features."""
