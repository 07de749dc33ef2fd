/**
 * Compatibility cases: rolling* statistics over fixed windows and the exponentially
 * weighted ewmMean/ewmStd/ewmVar.
 *
 * @module
 */

import pl from "nodejs-polars";
import type { CompatCase } from "./_harness.ts";
import { fixtures } from "./fixtures.ts";

export const EXPR_ROLLING_CASES: readonly CompatCase[] = [
  {
    covers: ["Expr.rollingMean", "Expr.rollingSum", "Expr.rollingMin", "Expr.rollingMax"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("x").rollingMean(3).alias("mean3"),
        pl.col("f").rollingMean({ windowSize: 3, minPeriods: 1 }).alias("fmean"),
        pl.col("i").rollingSum(4, undefined, 2).alias("isum"),
        pl.col("x").rollingSum({ windowSize: 4, center: true, minPeriods: 1 }).alias("csum"),
        pl.col("i").rollingMin({ windowSize: 2 }).alias("imin"),
        pl.col("x").rollingMax(3, undefined, 1, true).alias("cmax"),
      ),
  },
  {
    covers: ["Expr.rollingMean", "Expr.rollingSum", "Expr.rollingMax"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("x").rollingMean({ windowSize: 3, weights: [1, 2, 3] }).alias("wmean"),
        pl.col("x").rollingSum(2, [0.5, 2]).alias("wsum"),
        pl.col("u").rollingMax({ windowSize: 3, weights: [1, 1, 0], minPeriods: 1 }).alias("wmax"),
      ),
  },
  {
    // Every window option in the options object, none at its default.
    covers: [
      "Expr.rollingMean",
      "Expr.rollingSum",
      "Expr.rollingMin",
      "Expr.rollingMax",
      "Expr.rollingMedian",
      "Expr.rollingQuantile",
      "Expr.rollingStd",
      "Expr.rollingVar",
      ...["Mean", "Sum", "Min", "Max", "Median", "Quantile", "Std", "Var"].flatMap((m) =>
        ["windowSize", "weights", "minPeriods", "center"].map((o) => `Expr.rolling${m}.${o}`)
      ),
    ],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("x").rollingMean({ windowSize: 3, weights: [1, 2, 1], minPeriods: 2, center: true })
          .alias("mean"),
        pl.col("x").rollingSum({ windowSize: 3, weights: [0.5, 1, 2], minPeriods: 2, center: true })
          .alias("sum"),
        pl.col("u").rollingMin({ windowSize: 3, weights: [1, 2, 3], minPeriods: 1, center: true })
          .alias("min"),
        pl.col("x").rollingMax({
          windowSize: 4,
          weights: [1, 1, 2, 2],
          minPeriods: 2,
          center: true,
        })
          .alias("max"),
        // Weighted medians and quantiles run over full windows only (the server refuses
        // partial ones: the engine's are wrong there).
        pl.col("x").rollingMedian({
          windowSize: 3,
          weights: [1, 2, 1],
          minPeriods: 3,
          center: true,
        })
          .alias("median"),
        pl.col("x").rollingQuantile({
          quantile: 0.25,
          interpolation: "linear",
          windowSize: 3,
          weights: [1, 2, 1],
          minPeriods: 3,
          center: true,
        }).alias("q"),
        pl.col("x").rollingStd({ windowSize: 3, weights: [1, 2, 1], minPeriods: 2, center: true })
          .alias("std"),
        pl.col("u").rollingVar({ windowSize: 3, weights: [1, 1, 2], minPeriods: 1, center: true })
          .alias("var"),
      ),
  },
  {
    covers: ["Expr.rollingMedian", "Expr.rollingStd", "Expr.rollingVar"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("x").rollingMedian(3).alias("med"),
        pl.col("f").rollingMedian({ windowSize: 4, minPeriods: 2, center: true }).alias("fmed"),
        pl.col("x").rollingStd(3).alias("std"),
        pl.col("i").rollingStd({ windowSize: 4, minPeriods: 2 }).alias("istd"),
        pl.col("x").rollingVar({ windowSize: 5, center: true }).alias("var"),
        pl.col("u").rollingVar(3, undefined, 1).alias("uvar"),
      ),
  },
  {
    // nodejs-polars' JS wrapper drops `ddof` (always 1); its native method, which the
    // expected frame calls, applies it as Python Polars' rolling_std(ddof=...) does.
    covers: ["Expr.rollingStd", "Expr.rollingVar", "Expr.rollingStd.ddof", "Expr.rollingVar.ddof"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("x").rollingStd({ windowSize: 3, ddof: 0 }).alias("std0"),
        pl.col("x").rollingVar(4, undefined, 2, false, 0).alias("var0"),
        pl.col("x").rollingVar({ windowSize: 3, ddof: 2 }).alias("var2"),
      ),
    expected: () => {
      const native = (method: "rollingStd" | "rollingVar", w: number, m: number, ddof: number) =>
        pl._Expr(pl.col("x")._expr[method]({ windowSize: w, minPeriods: m, center: false, ddof }));
      return fixtures().mixed.select(
        native("rollingStd", 3, 3, 0).alias("std0"),
        native("rollingVar", 4, 2, 0).alias("var0"),
        native("rollingVar", 3, 3, 2).alias("var2"),
      );
    },
  },
  {
    covers: [
      "Expr.rollingQuantile",
      "Expr.rollingQuantile.quantile",
      "Expr.rollingQuantile.interpolation",
    ],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("x").rollingQuantile(0.25, "linear", 4).alias("q25"),
        pl.col("x").rollingQuantile({ quantile: 0.5, windowSize: 3 }).alias("q50"),
        pl.col("f").rollingQuantile({
          quantile: 0.9,
          interpolation: "higher",
          windowSize: 5,
          minPeriods: 2,
          center: true,
        }).alias("q90"),
        pl.col("i").rollingQuantile(0.1, "lower", 3, undefined, 1).alias("iq"),
      ),
  },
  {
    covers: ["Expr.rollingSkew", "Expr.rollingSkew.windowSize", "Expr.rollingSkew.bias"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("x").rollingSkew(4).alias("s4"),
        pl.col("x").rollingSkew({ windowSize: 5, bias: false }).alias("s5"),
        pl.col("u").rollingSkew(3, false).alias("su"),
      ),
  },
  {
    covers: ["Expr.ewmMean", "Expr.ewmStd", "Expr.ewmVar"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("x").ewmMean().alias("m"),
        pl.col("x").ewmMean(0.3).alias("m3"),
        pl.col("i").ewmMean({ alpha: 0.2, adjust: false, ignoreNulls: false }).alias("mi"),
        pl.col("x").ewmStd({ alpha: 0.4, minPeriods: 3 }).alias("s"),
        pl.col("i").ewmStd(0.5, true, 2, true, true).alias("sb"),
        pl.col("x").ewmVar().alias("v"),
        pl.col("u").ewmVar({ alpha: 0.7, adjust: false, bias: true }).alias("vb"),
      ),
  },
  {
    // Every ewm option in the options object, none at its default, over a column with a null.
    covers: [
      "Expr.ewmMean",
      "Expr.ewmStd",
      "Expr.ewmVar",
      ...["Mean", "Std", "Var"].flatMap((m) =>
        ["alpha", "adjust", "minPeriods", "bias", "ignoreNulls"].map((o) => `Expr.ewm${m}.${o}`)
      ),
    ],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("i").ewmMean({
          alpha: 0.3,
          adjust: false,
          minPeriods: 3,
          bias: true,
          ignoreNulls: false,
        })
          .alias("m"),
        pl.col("i").ewmStd({
          alpha: 0.6,
          adjust: false,
          minPeriods: 2,
          bias: true,
          ignoreNulls: false,
        })
          .alias("s"),
        pl.col("i").ewmVar({
          alpha: 0.25,
          adjust: false,
          minPeriods: 2,
          bias: true,
          ignoreNulls: false,
        })
          .alias("v"),
      ),
  },
  {
    // com, span and halfLife (Python Polars' ewm_* parameters) are missing from nodejs-polars;
    // the expected frame uses the alpha each one stands for: 1/(1+com), 2/(span+1) and
    // 1 - exp(-ln 2 / halfLife).
    covers: ["Expr.ewmMean", "Expr.ewmStd", "Expr.ewmVar"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("x").ewmMean({ com: 3 }).alias("com"),
        pl.col("x").ewmStd({ span: 4, adjust: false }).alias("span"),
        pl.col("i").ewmVar({ halfLife: 2, ignoreNulls: false }).alias("half"),
      ),
    expected: () =>
      fixtures().mixed.select(
        pl.col("x").ewmMean({ alpha: 1 / (1 + 3) }).alias("com"),
        pl.col("x").ewmStd({ alpha: 2 / (4 + 1), adjust: false }).alias("span"),
        pl.col("i").ewmVar({ alpha: 1 - Math.exp(-Math.LN2 / 2), ignoreNulls: false }).alias(
          "half",
        ),
      ),
  },
];
