"""Identifier vocabulary: normalise, validate, mask and key-hash the identifiers fraud work is about.

One module per family (``phone``, ``bank``, ``payment``, ``web``, ``app``, ``device``, ``network``,
``social``, ``resident_id``) and a ``registry`` joining them. Pure Python, no I/O; the Public Suffix
List is the copy bundled with ``publicsuffixlist``.

Identity of an identifier is ``(kind, value)``; the keyed hash is HMAC-SHA256 over
``f"{kind}:{value}"``, so the same identifier written in any accepted raw form hashes the same.
"""

from fanzha.domain.identifiers._base import (
    PHONE_KINDS,
    REASONS,
    Identifier,
    IdentifierError,
    IdentifierKind,
)
from fanzha.domain.identifiers.registry import (
    detect_kind,
    hash_normalised,
    keyed_hash,
    mask,
    normalize,
    normalize_many,
    validate,
)

__all__ = [
    "PHONE_KINDS",
    "REASONS",
    "Identifier",
    "IdentifierError",
    "IdentifierKind",
    "detect_kind",
    "hash_normalised",
    "keyed_hash",
    "mask",
    "normalize",
    "normalize_many",
    "validate",
]
