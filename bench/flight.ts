/**
 * `deno task bench:flight`: Arrow Flight and the Python client against their peers, side by
 * side in one run (bench/flight_peers.py does the measuring, from Python):
 *
 * - DoGet of N rows from Polaroid vs from a pyarrow Flight server, same pyarrow client;
 * - DoPut of the same table to Polaroid vs to that server, and DoPut and the Python client's
 *   upload vs the same bytes as a raw grpcio client stream into a grpc-js server (Deno) that only
 *   counts them (bench/streaming_raw.ts): the transport's own ceiling;
 * - the Python client's collect() of an N-row handle vs polars reading the same IPC locally.
 *
 * Options: --rows N (default 10000000), --repeats N (default 5).
 * Writes bench/results/flight-<stamp>.json and prints a markdown table.
 *
 * @module
 */

import { startCluster } from "../scripts/cluster.ts";
import { ensurePython } from "../scripts/_python.ts";
import { intOption } from "./args.ts";
import { startRawServer } from "./streaming_raw.ts";

const ROWS = intOption(Deno.args, "rows", 10_000_000);
const REPEATS = intOption(Deno.args, "repeats", 5);
const ROOT = new URL("..", import.meta.url).pathname;

interface Figures {
  rows: number;
  bytes: number;
  ipcBytes: number;
  doGetPolaroid: number;
  doGetPeer: number;
  doPutPolaroid: number;
  doPutPeer: number;
  clientUpload: number;
  rawUpload: number;
  clientCollect: number;
  localIpcRead: number;
}

const python = `${await ensurePython()}/python3`;
const workdir = await Deno.makeTempDir({ prefix: "polaroid-bench-flight-" });
console.error(`starting a cluster; ${ROWS} rows, medians of ${REPEATS}…`);
await using cluster = await startCluster({
  quiet: true,
  restart: false,
  exitOnSignal: true,
  dataRoot: `${workdir}/data`,
});
const raw = await startRawServer({ filtered: true });
let figures: Figures;
try {
  const out = await new Deno.Command(python, {
    args: [
      `${ROOT}bench/flight_peers.py`,
      "--endpoint",
      cluster.endpoints.compute,
      "--rows",
      String(ROWS),
      "--repeats",
      String(REPEATS),
      "--workdir",
      workdir,
      "--raw-endpoint",
      `127.0.0.1:${raw.port}`,
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error(`bench/flight_peers.py failed (exit ${out.code})`);
  figures = JSON.parse(new TextDecoder().decode(out.stdout)) as Figures;
} finally {
  raw.close();
  await Deno.remove(workdir, { recursive: true }).catch(() => {});
}

const mb = (seconds: number) => Math.round(figures.bytes / seconds / 1e6);
const rows = [
  ["DoGet (pyarrow client)", figures.doGetPolaroid, "pyarrow Flight server", figures.doGetPeer],
  ["DoPut (pyarrow client)", figures.doPutPolaroid, "pyarrow Flight server", figures.doPutPeer],
  [
    "DoPut (pyarrow client)",
    figures.doPutPolaroid,
    "raw grpcio → grpc-js stream",
    figures.rawUpload,
  ],
  ["Python client upload", figures.clientUpload, "raw grpcio → grpc-js stream", figures.rawUpload],
  ["Python client collect", figures.clientCollect, "polars reading the IPC", figures.localIpcRead],
] as const;
const report = {
  figures,
  ratios: Object.fromEntries(
    rows.map(([what, ours, name, peer]) => [`${what} vs ${name}`, peer / ours]),
  ),
};
const stamp = new Date().toISOString().replaceAll(":", "-").replaceAll(".", "-");
await Deno.mkdir(`${ROOT}bench/results`, { recursive: true });
await Deno.writeTextFile(
  `${ROOT}bench/results/flight-${stamp}.json`,
  JSON.stringify(report, null, 2),
);
console.log(
  `\n${figures.rows} rows, ${Math.round(figures.bytes / 1e6)} MB in Arrow; medians of ${REPEATS}\n`,
);
console.log("| operation | Polaroid s | MB/s | peer | peer s | ratio (peer time / ours) |");
console.log("| --- | ---: | ---: | --- | ---: | ---: |");
for (const [what, ours, peerName, peer] of rows) {
  console.log(
    `| ${what} | ${ours.toFixed(3)} | ${mb(ours)} | ${peerName} | ${peer.toFixed(3)} | ${
      (peer / ours).toFixed(2)
    }× |`,
  );
}
