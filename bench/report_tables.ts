/**
 * The tables of docs/benchmarks.md's main section, one per part of `deno task bench`, each
 * with its target and whether it was met.
 *
 * @module
 */

import { type Engine, ENGINES, type PeerResult, type QueryRow } from "./queries.ts";
import type { TransferRow } from "./transfer.ts";
import type { LatencyRow } from "./latency.ts";
import { STORE_TARGETS, type StoreReport } from "./store_steps.ts";
import { atMost, targetText, verdict } from "./targets.ts";

/** Polaroid against nodejs-polars in-process on the same engine: ≤ 1.1×. */
export const QUERY_TARGET = atMost(1.1);

const f = (n: number, digits = 1) => n.toFixed(digits);
const count = (n: number) => n.toLocaleString("en-US");

/** The column title of an engine. */
export function engineLabel(engine: Engine, versions?: PeerResult["versions"]): string {
  const polars = `Python Polars ${versions?.polars ?? ""}`.trimEnd();
  const labels: Record<Engine, string> = {
    "polaroid": "Polaroid (streaming, the default)",
    "polaroid-in-memory": "Polaroid, in-memory",
    "node": "nodejs-polars",
    "node-streaming": "nodejs-polars, streaming",
    "polars-in-memory": polars,
    "polars-streaming": `${polars}, streaming`,
    "duckdb": `DuckDB ${versions?.duckdb ?? ""}`.trimEnd(),
  };
  return labels[engine];
}

/** Polaroid over nodejs-polars on the same engine, with the verdict. */
function sameEngine(q: QueryRow, polaroid: Engine, node: Engine): string {
  const ratio = q.ms[polaroid] / q.ms[node];
  return `${f(ratio, 2)}× ${verdict(ratio, QUERY_TARGET)}`;
}

/** The queries table: every engine's median ms and its ratio to the best peer. */
export function queriesTable(
  queries: readonly QueryRow[],
  peers?: Pick<PeerResult, "versions">,
): string[] {
  const header = ENGINES.map((e) => engineLabel(e, peers?.versions));
  return [
    `| query | result rows | ${
      header.join(" | ")
    } | Polaroid / nodejs-polars, streaming | in-memory |`,
    `|---|---:|${ENGINES.map(() => "---:").join("|")}|---|---|`,
    ...queries.map((q) =>
      `| ${q.query} | ${count(q.rows)} | ${
        ENGINES.map((e) => {
          const cell = `${f(q.ms[e])} (${f(q.ratios[e], 2)}×)`;
          return e === q.bestPeer ? `**${cell}**` : cell;
        }).join(" | ")
      } | ${sameEngine(q, "polaroid", "node-streaming")} | ${
        sameEngine(q, "polaroid-in-memory", "node")
      } |`
    ),
  ];
}

/** A transfer's table row. */
export function transferRow(label: string, t: TransferRow, baseline: string): string {
  return `| ${label} | ${count(t.rows)} | ${f(t.bytes / 1e6)} | ${f(t.sdkMs)} | ${
    f(t.rawMs)
  } (${baseline}) | ${f(t.speed, 3)} | ${targetText(t.target)} ${verdict(t.speed, t.target)} |`;
}

/** The transfer table's header. */
export const TRANSFER_HEADER = [
  "| transfer | rows | MB | Polaroid ms | baseline ms | speed vs baseline | target |",
  "|---|---:|---:|---:|---:|---:|---|",
];

/** The latency table: both sides at each concurrency. */
export function latencyTable(rows: readonly LatencyRow[]): string[] {
  return [
    "| clients | side | requests | p50 ms | p99 ms | requests/s | ratio | target |",
    "|---:|---|---:|---:|---:|---:|---:|---|",
    ...rows.flatMap((l) => {
      const what = l.clients === 1 ? "p50" : "throughput";
      return [
        `| ${l.clients} | Polaroid head(10) | ${l.polaroid.requests} | ${
          f(l.polaroid.p50Ms, 3)
        } | ${f(l.polaroid.p99Ms, 3)} | ${f(l.polaroid.throughputPerSec, 0)} | ${
          f(l.ratio, 3)
        } (${what}) | ${targetText(l.target)} ${verdict(l.ratio, l.target)} |`,
        `| ${l.clients} | grpc-js unary echo | ${l.echo.requests} | ${f(l.echo.p50Ms, 3)} | ${
          f(l.echo.p99Ms, 3)
        } | ${f(l.echo.throughputPerSec, 0)} | 1 | |`,
        ...(l.execute
          ? [
            `| ${l.clients} | Polaroid Execute head(10), kept | ${l.execute.requests} | ${
              f(l.execute.p50Ms, 3)
            } | ${f(l.execute.p99Ms, 3)} | ${f(l.execute.throughputPerSec, 0)} | ${
              f(l.execute.p50Ms / l.echo.p50Ms, 3)
            } (p50) | |`,
          ]
          : []),
      ];
    }),
  ];
}

/** The store table: median step per store and its ratio to memory. */
export function storeTable(store: StoreReport): string[] {
  return [
    "| store | upload ms | median step ms | vs memory | target |",
    "|---|---:|---:|---:|---|",
    ...store.pipeline.map((p) => {
      const target = p.store === "memory" ? undefined : STORE_TARGETS[p.store];
      const store = p.write === "behind" ? `${p.store}, writing behind` : p.store;
      return `| ${store} | ${f(p.uploadMs, 0)} | ${f(p.medianStepMs)} | ${
        f(p.ratioToMemory, 2)
      }× | ${target ? `${targetText(target)} ${verdict(p.ratioToMemory, target)}` : ""} |`;
    }),
  ];
}
