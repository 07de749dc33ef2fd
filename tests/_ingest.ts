/**
 * What the ingest tests share: waiting for a source's state, polled on a deadline (never a
 * fixed sleep), with the source's state and last error in the failure.
 *
 * @module
 */

import { connectIngest, type IngestConnectOptions, type SourceInfo } from "../sdk/mod.ts";

/**
 * Polls the ingest service at `endpoint` (an address, or connect options) until its source `name` satisfies `ok`; its info then.
 * Throws after `timeoutMs` with the source's state, committed rows and last error.
 */
export async function waitForSource(
  endpoint: string | IngestConnectOptions,
  name: string,
  ok: (info: SourceInfo) => boolean,
  timeoutMs = 30_000,
): Promise<SourceInfo> {
  await using ingest = await connectIngest(typeof endpoint === "string" ? { endpoint } : endpoint);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const info = (await ingest.listSources()).find((s) => s.spec?.name === name);
    if (info && ok(info)) return info;
    if (Date.now() > deadline) {
      throw new Error(
        `source ${name} did not get there in ${timeoutMs} ms: ${info?.state} rows ${info?.committedRows} gaps ${info?.reconnectGaps} ${info?.lastError}`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
