/**
 * The option audit of DataFrame's writes (sdk/option_audit_sink.ts, WRITE_OPTIONS): every
 * option nodejs-polars' typings give `DataFrame.writeParquet`, `writeCSV`, `writeIPC` and
 * `writeJSON` is honoured (a case of tests/compat/sink.ts runs it on both engines) or refused
 * with a TypeError naming it; the table names no option the typings lack.
 */

import assert from "node:assert/strict";
import ts from "typescript";
import { connect } from "../sdk/mod.ts";
import { startTestServer } from "../sdk/_test_server.ts";
import { WRITE_OPTIONS } from "../sdk/option_audit_sink.ts";
import { polarsTypingsDir } from "../scripts/compat/polars_members.ts";
import { testedMembers } from "../scripts/compat/sdk_members.ts";

const WRITES = ["writeCSV", "writeParquet", "writeIPC", "writeJSON"] as const;

/** The option names of each write of nodejs-polars' DataFrame, read from its typings. */
function writeOptions(): Record<string, string[]> {
  const dir = polarsTypingsDir();
  const program = ts.createProgram([`${dir}/index.d.ts`], { strict: true, noEmit: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(`${dir}/dataframe.d.ts`);
  let frame: ts.InterfaceDeclaration | undefined;
  ts.forEachChild(source!, (node) => {
    if (ts.isInterfaceDeclaration(node) && node.name.text === "DataFrame") frame = node;
  });
  assert.ok(frame, "nodejs-polars' DataFrame interface");
  const out: Record<string, string[]> = {};
  for (const member of checker.getPropertiesOfType(checker.getTypeAtLocation(frame))) {
    if (!(WRITES as readonly string[]).includes(member.name)) continue;
    const names = new Set<string>();
    for (const signature of checker.getTypeOfSymbol(member).getCallSignatures()) {
      for (const parameter of signature.getParameters()) {
        const type = checker.getNonNullableType(checker.getTypeOfSymbol(parameter));
        const parts = type.isUnion() ? type.types : [type];
        for (const part of parts) {
          if (!(part.flags & ts.TypeFlags.Object)) continue;
          const properties = checker.getPropertiesOfType(part);
          // A stream (Writable) has methods; an options object has none.
          if (properties.some((p) => checker.getTypeOfSymbol(p).getCallSignatures().length > 0)) {
            continue;
          }
          for (const p of properties) names.add(p.name);
        }
      }
    }
    out[`DataFrame.${member.name}`] = [...names].sort();
  }
  return out;
}

Deno.test("every option of DataFrame's writes is honoured or refused, and the table is exact", () => {
  const options = writeOptions();
  assert.deepEqual(Object.keys(options).sort(), WRITES.map((w) => `DataFrame.${w}`).sort());
  assert.ok(options["DataFrame.writeCSV"]!.includes("separator"), "the typings were read");
  const unaccounted: string[] = [];
  const stale: string[] = [];
  for (const [key, names] of Object.entries(options)) {
    const entry = WRITE_OPTIONS[key] ?? {};
    for (const name of names) {
      const honoured = entry.honoured?.includes(name) ?? false;
      const refused = entry.refused !== undefined && name in entry.refused;
      if (honoured === refused) unaccounted.push(`${key}.${name}`);
    }
    for (const name of [...(entry.honoured ?? []), ...Object.keys(entry.refused ?? {})]) {
      if (!names.includes(name)) stale.push(`${key}.${name}`);
    }
  }
  assert.deepEqual(unaccounted, [], "options neither (or both) honoured and refused");
  assert.deepEqual(stale, [], "options in the table that nodejs-polars' typings lack");
});

Deno.test("every honoured write option is run on both engines by a case", async () => {
  const tested = await testedMembers();
  const untested = Object.entries(WRITE_OPTIONS).flatMap(([key, entry]) =>
    (entry.honoured ?? []).map((name) => `${key}.${name}`).filter((n) => !tested.has(n))
  );
  assert.deepEqual(untested, [], "honoured write options no case in tests/compat/ covers");
});

Deno.test("every refused write option is refused by its method with a TypeError naming it", async () => {
  await using server = await startTestServer();
  await using client = await connect({ endpoint: server.endpoint });
  const df = await client.fromRecords([{ a: 1 }]);
  const calls: Record<string, (o: Record<string, unknown>) => Promise<unknown>> = {
    "DataFrame.writeCSV": (o) => df.writeCSV("a.csv", o),
    "DataFrame.writeParquet": (o) => df.writeParquet("a.parquet", o),
    "DataFrame.writeIPC": (o) => df.writeIPC("a.arrow", o),
    "DataFrame.writeJSON": (o) => df.writeJSON("a.ndjson", o),
  };
  const letThrough: string[] = [];
  for (const [key, entry] of Object.entries(WRITE_OPTIONS)) {
    for (const name of Object.keys(entry.refused ?? {})) {
      const value = entry.inert && name in entry.inert ? "not the default" : true;
      const error = await calls[key]!({ [name]: value }).then(() => undefined, (e) => e);
      if (!(error instanceof TypeError) || !error.message.includes(`'${name}'`)) {
        letThrough.push(`${key}.${name}: ${String(error)}`);
      }
      if (entry.inert && name in entry.inert) {
        // nodejs-polars' own behaviour asks for nothing: it passes.
        await calls[key]!({ [name]: entry.inert[name] });
      }
    }
  }
  assert.deepEqual(letThrough, [], "refused options a write let through");
  assert.equal(server.received.filter((r) => r.method === "sink").length, 5);
});
