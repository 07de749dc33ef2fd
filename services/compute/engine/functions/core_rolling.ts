/**
 * Moving-window statistics of Expr: rolling* over a fixed number of rows and the
 * exponentially weighted ewmMean/ewmStd/ewmVar.
 *
 * @module
 */

import type pl from "nodejs-polars";
import { _Expr } from "nodejs-polars";
import { U32_MAX } from "./core_args.ts";
import type { Call } from "./call.ts";
import type { FunctionSpec, FunctionTable } from "./spec.ts";

const INTERPOLATIONS = ["nearest", "higher", "lower", "midpoint", "linear"] as const;
const ROLLING_OPTIONS = ["windowSize", "weights", "minPeriods", "center"] as const;

/** Polars takes ddof as an 8-bit unsigned integer. */
const MAX_DDOF = 255;

/** The options nodejs-polars' native rolling methods take. */
interface RollingOptions {
  windowSize: number;
  weights: number[] | undefined;
  minPeriods: number;
  center: boolean;
  ddof?: number;
}

/**
 * Weighted medians and quantiles over partial windows (minPeriods < windowSize) are wrong in
 * the engine: nodejs-polars 0.25.2 misaligns the weights of a window cut by the frame's edge
 * (its first and last values differ from Python Polars 2.1's) and was seen reading memory it
 * never wrote there (-2.6e33 where 0.0375 was due). Such a call is refused, naming the option.
 */
function refusePartialWeights(call: Call, options: RollingOptions): void {
  if (options.weights !== undefined && options.minPeriods < options.windowSize) {
    call.fail(
      "minPeriods",
      `equal 'windowSize' (${options.windowSize}) when 'weights' are given: the engine's weighted ${call.name} of a partial window is wrong`,
      options.minPeriods,
    );
  }
}

/**
 * windowSize in [1, u32 max] (nodejs-polars truncates larger ones), weights one per row of
 * the window, minPeriods at most the window (default: the window), center false.
 */
function rollingOptions(call: Call): RollingOptions {
  const windowSize = call.int("windowSize", { min: 1, max: U32_MAX });
  const weights = call.isNull("weights") ? undefined : call.numbers("weights");
  if (weights !== undefined && weights.length !== windowSize) {
    call.fail("weights", `hold one weight per row of the window (${windowSize})`, weights.length);
  }
  return {
    windowSize,
    weights,
    minPeriods: call.int("minPeriods", { min: 0, max: windowSize }, windowSize),
    center: call.bool("center", false),
  };
}

type Rolling =
  | "rollingMax"
  | "rollingMean"
  | "rollingMin"
  | "rollingSum"
  | "rollingMedian"
  | "rollingStd"
  | "rollingVar";

function rolling(method: Rolling): FunctionSpec {
  const withDdof = method === "rollingStd" || method === "rollingVar";
  return {
    args: [1, 1],
    options: withDdof ? [...ROLLING_OPTIONS, "ddof"] : ROLLING_OPTIONS,
    build: (call) => {
      const options = rollingOptions(call);
      if (method === "rollingMedian") refusePartialWeights(call, options);
      // nodejs-polars' JS wrapper drops ddof; the native method applies it.
      if (withDdof) options.ddof = call.int("ddof", { min: 0, max: MAX_DDOF }, 1);
      return _Expr(call.expr(0)._expr[method](options));
    },
  };
}

function rollingQuantile(call: Call): pl.Expr {
  const options = rollingOptions(call);
  refusePartialWeights(call, options);
  return call.expr(0).rollingQuantile({
    ...options,
    quantile: call.number("quantile", { min: 0, max: 1 }),
    interpolation: call.string("interpolation", INTERPOLATIONS, "nearest"),
  });
}

/**
 * The smoothing factor: `alpha` in (0, 1], or Python Polars' `com` (alpha = 1/(1+com)),
 * `span` (2/(span+1)) or `halfLife` (1 - exp(-ln 2/halfLife)); at most one of them.
 */
function ewmAlpha(call: Call): number | undefined {
  const given = (["alpha", "com", "span", "halfLife"] as const).filter((k) => !call.isNull(k));
  if (given.length > 1) {
    call.fail(given[1]!, `be unset when '${given[0]}' is set`, "set");
  }
  switch (given[0]) {
    case "alpha": {
      const alpha = call.number("alpha", { max: 1 });
      if (!(alpha > 0)) call.fail("alpha", "be in (0, 1]", alpha);
      return alpha;
    }
    case "com":
      return 1 / (1 + call.number("com", { min: 0 }));
    case "span":
      return 2 / (call.number("span", { min: 1 }) + 1);
    case "halfLife": {
      const halfLife = call.number("halfLife");
      if (!(halfLife > 0)) call.fail("halfLife", "be positive", halfLife);
      return 1 - Math.exp(-Math.LN2 / halfLife);
    }
  }
  return undefined;
}

type Ewm = "ewmMean" | "ewmStd" | "ewmVar";

function ewm(method: Ewm): FunctionSpec {
  return {
    args: [1, 1],
    options: ["alpha", "com", "span", "halfLife", "adjust", "minPeriods", "bias", "ignoreNulls"],
    build: (call) =>
      call.expr(0)[method]({
        alpha: ewmAlpha(call),
        adjust: call.maybeBool("adjust"),
        minPeriods: call.maybeInt("minPeriods", { min: 0, max: U32_MAX }),
        bias: call.maybeBool("bias"),
        ignoreNulls: call.maybeBool("ignoreNulls"),
      }),
  };
}

/** Rolling and exponentially weighted statistics. */
export const CORE_ROLLING_FUNCTIONS: FunctionTable = {
  rollingMax: rolling("rollingMax"),
  rollingMean: rolling("rollingMean"),
  rollingMin: rolling("rollingMin"),
  rollingSum: rolling("rollingSum"),
  rollingMedian: rolling("rollingMedian"),
  rollingStd: rolling("rollingStd"),
  rollingVar: rolling("rollingVar"),
  rollingQuantile: {
    args: [1, 1],
    options: [...ROLLING_OPTIONS, "quantile", "interpolation"],
    build: rollingQuantile,
  },
  rollingSkew: {
    args: [1, 1],
    options: ["windowSize", "bias"],
    build: (call) =>
      call.expr(0).rollingSkew({
        windowSize: call.int("windowSize", { min: 1, max: U32_MAX }),
        bias: call.bool("bias", true),
      }),
  },
  ewmMean: ewm("ewmMean"),
  ewmStd: ewm("ewmStd"),
  ewmVar: ewm("ewmVar"),
};
