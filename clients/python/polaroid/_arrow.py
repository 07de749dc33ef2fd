"""Arrow IPC on the wire: frames are uploaded as one uncompressed IPC stream, and a Collect
reply is a sequence of messages, each a self-contained IPC stream, decoded with Polars'
own reader (pyarrow only for ``to_arrow``/``from_arrow``).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

import polars as pl

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "STREAM",
    "arrow_reader",
    "arrow_to_ipc",
    "ipc_frame",
    "ipc_to_arrow",
    "ipc_to_polars",
    "polars_to_ipc",
    "require_pyarrow",
]


#: What the Arrow C stream needs pyarrow for, as its ImportError says.
STREAM = "__arrow_c_stream__ (the Arrow PyCapsule interface)"


def require_pyarrow(what: str = "Arrow tables") -> Any:
    """The pyarrow module, or ImportError saying how to install it."""
    try:
        import pyarrow
    except ImportError as error:
        raise ImportError(
            f"pyarrow is needed for {what}: pip install 'polaroid[pyarrow]' (or pip install pyarrow)"
        ) from error
    return pyarrow


def ipc_frame(message: bytes) -> pl.DataFrame:
    """The DataFrame of one Collect message (a self-contained IPC stream: one server batch)."""
    return pl.read_ipc_stream(io.BytesIO(message))


def polars_to_ipc(df: pl.DataFrame) -> memoryview:
    """One uncompressed Arrow IPC stream of ``df``, in the oldest compatibility level (large
    strings, no string views), which every Arrow reader takes."""
    if not isinstance(df, pl.DataFrame):
        raise TypeError(f"Cannot upload as 'df' must be a polars.DataFrame: current value is {type(df).__name__}")
    buffer = io.BytesIO()
    df.write_ipc_stream(buffer, compression="uncompressed", compat_level=pl.CompatLevel.oldest())
    return buffer.getbuffer()


def arrow_to_ipc(table: pa.Table) -> memoryview:
    """One uncompressed Arrow IPC stream of a pyarrow Table (or RecordBatch)."""
    pa = require_pyarrow()
    if isinstance(table, pa.RecordBatch):
        table = pa.Table.from_batches([table])
    if not isinstance(table, pa.Table):
        raise TypeError(f"Cannot upload as 'table' must be a pyarrow.Table: current value is {type(table).__name__}")
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return memoryview(sink.getvalue())


def ipc_to_polars(messages: Iterable[bytes]) -> pl.DataFrame:
    """One DataFrame from a Collect reply's messages. An empty result keeps the schema of
    its first message; a reply with no message gives a frame without columns."""
    frames = [ipc_frame(message) for message in messages]
    if not frames:
        return pl.DataFrame()
    non_empty = [f for f in frames if f.height > 0]
    if not non_empty:
        return frames[0]
    if len(non_empty) == 1:
        return non_empty[0]
    # The batches stay chunks of one frame, as a Polars result may be: no copy of the result.
    return pl.concat(non_empty, how="vertical", rechunk=False)


def ipc_to_arrow(messages: Iterable[bytes]) -> pa.Table:
    """One pyarrow Table from a Collect reply's messages."""
    pa = require_pyarrow()
    tables = [pa.ipc.open_stream(message).read_all() for message in messages]
    if not tables:
        return pa.table({})
    non_empty = [t for t in tables if t.num_rows > 0]
    return pa.concat_tables(non_empty) if non_empty else tables[0]


def arrow_reader(messages: Iterator[bytes], schema: Callable[[], pl.Schema], on_close: Callable[[], None]) -> Any:
    """A ``pyarrow.RecordBatchReader`` over a Collect reply's messages, read as the reader is
    (the first message is read at once, for the schema; ``schema()`` gives it when there is
    no message). ``on_close`` runs when the batches are exhausted or the reader dropped."""
    pa = require_pyarrow(STREAM)
    first = next(messages, None)
    if first is None:
        on_close()
        empty = pl.DataFrame(schema=schema()).to_arrow()
        return pa.RecordBatchReader.from_batches(empty.schema, iter(()))
    head = pa.ipc.open_stream(first)

    def batches() -> Iterator[Any]:
        try:
            yield from head
            for message in messages:
                yield from pa.ipc.open_stream(message)
        finally:
            on_close()

    return pa.RecordBatchReader.from_batches(head.schema, batches())
