import assert from "node:assert/strict";
import { PROTO_DIR, rewriteTemplate } from "./proto.ts";

const TEMPLATE = `version: v2
plugins:
  - local: ../tools/protogen/node_modules/.bin/protoc-gen-ts_proto
    out: ../shared/gen
    opt:
      - outputServices=grpc-js
`;

Deno.test("rewriteTemplate() points out at the given directory and local at an absolute path", () => {
  const text = rewriteTemplate(TEMPLATE, "/tmp/out", "/repo/proto");
  assert.equal(
    text,
    `version: v2
plugins:
  - local: "/repo/tools/protogen/node_modules/.bin/protoc-gen-ts_proto"
    out: "/tmp/out"
    opt:
      - outputServices=grpc-js
`,
  );
});

Deno.test("rewriteTemplate() keeps a plugin found on PATH as it is", () => {
  const text = rewriteTemplate("plugins:\n  - local: protoc-gen-es\n    out: gen\n", "/o", "/b");
  assert.equal(text, 'plugins:\n  - local: "protoc-gen-es"\n    out: "/o"\n');
});

Deno.test("rewriteTemplate() rejects a template without out", () => {
  assert.throws(() => rewriteTemplate("version: v2\n", "/o", "/b"), /must name an 'out' directory/);
});

Deno.test("rewriteTemplate() handles the committed buf.gen.yaml", async () => {
  const text = rewriteTemplate(
    await Deno.readTextFile(`${PROTO_DIR}/buf.gen.yaml`),
    "/x",
    PROTO_DIR,
  );
  assert.match(text, /out: "\/x"/);
  assert.match(text, /local: "\/.*\/tools\/protogen\/node_modules\/\.bin\/protoc-gen-ts_proto"/);
});
