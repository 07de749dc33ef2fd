import pl from "nodejs-polars";
import { AsofStrategy, type JoinAsof, type Plan } from "../../../shared/gen/polaroid/v1/plan.ts";
import { assertFramesEqual, E, int64Series, P, run } from "./_testing.ts";

function quotes(): pl.DataFrame {
  return pl.DataFrame([
    int64Series("k", [1n, 2n, 3n, 4n, 5n]),
    pl.Series("sym", ["a", "b", "a", "b", "a"]),
    pl.Series("v", [10.5, 20, 30.25, 40, 50]),
  ]);
}

function trades(): pl.DataFrame {
  return pl.DataFrame([
    int64Series("k", [2n, 3n, 3n, 6n]),
    pl.Series("sym", ["a", "a", "b", "b"]),
    int64Series("w", [200n, 300n, 301n, 600n]),
  ]);
}

function asof(extra: Partial<JoinAsof>): Plan {
  return {
    node: {
      $case: "joinAsof",
      value: {
        left: P.handle("q"),
        right: P.handle("t"),
        leftOn: "k",
        rightOn: "k",
        byLeft: [],
        byRight: [],
        strategy: AsofStrategy.ASOF_STRATEGY_UNSPECIFIED,
        suffix: "",
        checkSortedness: true,
        coalesce: true,
        ...extra,
      },
    },
  };
}

const frames = () => ({ q: quotes(), t: trades() });

Deno.test("runPlan() joins as of the nearest key, backward by default", async () => {
  const q = () => quotes().lazy();
  const t = () => trades().lazy();
  assertFramesEqual(await run(asof({}), frames()), await q().joinAsof(t(), { on: "k" }).collect());
  assertFramesEqual(
    await run(asof({ coalesce: false, suffix: "_t" }), frames()),
    await q().joinAsof(t(), { on: "k", coalesce: false, suffix: "_t" }).collect(),
  );
});

Deno.test("runPlan() joins as of with strategy, tolerance, by groups and exact matches", async () => {
  const q = () => quotes().lazy();
  const t = () => trades().lazy();
  assertFramesEqual(
    await run(
      asof({
        strategy: AsofStrategy.ASOF_STRATEGY_FORWARD,
        tolerance: { $case: "toleranceNumber", value: 0.5 },
      }),
      frames(),
    ),
    await q().joinAsof(t(), { on: "k", strategy: "forward", tolerance: 0.5 }).collect(),
  );
  assertFramesEqual(
    await run(
      asof({ strategy: AsofStrategy.ASOF_STRATEGY_NEAREST, allowExactMatches: false }),
      frames(),
    ),
    await q().joinAsof(t(), { on: "k", strategy: "nearest", allowExactMatches: false }).collect(),
  );
  assertFramesEqual(
    await run(asof({ byLeft: ["sym"], byRight: ["sym"], checkSortedness: false }), frames()),
    await q().joinAsof(t(), { on: "k", by: "sym", checkSortedness: false }).collect(),
  );
});

Deno.test("runPlan() joins as of a datetime key within a duration tolerance", async () => {
  const minute = 60_000_000n;
  const left = pl.DataFrame([
    int64Series("t", [0n, 3n * minute, 10n * minute]).cast(pl.Datetime("us")),
    pl.Series("a", [1, 2, 3]),
  ]);
  const right = pl.DataFrame([
    int64Series("t", [1n * minute, 9n * minute]).cast(pl.Datetime("us")),
    pl.Series("b", [10, 20]),
  ]);
  assertFramesEqual(
    await run(
      asof({
        left: P.handle("l"),
        right: P.handle("r"),
        leftOn: "t",
        rightOn: "t",
        tolerance: { $case: "toleranceDuration", value: "1m" },
      }),
      { l: left, r: right },
    ),
    await left.lazy().joinAsof(right.lazy(), { on: "t", tolerance: "1m" }).collect(),
  );
  // A key expression of the plain join still joins by column.
  assertFramesEqual(
    await run(
      P.join(P.handle("l"), P.handle("r"), { leftOn: [E.col("t")], rightOn: [E.col("t")] }),
      { l: left, r: right },
    ),
    await left.lazy().join(right.lazy(), { on: "t" }).collect(),
  );
});
