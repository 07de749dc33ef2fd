/**
 * Compatibility cases: each case is ONE function that builds a query, and it runs
 * unchanged on the SDK (remote) and on nodejs-polars (in-process). Equal results show both
 * that the operation is supported and that the SDK names it as nodejs-polars does.
 *
 * @module
 */

import pl from "nodejs-polars";
import { type Table, tableToIPC } from "apache-arrow";
import sdk, { type Client, type RemoteLazyFrame } from "../../sdk/mod.ts";
import { assertSameTable, frameToTable } from "../_harness.ts";
import { type FixtureName, fixtures } from "./fixtures.ts";

/** The `pl` namespace a case is written against (the SDK's; nodejs-polars has the same). */
export type Api = typeof sdk;

/** The fixture frames, lazily, by name. */
export type Frames = Readonly<Record<FixtureName, RemoteLazyFrame>>;

/** One compatibility case. */
export interface CompatCase {
  /**
   * The nodejs-polars methods the case exercises, as `<Interface>.<method>`:
   * "Expr.abs", "ExprString.contains", "LazyDataFrame.explode", "LazyGroupBy.head".
   */
  covers: readonly string[];
  /** Builds the query from `pl` and the frames; runs on both engines as written. */
  query: (pl: Api, frames: Frames) => RemoteLazyFrame;
  /** Sort both results by these columns before comparing (unordered operations). */
  sortBy?: readonly string[];
  /**
   * Where nodejs-polars lacks the operation or gets it wrong: the expected result, built with
   * exact types (say why, and what Python Polars gives). The query then runs on the SDK only.
   */
  expected?: () => pl.DataFrame;
  /**
   * Collect with these options on both engines (`collect(options)`: nodejs-polars' async
   * collect in-process, the SDK's Execute and a download remotely). @default a plain download
   */
  collect?: Readonly<Record<string, unknown>>;
}

/** The fixtures uploaded once per cluster, and their in-process twins. */
export interface CompatContext {
  remote: Frames;
  local: Readonly<Record<FixtureName, pl.DataFrame>>;
}

/** Uploads every fixture frame through `client`. */
export async function prepare(client: Client): Promise<CompatContext> {
  const local = fixtures();
  const remote = {} as Record<FixtureName, RemoteLazyFrame>;
  for (const [name, df] of Object.entries(local) as [FixtureName, pl.DataFrame][]) {
    remote[name] = (await client.fromArrow(frameToTable(df))).lazy();
  }
  return { remote, local };
}

function localFrames(ctx: CompatContext): Frames {
  const out = {} as Record<FixtureName, RemoteLazyFrame>;
  for (const [name, df] of Object.entries(ctx.local) as [FixtureName, pl.DataFrame][]) {
    // The same query code drives nodejs-polars: that is the compatibility being tested.
    out[name] = df.lazy() as unknown as RemoteLazyFrame;
  }
  return out;
}

function sorted(df: pl.DataFrame, by: readonly string[] | undefined): pl.DataFrame {
  return by && by.length > 0 ? df.sort([...by]) : df;
}

/** Runs one case on both engines and asserts equal schemas and rows. */
export async function runCase(ctx: CompatContext, c: CompatCase): Promise<void> {
  const local = () =>
    c.query(pl as unknown as Api, localFrames(ctx)) as unknown as pl.LazyDataFrame;
  const expected = sorted(
    c.expected?.() ?? (c.collect ? await local().collect({ ...c.collect }) : local().collectSync()),
    c.sortBy,
  );
  const remote: Table = c.collect
    ? await collected(c.query(sdk, ctx.remote), { ...c.collect })
    : await c.query(sdk, ctx.remote).toArrow();
  const actual = c.sortBy && c.sortBy.length > 0
    ? frameToTable(sorted(pl.readIPCStream(tableBytes(remote)), c.sortBy))
    : remote;
  assertSameTable(actual, frameToTable(expected), c.covers.join(", "));
}

/** The result of `collect(options)` on the server, downloaded, then released. */
async function collected(
  query: ReturnType<CompatCase["query"]>,
  options: Readonly<Record<string, unknown>>,
): Promise<Table> {
  const df = await query.collect(options);
  try {
    return await df.toArrow();
  } finally {
    await df.release();
  }
}

function tableBytes(table: Table): Buffer {
  const bytes = tableToIPC(table, "stream");
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Registers one Deno test step per case, named after what it covers. */
export async function runCases(
  t: Deno.TestContext,
  ctx: CompatContext,
  cases: readonly CompatCase[],
): Promise<void> {
  for (const c of cases) {
    await t.step(c.covers.join(", "), () => runCase(ctx, c));
  }
}
