/**
 * Why a nodejs-polars member is not supported, or how the SDK's form differs. Keyed by
 * "<Interface>.<member>"; the matrix prints the text beside the member.
 *
 * @module
 */

/** Reasons a member is left out of the SDK. */
export const UNSUPPORTED: Readonly<Record<string, string>> = {
  "LazyDataFrame.collectSync":
    "a remote call cannot block the JS thread; use `await lf.collect()` or `lf.toArrow()`",
};

/** Supported members whose SDK form differs from nodejs-polars'. */
export const DIFFERENCES: Readonly<Record<string, string>> = {
  "LazyDataFrame.collect": "runs remotely and resolves to a RemoteDataFrame (a handle)",
};
