"""The Python side of `deno task bench:flight` (bench/flight.ts): Arrow Flight and the Python
client against a Polaroid cluster, each beside its peer in the same run, on the same data.

- DoGet of N rows: Polaroid's Flight endpoint vs a pyarrow Flight server (its own process)
  serving the same table, both read by the same pyarrow client.
- DoPut of the same table: to Polaroid (a new handle each time) vs to the pyarrow server (which
  only reads the stream), and the Python client's upload (`client.from_arrow`) vs that DoPut.
- The Python client's `collect()` of the N-row handle vs polars reading the same Arrow IPC
  from memory in-process.

Prints one JSON object (seconds are medians of --repeats runs, after one warm-up).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import time

import grpc
import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.flight as fl

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "clients", "python"))
import polaroid  # noqa: E402  (the client from this checkout)


def table_of(rows: int) -> pa.Table:
    rng = np.random.default_rng(42)
    syms = np.array(["aapl", "msft", "nvda", "tsla", "amzn", "goog"])
    return pa.table(
        {
            "ts": pa.array(np.arange(rows, dtype=np.int64)),
            "k": pa.array(rng.integers(0, 1000, rows)),
            "px": pa.array(rng.random(rows) * 100),
            "sym": pa.array(syms[rng.integers(0, len(syms), rows)]).cast(pa.large_string()),
        }
    )


class PeerServer(fl.FlightServerBase):
    """A plain pyarrow Flight server: DoGet streams its table, DoPut reads and drops."""

    def __init__(self, location: str, path: str, chunk_rows: int):
        super().__init__(location)
        with pa.memory_map(path) as source:
            self._table = pa.ipc.open_stream(source).read_all().combine_chunks()
        self._chunk_rows = chunk_rows

    def do_get(self, context, ticket):
        return fl.RecordBatchStream(pa.Table.from_batches(self._table.to_batches(max_chunksize=self._chunk_rows)))

    def do_put(self, context, descriptor, reader, writer):
        rows = 0
        for chunk in reader:
            rows += chunk.data.num_rows
        writer.write(pa.py_buffer(str(rows).encode()))


def serve(port_queue, path: str, chunk_rows: int) -> None:
    server = PeerServer("grpc://127.0.0.1:0", path, chunk_rows)
    port_queue.put(server.port)
    server.serve()


def median_seconds(repeats: int, run) -> float:
    run()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def do_put(client: fl.FlightClient, name: str, table: pa.Table, options, chunk_rows: int) -> bytes:
    writer, reader = client.do_put(fl.FlightDescriptor.for_path(name), table.schema, options=options)
    writer.write_table(table, max_chunksize=chunk_rows)
    writer.done_writing()
    answer = reader.read()
    writer.close()
    return answer.to_pybytes() if answer is not None else b""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--raw-endpoint", required=True, help="bench/streaming_raw.ts' server")
    args = parser.parse_args()

    table = table_of(args.rows)
    ipc_path = os.path.join(args.workdir, "table.arrows")
    with pa.OSFile(ipc_path, "wb") as sink, pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    with open(ipc_path, "rb") as f:
        ipc_bytes = f.read()
    # Batches of about 4 MB, as Polaroid sends.
    chunk_rows = max(1, int(4 * 1024 * 1024 / (table.nbytes / table.num_rows)))

    queue: multiprocessing.Queue = multiprocessing.Queue()
    peer_process = multiprocessing.Process(target=serve, args=(queue, ipc_path, chunk_rows), daemon=True)
    peer_process.start()
    peer_port = queue.get(timeout=120)
    peer = fl.connect(f"grpc://127.0.0.1:{peer_port}")
    polaroid_flight = fl.connect(f"grpc://{args.endpoint}")
    call = fl.FlightCallOptions(timeout=600)
    out: dict[str, object] = {"rows": args.rows, "bytes": table.nbytes, "ipcBytes": len(ipc_bytes)}
    try:
        # The handle both the DoGet and the collect() runs read.
        do_put(polaroid_flight, "bench_flight", table, call, chunk_rows)
        info = polaroid_flight.get_flight_info(fl.FlightDescriptor.for_path("bench_flight"), options=call)
        ticket = info.endpoints[0].ticket

        def get_polaroid():
            got = polaroid_flight.do_get(ticket, options=call).read_all()
            assert got.num_rows == args.rows

        def get_peer():
            got = peer.do_get(fl.Ticket(b"t"), options=call).read_all()
            assert got.num_rows == args.rows

        out["doGetPolaroid"] = median_seconds(args.repeats, get_polaroid)
        out["doGetPeer"] = median_seconds(args.repeats, get_peer)

        counter = iter(range(10_000))

        def put_polaroid():
            name = f"bench_put_{next(counter)}"
            answer = json.loads(do_put(polaroid_flight, name, table, call, chunk_rows))
            # Released at once: the worker's memory stays bounded across the runs.
            list(polaroid_flight.do_action(fl.Action("release", answer["id"].encode()), options=call))

        def put_peer():
            assert do_put(peer, "x", table, call, chunk_rows) == str(args.rows).encode()

        out["doPutPolaroid"] = median_seconds(args.repeats, put_polaroid)
        out["doPutPeer"] = median_seconds(args.repeats, put_peer)

        # The transport's own ceiling: the same IPC bytes, in 4 MB messages, as a grpcio client
        # stream into a grpc-js server (under Deno, behind the same GOAWAY filter as Polaroid's
        # servers) that only counts them.
        with grpc.insecure_channel(args.raw_endpoint) as channel:
            upload = channel.stream_unary(
                "/bench.Raw/Upload", request_serializer=lambda b: b, response_deserializer=lambda b: b
            )
            step = 4 * 1024 * 1024
            view = memoryview(ipc_bytes)

            def put_raw():
                count = upload((bytes(view[i : i + step]) for i in range(0, len(view), step)), timeout=600)
                assert int(count) == len(ipc_bytes)

            out["rawUpload"] = median_seconds(args.repeats, put_raw)

        client = polaroid.connect(args.endpoint, timeout=600)
        with client:

            def upload_client():
                frame = client.from_arrow(table)
                frame.close()

            out["clientUpload"] = median_seconds(args.repeats, upload_client)
            remote = [h for h in client.list_handles() if h.name == "bench_flight"][0]
            frame = client.handle(remote.id)

            def collect_client():
                got = frame.to_polars()
                assert got.height == args.rows

            def read_local():
                got = pl.read_ipc_stream(ipc_bytes)
                assert got.height == args.rows

            out["clientCollect"] = median_seconds(args.repeats, collect_client)
            out["localIpcRead"] = median_seconds(args.repeats, read_local)
    finally:
        peer_process.terminate()
        peer_process.join(10)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
