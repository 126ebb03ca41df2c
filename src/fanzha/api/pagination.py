"""Offset pagination shared by every list endpoint."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel

T = TypeVar("T")

MAX_LIMIT = 500


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int
    next_offset: int | None = None

    @classmethod
    def build(cls, items: list[T], total: int, params: PageParams) -> Page[T]:
        nxt = params.offset + len(items)
        return cls(
            items=items,
            total=total,
            limit=params.limit,
            offset=params.offset,
            next_offset=nxt if nxt < total else None,
        )


@dataclass(frozen=True)
class PageParams:
    limit: int = 50
    offset: int = 0


def page_params(
    limit: int = Query(50, ge=1, le=MAX_LIMIT, description="每页条数"),
    offset: int = Query(0, ge=0, le=10_000_000, description="起始位置"),
) -> PageParams:
    return PageParams(limit=limit, offset=offset)
