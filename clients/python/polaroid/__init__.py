"""Polaroid's Python client: remote DataFrames with Python Polars' API.

Connect with ``polaroid.connect()``, upload with ``client.from_polars(df)`` (or scan files on
the server), build queries with ``polaroid.col``/``lit``/``when`` as with Polars, and
``collect()`` them into a ``polars.DataFrame``::

    import polars as pl
    import polaroid as pr

    with pr.connect("127.0.0.1:50051") as client:
        remote = client.from_polars(pl.DataFrame({"k": ["a", "b", "a"], "v": [1, 2, 3]}))
        out = remote.lazy().group_by("k").agg(pr.col("v").sum()).sort("k").collect()

Polars' data types (``pl.Int64``...) are accepted wherever a type is, and re-exported here.
"""

from __future__ import annotations

from polars import (
    Binary,
    Boolean,
    Categorical,
    Date,
    Datetime,
    Decimal,
    Duration,
    Float32,
    Float64,
    Int8,
    Int16,
    Int32,
    Int64,
    List,
    Null,
    String,
    Struct,
    Time,
    UInt8,
    UInt16,
    UInt32,
    UInt64,
    Utf8,
)

from polaroid._batches import Batches
from polaroid._retry import RetryPolicy
from polaroid.async_client import AsyncClient, connect_async
from polaroid.client import Client, connect
from polaroid.dataframe import RemoteDataFrame
from polaroid.errors import (
    AlreadyExistsError,
    CancelledError,
    ColumnNotFoundError,
    DeadlineExceededError,
    FailedPreconditionError,
    HandleLostError,
    HandleNotFoundError,
    InternalError,
    InvalidArgumentError,
    InvalidArrowError,
    InvalidPlanError,
    LimitExceededError,
    NotFoundError,
    PermissionDeniedError,
    PolaroidError,
    QueryError,
    UnauthenticatedError,
    UnavailableError,
    UnimplementedError,
)
from polaroid._namespace_list import element
from polaroid.expr import Expr
from polaroid.functions import (
    all,
    col,
    concat_list,
    corr,
    count,
    cov,
    format,
    int_range,
    int_ranges,
    len,
    lit,
    max,
    mean,
    median,
    min,
    n_unique,
    sum,
    when,
)
from polaroid.lazyframe import LazyFrame, LazyGroupBy
from polaroid.timeseries import Finance, Frequency, TimeSeries, TimeSeriesInfo

__version__ = "0.1.0"

__all__ = [
    "AlreadyExistsError",
    "AsyncClient",
    "Batches",
    "Binary",
    "Boolean",
    "CancelledError",
    "Categorical",
    "Client",
    "ColumnNotFoundError",
    "Date",
    "Datetime",
    "DeadlineExceededError",
    "Decimal",
    "Duration",
    "Expr",
    "FailedPreconditionError",
    "Finance",
    "Float32",
    "Float64",
    "Frequency",
    "HandleLostError",
    "HandleNotFoundError",
    "Int8",
    "Int16",
    "Int32",
    "Int64",
    "InternalError",
    "InvalidArgumentError",
    "InvalidArrowError",
    "InvalidPlanError",
    "LazyFrame",
    "LazyGroupBy",
    "LimitExceededError",
    "List",
    "NotFoundError",
    "Null",
    "PermissionDeniedError",
    "PolaroidError",
    "QueryError",
    "RemoteDataFrame",
    "RetryPolicy",
    "String",
    "Struct",
    "Time",
    "TimeSeries",
    "TimeSeriesInfo",
    "UInt8",
    "UInt16",
    "UInt32",
    "UInt64",
    "UnauthenticatedError",
    "UnavailableError",
    "UnimplementedError",
    "Utf8",
    "__version__",
    "all",
    "col",
    "concat_list",
    "connect",
    "connect_async",
    "corr",
    "count",
    "cov",
    "element",
    "format",
    "int_range",
    "int_ranges",
    "len",
    "lit",
    "max",
    "mean",
    "median",
    "min",
    "n_unique",
    "sum",
    "when",
]
