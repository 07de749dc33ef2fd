import pl from "nodejs-polars";
import { ConcatHow, type Plan } from "../../../shared/gen/polaroid/v1/plan.ts";
import { assertFramesEqual, E, P, run, sampleFrame } from "./_testing.ts";

const T = P.handle("t");
const lazy = () => sampleFrame().lazy();
const node = (value: NonNullable<Plan["node"]>): Plan => ({ node: value });

function lists(): pl.DataFrame {
  return pl.DataFrame([
    pl.Series("k", ["a", "b", "c"]),
    pl.Series("l", [[1, 2], [], null]).cast(pl.List(pl.Int64)),
    pl.Series("m", [["x", "y"], [], null]),
  ]);
}

async function assertPlan(
  plan: Plan,
  frames: Record<string, pl.DataFrame>,
  expected: pl.LazyDataFrame,
): Promise<void> {
  assertFramesEqual(await run(plan, frames), await expected.collect());
}

Deno.test("runPlan() explodes the listed columns, or every column when none is listed", async () => {
  const L = P.handle("l");
  await assertPlan(
    node({ $case: "explode", value: { input: L, columns: [E.col("l"), E.col("m")] } }),
    { l: lists() },
    lists().lazy().explode(["l", "m"]),
  );
  await assertPlan(
    node({ $case: "explode", value: { input: P.select(L, [E.col("l")]), columns: [] } }),
    { l: lists() },
    lists().lazy().select("l").explode("l"),
  );
});

Deno.test("runPlan() unpivots with default and given variable and value names", async () => {
  await assertPlan(
    node({ $case: "unpivot", value: { input: T, index: ["g"], on: ["i", "f"] } }),
    { t: sampleFrame() },
    lazy().unpivot("g", ["i", "f"]),
  );
  await assertPlan(
    node({
      $case: "unpivot",
      value: {
        input: P.select(T, [E.col("g"), E.col("f")]),
        index: ["g"],
        on: [],
        variableName: "k",
        valueName: "v",
      },
    }),
    { t: sampleFrame() },
    lazy().select("g", "f").unpivot("g", [], { variableName: "k", valueName: "v" }),
  );
});

Deno.test("runPlan() concatenates vertically, horizontally and diagonally", async () => {
  const a = P.select(T, [E.col("g"), E.col("i")]);
  const b = P.select(T, [E.col("g"), E.alias(E.col("f"), "i")]);
  const c = P.select(T, [E.alias(E.col("s"), "s2")]);
  const concat = (inputs: Plan[], how: ConcatHow) =>
    node({ $case: "concat", value: { inputs, how, rechunk: false, parallel: true } });
  const la = lazy().select("g", "i");
  const lb = lazy().select("g", pl.col("f").alias("i"));
  const lc = lazy().select(pl.col("s").alias("s2"));
  const frames = { t: sampleFrame() };
  await assertPlan(concat([a, a], ConcatHow.CONCAT_HOW_UNSPECIFIED), frames, pl.concat([la, la]));
  await assertPlan(
    concat([a, b], ConcatHow.CONCAT_HOW_VERTICAL_RELAXED),
    frames,
    pl.concat([la, lb], { how: "verticalRelaxed" }),
  );
  await assertPlan(
    concat([a, c], ConcatHow.CONCAT_HOW_HORIZONTAL),
    frames,
    pl.concat([la, lc], { how: "horizontal" }),
  );
  await assertPlan(
    concat([a, c, b], ConcatHow.CONCAT_HOW_DIAGONAL),
    frames,
    pl.concat([la, lc, lb], { how: "diagonal" }),
  );
  await assertPlan(
    concat([a, c], ConcatHow.CONCAT_HOW_DIAGONAL_RELAXED),
    frames,
    pl.concat([la, lc], { how: "diagonalRelaxed" }),
  );
  await assertPlan(concat([c], ConcatHow.CONCAT_HOW_HORIZONTAL), frames, lc);
});

Deno.test("runPlan() adds a row index, drops nulls, unnests structs and caches", async () => {
  const frames = { t: sampleFrame() };
  await assertPlan(
    node({ $case: "withRowIndex", value: { input: T, name: "", offset: 0n } }),
    frames,
    lazy().withRowIndex(),
  );
  await assertPlan(
    node({ $case: "withRowIndex", value: { input: T, name: "id", offset: 100n } }),
    frames,
    lazy().withRowIndex("id", 100),
  );
  await assertPlan(
    node({ $case: "dropNulls", value: { input: T, subset: [] } }),
    frames,
    lazy().dropNulls(),
  );
  await assertPlan(
    node({ $case: "dropNulls", value: { input: T, subset: ["s"] } }),
    frames,
    lazy().dropNulls("s"),
  );
  const structs = lazy().select(pl.col("g"), pl.struct([pl.col("i"), pl.col("s")]).alias("st"));
  await assertPlan(
    node({ $case: "unnest", value: { input: P.handle("st"), columns: ["st"], separator: "." } }),
    { st: await structs.collect() },
    structs.unnest("st", "."),
  );
  await assertPlan(
    node({ $case: "unnest", value: { input: P.handle("st"), columns: ["st"] } }),
    { st: await structs.collect() },
    structs.unnest("st"),
  );
  await assertPlan(node({ $case: "cache", value: { input: T } }), frames, lazy().cache());
});
