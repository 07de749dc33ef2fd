/**
 * The option audit (issue 12): every option nodejs-polars' typings accept, for every method
 * the SDK has, is honoured (a compatibility case `<Interface>.<method>.<option>` in
 * tests/compat/ runs it on both engines) or refused with a TypeError naming it; the SDK's
 * table (sdk/option_audit.ts) names no option the typings lack, and every refusal is what the
 * method really does.
 */

import assert from "node:assert/strict";
import sdk, { col, connect, RemoteLazyFrame } from "../sdk/mod.ts";
import { OPTION_AUDIT } from "../sdk/option_audit.ts";
import { scanHandlePlan } from "../sdk/plan/plan.ts";
import { startTestServer } from "../sdk/_test_server.ts";
import { polarsOptions } from "../scripts/compat/polars_options.ts";
import { polarsMembers } from "../scripts/compat/polars_members.ts";
import { sdkMembers, testedMembers } from "../scripts/compat/sdk_members.ts";
import { EXPR_RECIPES } from "./option_audit_expr_recipes.ts";
import { SINK_RECIPES } from "./option_audit_sink_recipes.ts";

const options = polarsOptions();
const members = sdkMembers();
const SCANS: Readonly<Record<string, string>> = {
  "pl.scanCSV": "scanCsv",
  "pl.scanParquet": "scanParquet",
  "pl.scanIPC": "scanIpc",
  "pl.scanJson": "scanJson",
};

/** Whether the SDK has the method (options of a method it lacks are the member matrix's). */
function inSdk(key: string): boolean {
  if (key in SCANS) return true;
  const dot = key.indexOf(".");
  const [iface, name] = [key.slice(0, dot), key.slice(dot + 1)];
  return members[iface]?.has(name) ?? false;
}

Deno.test("every option of every SDK method is honoured or refused, and the table is exact", () => {
  const unaccounted: string[] = [];
  const both: string[] = [];
  for (const [key, names] of Object.entries(options)) {
    if (!inSdk(key)) continue;
    const entry = OPTION_AUDIT[key] ?? {};
    for (const name of names) {
      const honoured = entry.honoured?.includes(name) ?? false;
      const refused = entry.refused !== undefined && name in entry.refused;
      if (!honoured && !refused) unaccounted.push(`${key}.${name}`);
      if (honoured && refused) both.push(`${key}.${name}`);
    }
  }
  assert.deepEqual(unaccounted, [], "options the SDK neither honours nor refuses");
  assert.deepEqual(both, [], "options both honoured and refused");
  // The table names only options (and methods) the typings have.
  const stale: string[] = [];
  for (const [key, entry] of Object.entries(OPTION_AUDIT)) {
    const known = new Set(options[key] ?? []);
    for (const name of [...(entry.honoured ?? []), ...Object.keys(entry.refused ?? {})]) {
      if (!known.has(name)) stale.push(`${key}.${name}`);
    }
  }
  assert.deepEqual(stale, [], "options in the table that nodejs-polars' typings lack");
  // The typings were read: the audit is not vacuous.
  assert.ok(Object.keys(options).length > 50 && members.LazyDataFrame!.size > 50);
  assert.ok(polarsMembers().LazyDataFrame!.includes("join"));
});

Deno.test("every honoured option is run on both engines by a compatibility case", async () => {
  const tested = await testedMembers();
  const untested: string[] = [];
  for (const [key, entry] of Object.entries(OPTION_AUDIT)) {
    for (const name of entry.honoured ?? []) {
      if (!tested.has(`${key}.${name}`)) untested.push(`${key}.${name}`);
    }
  }
  assert.deepEqual(untested, [], "honoured options no case in tests/compat/ covers");
});

/** A call of the method with `opts` as its options (sync or async); the frame needs no server. */
type Recipe = (opts: Record<string, unknown>) => unknown;

Deno.test("every refused option is refused by its method with a TypeError naming it", async () => {
  await using server = await startTestServer();
  await using client = await connect({ endpoint: server.endpoint });
  const frame = () => new RemoteLazyFrame(client as never, scanHandlePlan("default.x"));
  const recipes: Record<string, Recipe> = {
    "LazyDataFrame.collect": (o) => frame().collect(o as never),
    "LazyDataFrame.describeOptimizedPlan": (o) => frame().describeOptimizedPlan(o),
    "LazyDataFrame.join": (o) => frame().join(frame(), { on: "k", ...o }),
    "pl.intRange": (o) => sdk.intRange({ start: 0, end: 3, ...o } as never),
    "pl.scanCSV": (o) => client.scanCsv("a.csv", o),
    "pl.scanParquet": (o) => client.scanParquet("a.parquet", o),
    "pl.scanIPC": (o) => client.scanIpc("a.arrow", o),
    "pl.scanJson": (o) => client.scanJson("a.ndjson", o),
    ...EXPR_RECIPES(col),
    ...SINK_RECIPES(frame),
  };
  const missing: string[] = [];
  const letThrough: string[] = [];
  for (const [key, entry] of Object.entries(OPTION_AUDIT)) {
    const refused = Object.keys(entry.refused ?? {});
    if (refused.length === 0) continue;
    const recipe = recipes[key];
    if (!recipe) {
      missing.push(key);
      continue;
    }
    for (const name of refused) {
      // Any value other than the inert one asks for the option.
      const value = entry.inert && name in entry.inert ? !entry.inert[name] : true;
      let error: unknown;
      try {
        await recipe({ [name]: value });
      } catch (e) {
        error = e;
      }
      if (!(error instanceof TypeError) || !error.message.includes(`'${name}'`)) {
        letThrough.push(`${key}.${name}: ${error === undefined ? "no error" : String(error)}`);
      }
    }
  }
  assert.deepEqual(missing, [], "methods with refused options and no recipe here");
  assert.deepEqual(letThrough, [], "refused options a method let through");
  // The inert value of a refused option passes (nodejs-polars' default asks for nothing).
  assert.ok(sdk.intRange({ start: 0, end: 3, eager: false } as never));
});
