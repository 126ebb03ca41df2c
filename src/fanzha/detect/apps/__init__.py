"""App risk checks."""

from fanzha.detect.apps.check import AppVerdict, check_app

__all__ = ["AppVerdict", "check_app"]
