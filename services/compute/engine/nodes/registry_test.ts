import assert from "node:assert/strict";
import { InvalidPlanError, UnimplementedError } from "../../../../shared/errors.ts";
import { Plan } from "../../../../shared/gen/polaroid/v1/plan.ts";
import { NODES, nodeSpec } from "./registry.ts";

/**
 * Every case of the generated Plan.node oneof, read from the generated code: a message with
 * field k set (an empty sub-message) decodes to the case of field k; unknown fields decode
 * to no node.
 */
function generatedCases(): string[] {
  const cases: string[] = [];
  for (let field = 1; field < 512; field++) {
    const tag = (field << 3) | 2;
    const varint = tag < 0x80 ? [tag] : [(tag & 0x7f) | 0x80, tag >> 7];
    const node = Plan.decode(new Uint8Array([...varint, 0])).node;
    if (node !== undefined) cases.push(node.$case);
  }
  return cases;
}

Deno.test("NODES holds a spec for every case of the generated Plan.node oneof, and no other", () => {
  const cases = generatedCases();
  assert.ok(cases.length >= 26, `read ${cases.length} cases from the generated code`);
  assert.deepEqual([...NODES.keys()].sort(), [...cases].sort());
  for (const name of cases) {
    const spec = NODES.get(name)!;
    for (const member of ["inputs", "exprs", "check", "rows", "build"] as const) {
      assert.equal(typeof spec[member], "function", `${name}.${member}`);
    }
  }
  // The nodes whose output depends on the data run before the plan.
  assert.deepEqual(cases.filter((c) => NODES.get(c)!.run).sort(), ["pivot", "statTest"]);
});

Deno.test("nodeSpec() throws for an unknown case and an unset node", () => {
  const unknown = { node: { $case: "teleport", value: {} } } as unknown as Plan;
  assert.throws(
    () => nodeSpec(unknown),
    (e) => e instanceof UnimplementedError && /'teleport' node is not implemented/.test(e.message),
  );
  assert.throws(
    () => nodeSpec({ node: undefined }),
    (e) => e instanceof InvalidPlanError && /'plan.node' must be set/.test(e.message),
  );
});

Deno.test("nodeSpec() gives each node's inputs in order, absent ones left out", () => {
  const scan = (id: string): Plan => ({
    node: { $case: "scan", value: { source: { $case: "handle", value: id } } },
  });
  const [a, b] = [scan("t.a"), scan("t.b")];
  const join = Plan.fromPartial({ node: { $case: "join", value: { left: a, right: b } } });
  const entry = nodeSpec(join);
  assert.deepEqual(entry.spec.inputs(entry.value), [a, b]);
  const half = Plan.fromPartial({ node: { $case: "join", value: { left: a } } });
  assert.deepEqual(nodeSpec(half).spec.inputs(nodeSpec(half).value), [a]);
  const sql = Plan.fromPartial({
    node: { $case: "sql", value: { query: "SELECT 1", tables: { x: a, y: b } } },
  });
  assert.deepEqual(nodeSpec(sql).spec.inputs(nodeSpec(sql).value), [a, b]);
});
