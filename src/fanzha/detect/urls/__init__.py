"""URL and domain risk: rules with reasons plus a learned model."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from fanzha.detect.urls.model import UrlModel, UrlVerdict

__all__ = ["UrlModel", "UrlVerdict", "default_model", "load_model"]


@lru_cache(maxsize=1)
def default_model() -> UrlModel:
    from fanzha.detect.urls.default import DEFAULT_DIR

    return UrlModel.load(DEFAULT_DIR)


def load_model(directory: str | Path | None = None) -> UrlModel:
    return default_model() if directory is None else UrlModel.load(directory)
