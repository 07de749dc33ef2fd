"""Collect replies read batch by batch: ``collect_batches()``' iterator of DataFrames, which
cancels the download when closed, exhausted or dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from types import TracebackType

import polars as pl

from polaroid._arrow import ipc_frame
from polaroid._gen.polaroid.v1 import dataframe_pb2

__all__ = ["Batches", "ipc_messages"]


def ipc_messages(messages: Iterable[dataframe_pb2.CollectResponse]) -> Iterator[bytes]:
    """The Arrow IPC bytes of each Collect message."""
    for message in messages:
        yield message.arrow_ipc


class Batches(Iterator[pl.DataFrame]):
    """The result of a query as ``polars.DataFrame``s, one per batch the server sends, as they
    arrive. ``close()`` (or a ``with`` block, or dropping the iterator) cancels the download."""

    def __init__(self, stream: Iterator[dataframe_pb2.CollectResponse]) -> None:
        self._stream = stream
        self._first: pl.DataFrame | None = None
        self._closed = False

    def prime(self) -> None:
        """Starts the download: waits for the first batch (kept for the first ``next()``)."""
        try:
            self._first = self._next()
        except StopIteration:
            pass

    def _next(self) -> pl.DataFrame:
        if self._closed:
            raise StopIteration
        try:
            message = next(self._stream)
        except StopIteration:
            self.close()
            raise
        except BaseException:
            self.close()
            raise
        return ipc_frame(message.arrow_ipc)

    def __iter__(self) -> Batches:
        return self

    def __next__(self) -> pl.DataFrame:
        if self._first is not None:
            first, self._first = self._first, None
            return first
        return self._next()

    def close(self) -> None:
        """Cancels the download (closing twice is harmless)."""
        if not self._closed:
            self._closed = True
            self._first = None
            close = getattr(self._stream, "close", None)
            if close is not None:
                close()

    def __enter__(self) -> Batches:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # pragma: no cover - interpreter shutdown
            pass
