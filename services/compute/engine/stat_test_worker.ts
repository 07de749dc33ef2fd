/**
 * Worker thread of the StatTest node: receives one test's series (transferred, not copied),
 * runs it on every group (stat_test_runs.ts) and posts the result rows back, or the error's
 * name and message. One worker per call, terminated when it answers.
 *
 * @module
 */

import { runStatGroups, type StatParams } from "./stat_test_runs.ts";

/** What the worker is sent. */
export interface StatTestJob {
  name: string;
  params: StatParams;
  data: Float64Array[];
  lengths: Float64Array;
}

/** The worker's global scope, as much of it as this module uses. */
const scope = globalThis as unknown as {
  onmessage: (event: MessageEvent<StatTestJob>) => void;
  postMessage(message: unknown): void;
};

scope.onmessage = (event) => {
  const { name, params, data, lengths } = event.data;
  try {
    scope.postMessage({ rows: runStatGroups(name, params, data, lengths) });
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    scope.postMessage({ error: { name: e.name, message: e.message } });
  }
};
