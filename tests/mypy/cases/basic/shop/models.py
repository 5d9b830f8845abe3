from __future__ import annotations

from pydantic import BaseModel


class Pattern(BaseModel):
    kind: str
    confidence: float = 0.0


class Mapping_(BaseModel):
    """A model that defines a get of its own: .get on it is fine."""

    data: dict[str, str] = {}

    def get(self, key: str) -> str | None:
        return self.data.get(key)
