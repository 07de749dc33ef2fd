/**
 * What the SDK does with each option of nodejs-polars' expressions (`Expr` and its `str`, `dt`,
 * `lst` and `struct` namespaces): honoured or refused, as sdk/option_audit.ts explains.
 *
 * Honoured options travel to the server, which applies them with the nodejs-polars call they
 * name; where nodejs-polars' JS wrapper drops one its typings document (rolling std/var `ddof`,
 * `str.split`'s `inclusive`, `replace`/`replaceStrict`'s `new_`, `returnDtype`), the server
 * applies it as its native method and Python Polars do, and the compatibility case says so.
 *
 * @module
 */

import type { MethodOptions } from "./option_audit_entry.ts";

const WINDOW = ["center", "minPeriods", "weights", "windowSize"] as const;
const EWM: MethodOptions = { honoured: ["adjust", "alpha", "bias", "ignoreNulls", "minPeriods"] };

/**
 * A rolling statistic without a ddof: nodejs-polars' typings share one RollingOptions, and its
 * wrapper ignores a ddof here; Python Polars has none. Its documented default passes.
 */
const NO_DDOF: MethodOptions = {
  honoured: WINDOW,
  refused: {
    ddof: "only rollingStd and rollingVar take a ddof (nodejs-polars ignores it elsewhere)",
  },
  inert: { ddof: 1 },
};

/** The expressions' options, by `<Interface>.<method>`. */
export const EXPR_OPTIONS: Readonly<Record<string, MethodOptions>> = {
  "Expr.all": { honoured: ["ignoreNulls"] },
  "Expr.any": { honoured: ["ignoreNulls"] },
  "Expr.argSort": { honoured: ["descending", "nullsLast"] },
  "Expr.clip": { honoured: ["max", "min"] },
  "Expr.cumCount": { honoured: ["reverse"] },
  "Expr.cumMax": { honoured: ["reverse"] },
  "Expr.cumMin": { honoured: ["reverse"] },
  "Expr.cumProd": { honoured: ["reverse"] },
  "Expr.cumSum": { honoured: ["reverse"] },
  "Expr.diff": { honoured: ["n", "nullBehavior"] },
  "Expr.entropy": { honoured: ["base", "normalize"] },
  "Expr.ewmMean": EWM,
  "Expr.ewmStd": EWM,
  "Expr.ewmVar": EWM,
  "Expr.extendConstant": { honoured: ["n", "value"] },
  "Expr.gather": { honoured: ["index"] },
  "Expr.hash": { honoured: ["k0", "k1", "k2", "k3"] },
  "Expr.head": { honoured: ["length"] },
  "Expr.kurtosis": { honoured: ["bias", "fisher"] },
  "Expr.pctChange": { honoured: ["n"] },
  "Expr.pow": { honoured: ["exponent"] },
  "Expr.rank": { honoured: ["descending", "method"] },
  "Expr.reinterpret": { honoured: ["signed"] },
  "Expr.replace": { honoured: ["new_", "old"] },
  "Expr.replaceStrict": { honoured: ["default_", "new_", "old", "returnDtype"] },
  "Expr.rollingMax": NO_DDOF,
  "Expr.rollingMean": NO_DDOF,
  "Expr.rollingMedian": NO_DDOF,
  "Expr.rollingMin": NO_DDOF,
  "Expr.rollingQuantile": { ...NO_DDOF, honoured: [...WINDOW, "interpolation", "quantile"] },
  "Expr.rollingSkew": { honoured: ["bias", "windowSize"] },
  "Expr.rollingStd": { honoured: [...WINDOW, "ddof"] },
  "Expr.rollingSum": NO_DDOF,
  "Expr.rollingVar": { honoured: [...WINDOW, "ddof"] },
  "Expr.round": { honoured: ["decimals", "mode"] },
  "Expr.sample": { honoured: ["frac", "n", "seed", "shuffle", "withReplacement"] },
  "Expr.shift": { honoured: ["periods"] },
  "Expr.shiftAndFill": { honoured: ["fillValue", "periods"] },
  "Expr.shuffle": { honoured: ["seed"] },
  "Expr.skew": { honoured: ["bias"] },
  "Expr.slice": { honoured: ["length", "offset"] },
  "Expr.sort": { honoured: ["descending", "maintainOrder", "nullsLast"] },
  "Expr.sortBy": { honoured: ["by", "descending"] },
  "Expr.tail": { honoured: ["length"] },
  "Expr.unique": { honoured: ["maintainOrder"] },
  "ExprList.join": { honoured: ["ignoreNulls", "separator"] },
  "ExprList.sort": { honoured: ["descending"] },
  "ExprString.decode": { honoured: ["encoding", "strict"] },
  "ExprString.split": { honoured: ["inclusive"] },
};
