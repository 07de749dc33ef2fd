import assert from "node:assert/strict";
import { createRegistry, memoryLimitBytes } from "./metrics.ts";

Deno.test("memoryLimitBytes() reads cgroup v2, then v1, and treats 'max' and huge values as none", () => {
  const files = (entries: Record<string, string>) => (path: string) => entries[path];
  assert.equal(memoryLimitBytes(files({ "/sys/fs/cgroup/memory.max": "1073741824\n" })), 2 ** 30);
  assert.equal(memoryLimitBytes(files({ "/sys/fs/cgroup/memory.max": "max\n" })), undefined);
  assert.equal(
    memoryLimitBytes(files({ "/sys/fs/cgroup/memory/memory.limit_in_bytes": "536870912" })),
    2 ** 29,
  );
  assert.equal(
    memoryLimitBytes(
      files({ "/sys/fs/cgroup/memory/memory.limit_in_bytes": "9223372036854771712" }),
    ),
    undefined,
  );
  assert.equal(memoryLimitBytes(files({})), undefined);
});

Deno.test("the registry exports the memory limit only when there is one", async () => {
  const text = await createRegistry("test").metrics();
  const limited = memoryLimitBytes() !== undefined;
  assert.equal(text.includes("polaroid_process_memory_limit_bytes{"), limited);
  assert.match(text, /polaroid_process_resident_memory_bytes/);
});
