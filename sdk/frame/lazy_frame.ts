/**
 * RemoteLazyFrame: nodejs-polars' LazyDataFrame API over a remote engine (its query methods
 * are LazyQuery's, lazy_query.ts), and the public classes that name it back, each the one
 * instance of a room written over the frame classes: RemoteDataFrame (data_frame.ts),
 * RemoteLazyGroupBy (group_by.ts), RemoteFinance (sdk/timeseries/finance.ts),
 * RemoteTimeSeries (sdk/timeseries/time_series.ts) and RemoteJob (sdk/jobs.ts). These
 * classes name each other (`lf.collect()` is a RemoteDataFrame, `df.lazy()` a
 * RemoteLazyFrame, ...), so they are tied here, and only here: the rooms they stand on name
 * none of them.
 *
 * @module
 */

import type { HandleInfo } from "../../shared/gen/polaroid/v1/handle.ts";
import type { JobInfo } from "../../shared/gen/polaroid/v1/jobs.ts";
import type { Plan } from "../../shared/gen/polaroid/v1/plan.ts";
import type { ColumnsOrExpr } from "../functions.ts";
import { getJob, Job, type JobSession, RESULT, submitJob, type SubmitOptions } from "../jobs.ts";
import { refuseOptions } from "../option_audit.ts";
import * as P from "../plan/plan.ts";
import type { GroupByDynamicOptions, GroupByRollingOptions } from "../plan/plan_group.ts";
import { type JoinAsofOptions, joinAsofPlan } from "../plan/plan_join.ts";
import type { SchemaCache } from "../schema_cache.ts";
import { ohlcv, type OhlcvOptions } from "../timeseries/bars.ts";
import { Finance } from "../timeseries/finance.ts";
import {
  asTimeSeries,
  type AsTimeSeriesOptions,
  SERIES,
  storedTimeSeries,
  TimeSeries,
  type TimeSeriesInfo,
} from "../timeseries/time_series.ts";
import type { CollectOptions, Session } from "../transport/session.ts";
import { DataFrameBase } from "./data_frame.ts";
import { LazyGroupBy } from "./group_by.ts";
import { combineFrames, LAZY, LazyQuery, queryOf } from "./lazy_query.ts";

/** A lazy query on the server, built like a nodejs-polars LazyDataFrame. */
export class RemoteLazyFrame extends LazyQuery<RemoteLazyFrame, RemoteDataFrame> {
  /** Frames built on this one are RemoteLazyFrames. */
  [LAZY](session: Session, plan: Plan | Promise<Plan>, schemas?: SchemaCache): RemoteLazyFrame {
    return new RemoteLazyFrame(session, plan, schemas);
  }

  /** Builds a frame from the plans of several frames (pending ones are waited for). */
  static combine(
    frames: readonly RemoteLazyFrame[],
    build: (plans: Plan[]) => Plan,
  ): RemoteLazyFrame {
    return combineFrames(frames, build);
  }

  #next(build: (input: Plan) => Plan): RemoteLazyFrame {
    const query = queryOf(this).next(build);
    return new RemoteLazyFrame(query.session, query.value, query.schemas);
  }

  #finish = (build: (input: Plan) => Plan): RemoteLazyFrame => this.#next(build);

  /**
   * Checks this frame as a time series (index type, nulls, order and duplicates per symbol),
   * detects its frequency and stores it with that metadata (docs/timeseries.md).
   */
  asTimeSeries(options: AsTimeSeriesOptions): Promise<RemoteTimeSeries> {
    return asTimeSeries<RemoteLazyFrame, RemoteDataFrame, RemoteTimeSeries>(
      this,
      options,
      timeSeries,
    );
  }

  /** Returns, volatility, VWAP/TWAP and correlations, run on the server (docs/timeseries.md). */
  get finance(): RemoteFinance {
    return new RemoteFinance(this);
  }

  /** Groups rows by keys; finish with `.agg(...)`. @param maintainOrder @default true */
  groupBy(
    by: ColumnsOrExpr,
    maintainOrder: boolean | { maintainOrder: boolean } = true,
  ): RemoteLazyGroupBy {
    const keep = typeof maintainOrder === "object" ? maintainOrder.maintainOrder : maintainOrder;
    return new RemoteLazyGroupBy({ kind: "keys", keys: by, maintainOrder: keep }, this.#finish);
  }

  /** Groups rows into fixed time windows; finish with `.agg(...)`. */
  groupByDynamic(options: GroupByDynamicOptions): RemoteLazyGroupBy {
    return new RemoteLazyGroupBy({ kind: "dynamic", options }, this.#finish);
  }

  /** Groups rows into one window per row, ending at its index; finish with `.agg(...)`. */
  groupByRolling(options: GroupByRollingOptions): RemoteLazyGroupBy {
    return new RemoteLazyGroupBy({ kind: "rolling", options }, this.#finish);
  }

  /** OHLCV bars per symbol, with calendar alignment and gap fill (docs/timeseries.md). */
  ohlcv(options: OhlcvOptions): RemoteLazyFrame {
    return ohlcv<RemoteLazyFrame>(this, options);
  }

  /** Joins with another frame: `{on}` or `{leftOn, rightOn}`, `how` inner (default) ... cross. */
  join(other: RemoteLazyFrame | RemoteDataFrame, options: P.JoinOptions): RemoteLazyFrame {
    const right = other instanceof RemoteLazyFrame ? other : other.lazy();
    return RemoteLazyFrame.combine([this, right], ([l, r]) => P.joinPlan(l!, r!, options));
  }

  /** Joins each row to the nearest row of `other` by a sorted key (see JoinAsofOptions). */
  joinAsof(other: RemoteLazyFrame | RemoteDataFrame, options: JoinAsofOptions): RemoteLazyFrame {
    const right = other instanceof RemoteLazyFrame ? other : other.lazy();
    return RemoteLazyFrame.combine([this, right], ([l, r]) => joinAsofPlan(l!, r!, options));
  }

  /** Runs the plan and keeps the result on the server, as a RemoteDataFrame (a handle). */
  collect(options: CollectOptions = {}): Promise<RemoteDataFrame> {
    try {
      refuseOptions("LazyDataFrame.collect", options);
    } catch (error) {
      return Promise.reject(error);
    }
    const query = queryOf(this);
    return query.collect(options).then((info) => new RemoteDataFrame(query.session, info));
  }

  /** Submits the plan as a job on the servers' queue (any worker runs it; see sdk/jobs.ts). */
  submit(options: SubmitOptions = {}): Promise<RemoteJob> {
    const query = queryOf(this);
    return submitPlan(query.session, query.resolve(), options);
  }
}

/**
 * RemoteDataFrame: a frame stored on the server under a handle (see DataFrameBase,
 * data_frame.ts); its queries are RemoteLazyFrames.
 */
export class RemoteDataFrame extends DataFrameBase<RemoteLazyFrame> {
  /** Queries of this frame are RemoteLazyFrames. */
  [LAZY](session: Session, plan: Plan | Promise<Plan>, schemas?: SchemaCache): RemoteLazyFrame {
    return new RemoteLazyFrame(session, plan, schemas);
  }

  /**
   * This frame as a time series: without options, one stored by `asTimeSeries()` (its
   * metadata names the columns); with options, checked and stored anew.
   */
  asTimeSeries(options?: AsTimeSeriesOptions): Promise<RemoteTimeSeries> {
    if (options === undefined) {
      return Promise.try(() =>
        storedTimeSeries<RemoteLazyFrame, RemoteDataFrame, RemoteTimeSeries>(this, timeSeries)
      );
    }
    return asTimeSeries<RemoteLazyFrame, RemoteDataFrame, RemoteTimeSeries>(
      this.lazy(),
      options,
      timeSeries,
    );
  }
}

/**
 * RemoteLazyGroupBy: `lf.groupBy(keys)`, `lf.groupByDynamic(...)` or
 * `lf.groupByRolling(...)` waiting for its aggregations, as nodejs-polars' LazyGroupBy
 * (see group_by.ts).
 */
export class RemoteLazyGroupBy extends LazyGroupBy<RemoteLazyFrame> {}

/** The finance operations of one lazy frame (`lf.finance`; see sdk/timeseries/finance.ts). */
export class RemoteFinance extends Finance<RemoteLazyFrame> {}

/**
 * A lazy frame known to be a time series: `index` sorted within each symbol of `by` (see
 * sdk/timeseries/time_series.ts). Methods that keep the rows return a RemoteTimeSeries.
 */
export class RemoteTimeSeries
  extends TimeSeries<RemoteLazyFrame, RemoteDataFrame, RemoteTimeSeries> {
  /** Series built on this one are RemoteTimeSeries. */
  [SERIES](lazy: RemoteLazyFrame, info: TimeSeriesInfo, frame?: RemoteDataFrame): RemoteTimeSeries {
    return new RemoteTimeSeries(lazy, info, frame);
  }
}

function timeSeries(
  lazy: RemoteLazyFrame,
  info: TimeSeriesInfo,
  frame: RemoteDataFrame,
): RemoteTimeSeries {
  return new RemoteTimeSeries(lazy, info, frame);
}

/** A job on the servers' queue (see sdk/jobs.ts); its result is a RemoteDataFrame. */
export class RemoteJob extends Job<RemoteDataFrame> {
  /** The result is a RemoteDataFrame. */
  [RESULT](session: Session, info: HandleInfo): RemoteDataFrame {
    return new RemoteDataFrame(session, info);
  }
}

/** Submits `plan` as a job for the client behind `session` (`lf.submit()`). */
export async function submitPlan(
  session: Session,
  plan: Plan | Promise<Plan>,
  options: SubmitOptions = {},
): Promise<RemoteJob> {
  const info: JobInfo = await submitJob(session, plan, options);
  return new RemoteJob(session as JobSession, info);
}

/**
 * A job submitted earlier (e.g. by another process) by its id; NotFoundError when the
 * client's tenant has no job of that id.
 */
export async function openJob(client: object, jobId: string): Promise<RemoteJob> {
  const info = await getJob(client, jobId);
  return new RemoteJob(client as JobSession, info);
}
