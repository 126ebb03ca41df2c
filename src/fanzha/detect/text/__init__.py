"""Fraud text detection: is this SMS/chat/transcript fraud, which type, why."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from fanzha.detect.text.model import TextModel, TextParams, TextVerdict
from fanzha.detect.text.normalize import normalize

__all__ = ["TextModel", "TextParams", "TextVerdict", "default_model", "load_model", "normalize"]


@lru_cache(maxsize=1)
def default_model() -> TextModel:
    from fanzha.detect.text.default import DEFAULT_DIR

    return TextModel.load(DEFAULT_DIR)


def load_model(directory: str | Path | None = None) -> TextModel:
    """The model in ``directory``, or the shipped default when None."""
    return default_model() if directory is None else TextModel.load(directory)
