/**
 * Why a nodejs-polars member is not supported, or how the SDK's form differs. Keyed by
 * "<Interface>.<member>"; the matrix prints the text beside the member.
 *
 * @module
 */

const SINK =
  "writes under the server's output root (POLAROID_OUTPUT_ROOT) or to `s3://<bucket>/<key>` of its S3 output bucket, atomically; `.collect()` resolves to `{ path, rows, bytes }` (sdk/README.md, Writing results out)";

/** Reasons a member is left out of the SDK. */
export const UNSUPPORTED: Readonly<Record<string, string>> = {
  "LazyDataFrame.collectSync":
    "a remote call cannot block the JS thread; use `await lf.collect()` or `lf.toArrow()`",
  "Expr.serialize":
    "returns Polars' Rust serde encoding, which a protobuf expression has no equivalent of; `toJSON()` and `inner()` give the wire form",
  "pl.select":
    "runs eagerly on an in-process empty frame; a remote query starts from a frame of a client",
};

/** Supported members whose SDK form differs from nodejs-polars'. */
export const DIFFERENCES: Readonly<Record<string, string>> = {
  "LazyDataFrame.collect": "runs remotely and resolves to a RemoteDataFrame (a handle)",
  "LazyDataFrame.sinkCSV": SINK,
  "LazyDataFrame.sinkIpc": SINK,
  "LazyDataFrame.sinkNdJson": SINK,
  "LazyDataFrame.sinkParquet": SINK,
  "LazyDataFrame.columns": "an async method (`await lf.columns()`), resolved once per plan",
  "LazyDataFrame.first": "stays lazy (nodejs-polars collects it)",
  "LazyDataFrame.serialize": 'the plan\'s wire form: proto3 JSON ("json") or protobuf bytes',
  "LazyDataFrame.toJSON": "the plan's proto3 JSON",
  "LazyDataFrame.inner": "the plan's protobuf message",
  "LazyDataFrame.describePlan": "async (one Explain call)",
  "LazyDataFrame.describeOptimizedPlan": "async (one Explain call)",
  "Expr.toJSON": "the expression's wire form as JSON",
  "Expr.toString": "the expression's wire form as JSON (not Polars' display text)",
  "Expr.inner": "the expression's protobuf message",
  "Expr.where": "declared but missing at run time in nodejs-polars; here an alias of `filter`",
  "Expr.rollingMedian":
    "with `weights`, `minPeriods` must equal `windowSize`: the engine's weighted median of a window cut by the frame's edge is wrong (it differs from Python Polars and was seen reading unwritten memory), so the server refuses it",
  "Expr.rollingQuantile":
    "with `weights`, `minPeriods` must equal `windowSize`: the engine's weighted quantile of a window cut by the frame's edge is wrong (it differs from Python Polars and was seen reading unwritten memory), so the server refuses it",
};
