/**
 * Finance operations of a lazy frame (`lf.finance`): shifts and changes, returns,
 * volatility estimators, VWAP/TWAP and correlations. Each is a composition of Polars
 * expressions, so it runs on the server as part of the frame's plan (docs/timeseries.md,
 * "Returns, volatility and correlation"). Row order is the frame's: sort by time first.
 * `by` names the symbol column(s): shifts and windows then never cross from one symbol to
 * the next.
 *
 * @module
 */

import { DataType } from "../datatypes.ts";
import type { Expr } from "../expr/expr.ts";
import { col, concatList, lit, pearsonCorr, spearmanRankCorr } from "../functions.ts";
import type { LazyQuery } from "../frame/lazy_query.ts";
import { type ByColumns, byColumns, columnName, integer, oneOf } from "./finance_args.ts";
import { volatilityExpr, type VolatilityOptions } from "./finance_volatility.ts";
import { perGroup } from "./per_group.ts";

export type { VolatilityMethod, VolatilityOptions } from "./finance_volatility.ts";
export type { ByColumns } from "./finance_args.ts";

/** Options of the per-row operations: the symbol columns and the new column's name. */
export interface FinanceColumnOptions {
  /** Per symbol. @default none */
  by?: ByColumns;
  /** The new column's name. @default per method */
  alias?: string;
}

/** Kinds of return: rₜ = cₜ / cₜ₋ₚ − 1, ln(cₜ / cₜ₋ₚ), or cₜ / c₀ − 1 since the first row. */
export type ReturnKind = "simple" | "log" | "cumulative";
const RETURN_KINDS: readonly ReturnKind[] = ["simple", "log", "cumulative"];

/** Options of `returns()`. */
export interface ReturnsOptions extends FinanceColumnOptions {
  /** @default "simple" */
  kind?: ReturnKind;
  /** Rows back (simple and log). @default 1 */
  periods?: number;
}

/** Options of `vwap()` and `rollingVwap()`. */
export interface VwapOptions extends FinanceColumnOptions {
  /** @default "close" */
  price?: string;
  /** @default "volume" */
  volume?: string;
}

/** Options of `twap()`. */
export interface TwapOptions extends FinanceColumnOptions {
  /** @default "close" */
  price?: string;
  /**
   * The time (or numeric) column: each price is weighted by the time until the next row of
   * its group, the last row by zero. Without it every row weighs the same. @default none
   */
  index?: string;
}

/** Options of `correlation()`. */
export interface CorrelationOptions {
  /** "spearman" is the Pearson correlation of the ranks (ties averaged). @default "pearson" */
  method?: "pearson" | "spearman";
  /** One matrix per group of these columns (the result starts with them). @default none */
  by?: ByColumns;
}

/**
 * The finance operations of one lazy frame, an F; each returns a new F. RemoteFinance
 * (sdk/frame/lazy_frame.ts) is the Finance of RemoteLazyFrames.
 */
export class Finance<F extends LazyQuery<F, unknown>> {
  readonly #frame: F;

  /** Reached as `lf.finance`. */
  constructor(frame: F) {
    this.#frame = frame;
  }

  #column(op: string, name: unknown): Expr {
    return col(columnName(op, "column", name));
  }

  #add(op: string, expr: Expr, options: FinanceColumnOptions, alias: string): F {
    const by = byColumns(op, options.by);
    const name = columnName(op, "alias", options.alias ?? alias);
    return this.#frame.withColumns(perGroup(expr, by).alias(name));
  }

  /**
   * Adds a column of returns of `column` (a price): simple cₜ / cₜ₋ₚ − 1, log ln(cₜ / cₜ₋ₚ)
   * (null for the first `periods` rows of each symbol), or cumulative cₜ / c₀ − 1.
   * @default alias `${column}_return` (`_log_return`, `_cum_return`)
   */
  returns(column: string, options: ReturnsOptions = {}): F {
    const op = "returns";
    const kind = oneOf(op, "kind", options.kind ?? "simple", RETURN_KINDS);
    const p = integer(op, "periods", options.periods ?? 1, 1);
    const c = this.#column(op, column);
    const base = kind === "cumulative" ? c.first() : c.shift(p);
    // (c − base) / base is exactly 0 when the price is unchanged (c / base − 1 may not be).
    const expr = kind === "log" ? c.div(base).log() : c.sub(base).div(base);
    const suffix = { simple: "return", log: "log_return", cumulative: "cum_return" }[kind];
    return this.#add(op, expr, options, `${column}_${suffix}`);
  }

  /** Adds `column` as of `n` rows before (null where none). @default alias `${column}_lag${n}` */
  lag(column: string, n = 1, options: FinanceColumnOptions = {}): F {
    const k = integer("lag", "n", n, 0);
    return this.#add("lag", this.#column("lag", column).shift(k), options, `${column}_lag${k}`);
  }

  /** Adds `column` as of `n` rows after. @default alias `${column}_lead${n}` */
  lead(column: string, n = 1, options: FinanceColumnOptions = {}): F {
    const k = integer("lead", "n", n, 0);
    return this.#add("lead", this.#column("lead", column).shift(-k), options, `${column}_lead${k}`);
  }

  /** Adds `column` minus its value `n` rows before. @default alias `${column}_diff` */
  diff(column: string, n = 1, options: FinanceColumnOptions = {}): F {
    const k = integer("diff", "n", n, 1);
    return this.#add("diff", this.#column("diff", column).diff(k), options, `${column}_diff`);
  }

  /** Adds the relative change from `n` rows before. @default alias `${column}_pct_change` */
  pctChange(column: string, n = 1, options: FinanceColumnOptions = {}): F {
    const op = "pctChange";
    const k = integer(op, "n", n, 1);
    return this.#add(op, this.#column(op, column).pctChange(k), options, `${column}_pct_change`);
  }

  /** Adds an annualised rolling volatility column (estimators: see VolatilityOptions). */
  volatility(options: VolatilityOptions = {}): F {
    return this.#frame.withColumns(volatilityExpr(options));
  }

  /** Σ price·volume / Σ volume, one row per group of `by` (one row without). */
  vwap(options: VwapOptions = {}): F {
    const op = "vwap";
    const p = col(columnName(op, "price", options.price ?? "close"));
    const v = col(columnName(op, "volume", options.volume ?? "volume"));
    const name = columnName(op, "alias", options.alias ?? "vwap");
    return this.#summary(op, options.by, p.mul(v).sum().div(v.sum()).alias(name));
  }

  /**
   * Time-weighted average price, one row per group of `by`: Σ pᵢ (tᵢ₊₁ − tᵢ) / Σ (tᵢ₊₁ − tᵢ)
   * over the rows in order, or the mean price without `index`.
   */
  twap(options: TwapOptions = {}): F {
    const op = "twap";
    const p = col(columnName(op, "price", options.price ?? "close"));
    const name = columnName(op, "alias", options.alias ?? "twap");
    if (options.index === undefined) return this.#summary(op, options.by, p.mean().alias(name));
    const t = col(columnName(op, "index", options.index));
    const dt = t.shift(-1).sub(t).toPhysical().cast(DataType.Float64);
    return this.#summary(op, options.by, p.mul(dt).sum().div(dt.sum()).alias(name));
  }

  /** Adds Σ price·volume / Σ volume over the last `window` rows. @default alias "rolling_vwap" */
  rollingVwap(window: number, options: VwapOptions = {}): F {
    const op = "rollingVwap";
    const n = integer(op, "window", window, 1);
    const p = col(columnName(op, "price", options.price ?? "close"));
    const v = col(columnName(op, "volume", options.volume ?? "volume"));
    const w = { windowSize: n, minPeriods: n };
    const expr = p.mul(v).rollingSum(w).div(v.rollingSum(w));
    return this.#add(op, expr, options, "rolling_vwap");
  }

  /**
   * The correlation matrix of `columns`: a "column" column naming the row, then one column
   * per input column (per group of `by`, the group's columns first).
   */
  correlation(columns: string[], options: CorrelationOptions = {}): F {
    const op = "correlation";
    if (!Array.isArray(columns) || columns.length === 0) {
      throw new TypeError(
        `Cannot compute ${op} as 'columns' must be a non-empty list of column names: ` +
          `current value is ${JSON.stringify(columns) ?? String(columns)}`,
      );
    }
    const names = columns.map((c) => columnName(op, "columns", c));
    const taken = new Set(["column", ...byColumns(op, options.by)]);
    for (const name of names) {
      if (taken.has(name)) {
        throw new TypeError(
          `Cannot compute ${op} as 'columns' must be distinct and differ from "column" and ` +
            `the by columns: current value is ${JSON.stringify(names)}`,
        );
      }
      taken.add(name);
    }
    const method = oneOf(op, "method", options.method ?? "pearson", ["pearson", "spearman"]);
    const corr = method === "pearson" ? pearsonCorr : spearmanRankCorr;
    const exprs = [
      concatList(names.map((n) => lit(n))).alias("column"),
      ...names.map((j) => concatList(names.map((i) => corr(i, j))).alias(j)),
    ];
    return this.#summary(op, options.by, ...exprs).explode(["column", ...names]);
  }

  /**
   * Adds the correlation of `a` and `b` over the last `window` rows, as pandas'
   * `rolling(window).corr()`: (mean(ab) − mean(a) mean(b)) · n / (n − 1) / √(var(a) var(b)).
   * @default alias `${a}_${b}_corr`
   */
  rollingCorrelation(
    a: string,
    b: string,
    window: number,
    options: FinanceColumnOptions = {},
  ): F {
    const op = "rollingCorrelation";
    const x = col(columnName(op, "a", a));
    const y = col(columnName(op, "b", b));
    const n = integer(op, "window", window, 2);
    const w = { windowSize: n, minPeriods: n };
    const cov = x.mul(y).rollingMean(w).sub(x.rollingMean(w).mul(y.rollingMean(w)))
      .mul(lit(n / (n - 1)));
    const expr = cov.div(x.rollingVar(w).mul(y.rollingVar(w)).pow(0.5));
    return this.#add(op, expr, options, `${a}_${b}_corr`);
  }

  #summary(op: string, by: ByColumns | undefined, ...exprs: Expr[]): F {
    const keys = byColumns(op, by);
    if (keys.length === 0) return this.#frame.select(...exprs);
    return this.#frame.groupBy(keys, true).agg(...exprs);
  }
}
