"""What frames need of the client that made them: the blocking transport (every client has
one) and, for an ``AsyncClient``, the asyncio one (``_aio``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:
    from polaroid.async_client import AsyncClient
    from polaroid.client import Client

__all__ = ["AnyClient"]

#: The client of a frame: blocking or asyncio.
AnyClient = Union["Client", "AsyncClient"]
