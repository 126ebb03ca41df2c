"""The shared part of the lean ``POST`` routes that answer hot endpoints straight from ASGI
(``/v1/check/payment``, ``/call``, ``/text``): exact path matching and reading the whole body.
Each route adds its own handling; the FastAPI routes stay as the OpenAPI contract."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from starlette.routing import BaseRoute, Match, NoMatchFound
from starlette.types import Receive, Scope


class LeanPostRoute(BaseRoute):
    """Matches ``POST <path>`` only, so other methods fall through to FastAPI (405)."""

    def __init__(self, path: str, model: type[BaseModel]) -> None:
        self.path = self.path_format = path
        self.name = f"fast:{path}"
        self.include_in_schema = False
        self.methods = {"POST"}
        self._validate_json = model.__pydantic_validator__.validate_json

    def matches(self, scope: Scope) -> tuple[Match, Scope]:  # type: ignore[override]
        if scope["type"] != "http" or scope["method"] != "POST":
            return Match.NONE, {}
        path = scope["path"]
        root = scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root) :]
        if path != self.path:
            return Match.NONE, {}
        return Match.FULL, {"route": self, "endpoint": self.handle}

    def url_path_for(self, name: str, /, **path_params: Any) -> Any:
        raise NoMatchFound(name, path_params)

    @staticmethod
    async def read_body(receive: Receive) -> bytes | None:
        """The whole request body; ``None`` when the client went away first."""
        chunks = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return None
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)
