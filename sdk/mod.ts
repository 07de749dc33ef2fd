/**
 * Polaroid's TypeScript SDK: nodejs-polars' lazy API over a remote engine.
 *
 * ```ts
 * import pl, { connect } from "./sdk/mod.ts";
 * await using client = await connect({ endpoint: "127.0.0.1:50051" });
 * const rows = await client.scanParquet("trades.parquet")
 *   .filter(pl.col("qty").gt(0))
 *   .groupBy("sym")
 *   .agg(pl.col("px").mean().alias("avg_px"))
 *   .toRecords();
 * ```
 *
 * The SDK reads one setting from the environment, and only with `--allow-env`:
 * POLAROID_ENDPOINT, one endpoint or a comma-separated list (POLAROID_INGEST_ENDPOINT for
 * `connectIngest`), used when no endpoint option is given.
 *
 * Over several compute workers that share an external handle store, calls are balanced
 * (round robin, or affinity by handle) and retried on the next worker:
 *
 * ```ts
 * await using client = await connect({ endpoints: ["w1:50051", "w2:50051"], balance: "affinity" });
 * ```
 *
 * @module
 */

import { DataType } from "./datatypes.ts";
import {
  all,
  allHorizontal,
  anyHorizontal,
  argSortBy,
  avg,
  col,
  cols,
  concatList,
  concatString,
  count,
  cov,
  element,
  exclude,
  first,
  format,
  head,
  intRange,
  intRanges,
  last,
  len,
  list,
  lit,
  maxHorizontal,
  mean,
  median,
  minHorizontal,
  nth,
  nUnique,
  pearsonCorr,
  quantile,
  spearmanRankCorr,
  struct,
  sumHorizontal,
  tail,
} from "./functions.ts";
import { concat } from "./frame/concat.ts";
import { when } from "./when.ts";
import { Expr } from "./expr/expr.ts";
import { RemoteDataFrame, RemoteLazyFrame } from "./frame/lazy_frame.ts";
import { sqlContext } from "./sql_context.ts";
import { series } from "./series.ts";

export { connect, DEFAULT_ENDPOINT } from "./client.ts";
export type { Client, ConnectOptions, ScanCsvOptions, UploadOptions } from "./client.ts";
export { connectIngest, DEFAULT_INGEST_ENDPOINT } from "./ingest.ts";
export type {
  AppendOptions,
  AppendResult,
  FollowedBatch,
  FollowOptions,
  GrpcSourceOptions,
  IngestClient,
  IngestConnectOptions,
  JetStreamSourceOptions,
  KafkaSourceOptions,
  NatsSourceOptions,
  RedisSourceOptions,
  RestSourceOptions,
  RetentionOptions,
  SnapshotOptions,
  SourceInfo,
  SourceOptions,
  WebSocketSourceOptions,
} from "./ingest.ts";
export { type LiveBar, LiveBars, liveBars, type LiveBarsOptions } from "./timeseries/live_bars.ts";
export { RemoteLazyFrame } from "./frame/lazy_frame.ts";
export { SQLContext, type SqlFrame } from "./sql_context.ts";
export { MAX_SERIES_VALUES, Series } from "./series.ts";
export { RemoteFinance } from "./frame/lazy_frame.ts";
export { MAX_FILL_BARS } from "./timeseries/bars.ts";
export { RemoteTimeSeries } from "./frame/lazy_frame.ts";
export { TIME_SERIES_METADATA } from "./timeseries/time_series.ts";
export { openJob, RemoteJob } from "./frame/lazy_frame.ts";
export type { JobState, JobStatusName, SubmitOptions, WaitOptions } from "./jobs.ts";
export type {
  AsofInterpolation,
  AsofJoinOptions,
  AsTimeSeriesOptions,
  EwmWindowOptions,
  ExpandingOptions,
  FillForwardOptions,
  Frequency,
  IndexKind,
  PairStat,
  RollingWindowOptions,
  TimeSeriesInfo,
  UpsampleFill,
  UpsampleOptions,
  WindowStat,
} from "./timeseries/time_series.ts";
export { MAX_UPSAMPLE_ROWS } from "./timeseries/time_series_align.ts";
export type { BarFill, OhlcvOptions } from "./timeseries/bars.ts";
export type {
  ByColumns,
  CorrelationOptions,
  FinanceColumnOptions,
  ReturnKind,
  ReturnsOptions,
  TwapOptions,
  VolatilityMethod,
  VolatilityOptions,
  VwapOptions,
} from "./timeseries/finance.ts";
export type {
  AdfOptions,
  CointOptions,
  HurstOptions,
  JohansenOptions,
  KpssOptions,
  StatAutolag,
  StatRegression,
  StatTestOptions,
} from "./plan/plan_stat_tests.ts";
export { RemoteDataFrame, RemoteLazyGroupBy } from "./frame/lazy_frame.ts";
export { concat } from "./frame/concat.ts";
export type {
  ConcatHowName,
  ConcatOptions,
  PivotAggName,
  PivotOptions,
  UnpivotOptions,
} from "./plan/plan_reshape.ts";
export type {
  ClosedWindowName,
  GroupByDynamicOptions,
  GroupByRollingOptions,
  StartByName,
} from "./plan/plan_group.ts";
export type { AsofStrategyName, JoinAsofOptions } from "./plan/plan_join.ts";
export type { CollectOptions, StreamOptions } from "./transport/session.ts";
export { RemoteSink } from "./frame/sink.ts";
export type {
  SinkCollectOptions,
  SinkCsvOptions,
  SinkIpcOptions,
  SinkNdJsonOptions,
  SinkParquetOptions,
  SinkResult,
} from "./frame/sink.ts";
export type { SqlOptions } from "./sql.ts";
export type { ResumeOptions } from "./transport/resume.ts";
export type { RetryOptions } from "./transport/retry.ts";
export type { BalanceMode } from "./transport/balancer.ts";
export { rendezvousOrder } from "./transport/balancer.ts";
export type {
  JoinHow,
  JoinOptions,
  SortOptions,
  UniqueKeepStrategy,
  UniqueOptions,
} from "./plan/plan.ts";
export { Expr } from "./expr/expr.ts";
export type { ExprOrValue } from "./expr/expr.ts";
export {
  all,
  allHorizontal,
  anyHorizontal,
  argSortBy,
  avg,
  col,
  cols,
  concatList,
  concatString,
  count,
  cov,
  element,
  exclude,
  first,
  format,
  head,
  intRange,
  intRanges,
  last,
  len,
  list,
  lit,
  maxHorizontal,
  mean,
  median,
  minHorizontal,
  nth,
  nUnique,
  pearsonCorr,
  quantile,
  spearmanRankCorr,
  struct,
  sumHorizontal,
  tail,
} from "./functions.ts";
export type { ColumnsOrExpr, ExprOrString, IntRangeOptions, ValueOrArray } from "./functions.ts";
export type {
  ClosedInterval,
  EwmOptions,
  FillNullStrategy,
  InterpolationMethod,
  RankMethod,
  RollingOptions,
  RollingQuantileOptions,
  RollingSkewOptions,
  RoundMode,
  SampleOptions,
} from "./expr/_core_args.ts";
export type { LiteralValue } from "./literal.ts";
export { Then, When, when } from "./when.ts";
export { DataType } from "./datatypes.ts";
export type { DataTypeName, Field, Schema, TimeUnit } from "./datatypes.ts";
export { tableFromRecords, tableToRecords } from "./records.ts";
export type { Row } from "./records.ts";
export type { HandleInfo } from "../shared/gen/polaroid/v1/handle.ts";
export {
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
} from "../shared/errors.ts";

/**
 * The nodejs-polars-shaped namespace: `pl.col`, `pl.lit`, `pl.when`, `pl.len` and the types
 * (`pl.Int64`, `pl.Datetime("ms")`, ...), so that `import pl from ".../sdk/mod.ts"` reads
 * like `import pl from "nodejs-polars"`.
 */
const pl = Object.freeze({
  SQLContext: sqlContext,
  Series: series,
  isDataFrame: (value: unknown): value is RemoteDataFrame => value instanceof RemoteDataFrame,
  isLazyDataFrame: (value: unknown): value is RemoteLazyFrame => value instanceof RemoteLazyFrame,
  isExpr: (value: unknown): value is Expr => value instanceof Expr,
  col,
  concat,
  cols,
  lit,
  len,
  when,
  all,
  allHorizontal,
  anyHorizontal,
  argSortBy,
  avg,
  concatList,
  concatString,
  count,
  cov,
  element,
  exclude,
  first,
  format,
  head,
  intRange,
  intRanges,
  last,
  list,
  maxHorizontal,
  mean,
  median,
  minHorizontal,
  nth,
  nUnique,
  pearsonCorr,
  quantile,
  spearmanRankCorr,
  struct,
  sumHorizontal,
  tail,
  DataType,
  Null: DataType.Null,
  Bool: DataType.Bool,
  Int8: DataType.Int8,
  Int16: DataType.Int16,
  Int32: DataType.Int32,
  Int64: DataType.Int64,
  UInt8: DataType.UInt8,
  UInt16: DataType.UInt16,
  UInt32: DataType.UInt32,
  UInt64: DataType.UInt64,
  Float32: DataType.Float32,
  Float64: DataType.Float64,
  Utf8: DataType.Utf8,
  String: DataType.String,
  Date: DataType.Date,
  Time: DataType.Time,
  Categorical: DataType.Categorical,
  Binary: DataType.Binary,
  Datetime: DataType.Datetime,
  Duration: DataType.Duration,
  List: DataType.List,
  Struct: DataType.Struct,
  Decimal: DataType.Decimal,
});

export default pl;
