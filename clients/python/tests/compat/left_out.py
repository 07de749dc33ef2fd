"""Python Polars members Polaroid leaves out, and why (each reason must stay true), and notes
printed beside other members in docs/compat-python.md."""

from __future__ import annotations

_CALLABLE = "runs an arbitrary Python callable on the data: the server cannot run client code"
_SERDE = (
    "the bytes are Python Polars' own serde encoding, which only Python Polars' `deserialize` reads; "
    "Polaroid's plans and expressions are protobuf (`LazyFrame.plan`), which Python Polars cannot read"
)
_PRINTS = (
    "prints intermediate values from inside the engine while the query runs; the server runs "
    "the query, and its standard output is not the caller's"
)

LEFT_OUT: dict[str, str] = {
    "LazyFrame.deserialize": _SERDE,
    "LazyFrame.serialize": _SERDE,
    "LazyFrame.from_lazyframe_resolver": (
        "builds a frame from a Python resolver object that Python Polars calls while planning; a "
        "Polaroid frame comes from the server (an upload, a handle or a scan)"
    ),
    "LazyFrame.inspect": _PRINTS,
    "LazyFrame.map_batches": _CALLABLE,
    "LazyFrame.remote": (
        "sends the query to Polars Cloud; a Polaroid frame already runs remotely, on the Polaroid cluster"
    ),
    "LazyFrame.show_graph": (
        "draws the in-process engine's plan graph with graphviz; the server describes its plan only as text (`explain`)"
    ),
    "LazyFrame.sink_delta": (
        "writes a Delta Lake table through the deltalake package in-process; the server writes "
        "Parquet, IPC, CSV and NDJSON files only"
    ),
    "LazyFrame.sink_iceberg": (
        "writes an Iceberg table through pyiceberg in-process; the server writes Parquet, IPC, CSV "
        "and NDJSON files only"
    ),
    "LazyGroupBy.map_groups": _CALLABLE,
    "Expr.cut": "Python Polars 2 deprecated it (use `bin_intervals`)",
    "Expr.qcut": "Python Polars 2 deprecated it (use `bin_quantiles` or `bin_ranks`)",
    "Expr.deserialize": _SERDE,
    "Expr.ext": (
        "extension data types are Python classes registered in the process (`pl.register_extension_type`); "
        "the server's engine (nodejs-polars 0.25.2) has no extension types"
    ),
    "Expr.inspect": _PRINTS,
    "Expr.map": "the `pl.Map` data type is new in Python Polars 2; the server's engine (nodejs-polars 0.25.2) has none",
    "Expr.map_batches": _CALLABLE,
    "Expr.map_elements": _CALLABLE,
    "Expr.rolling_map": _CALLABLE,
    "Expr.list.to_map": "the `pl.Map` data type is new in Python Polars 2; the server's engine (nodejs-polars 0.25.2) has none",
}
"""Members that cannot be supported, keyed as the cases are ("LazyFrame.map_batches")."""

_SINK = (
    "the server writes the file under its output root (POLAROID_OUTPUT_ROOT) or to its S3 output bucket "
    "(`s3://<bucket>/<key>`), as the TypeScript SDK's sinks do; the case reads it back"
)

NOTES: dict[str, str] = {
    "LazyFrame.collect": "runs on the server and downloads the result; `collect(keep=True)` keeps it there",
    "LazyFrame.explain": "the server's plan text (nodejs-polars' engine), not Python Polars'",
    "LazyFrame.sink_csv": _SINK,
    "LazyFrame.sink_ipc": _SINK,
    "LazyFrame.sink_ndjson": _SINK,
    "LazyFrame.sink_parquet": _SINK,
    "LazyFrame.sink_batches": "could run on the client over `collect_batches()`",
    "Expr.name.map": "the callable runs on names, not data: the client could apply it from the frame's schema",
    "Expr.name.map_fields": "the callable runs on names, not data: the client could apply it from the frame's schema",
}
"""Notes beside members that are not left out (how Polaroid's form differs, or how a missing
member could be added)."""
