"""Polaroid's Arrow Flight and Flight SQL endpoint from real Python clients: pyarrow.flight,
ADBC's Flight SQL driver and polars.read_database over an ADBC connection.

Run by tests/flight_test.ts against a cluster with token authentication; the endpoint and
three API keys come in the environment (acme admin, acme reader, globex writer). Results are
compared with Python Polars run in-process on the same data.
"""

from __future__ import annotations

import json
import os

import adbc_driver_flightsql
import adbc_driver_flightsql.dbapi as flight_sql
import grpc
import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.flight as fl
import pytest
from polars.testing import assert_frame_equal

ENDPOINT = os.environ["POLAROID_FLIGHT_ENDPOINT"]
ACME = os.environ["POLAROID_ACME_KEY"]
READER = os.environ["POLAROID_ACME_READER_KEY"]
GLOBEX = os.environ["POLAROID_GLOBEX_KEY"]
URI = f"grpc://{ENDPOINT}"
# Handle names of this run (a cluster kept for development sees several runs).
RUN = os.urandom(3).hex()
FLIGHT_MILLION = f"flight_million_{RUN}"
FLIGHT_SQL_TRADES = f"flight_sql_trades_{RUN}"
FLIGHT_LISTED = f"flight_listed_{RUN}"
FLIGHT_PRIVATE = f"flight_private_{RUN}"
FLIGHT_BY_READER = f"flight_by_reader_{RUN}"
FLIGHT_BAD = f"flight_bad_{RUN}"
FLIGHT_NULLS = f"flight_nulls_{RUN}"
FLIGHT_CANCELLED = f"flight_cancelled_{RUN}"
ADBC_TRADES = f"adbc_trades_{RUN}"
ADBC_META = f"adbc_meta_{RUN}"
ADBC_BASIC = f"adbc_basic_{RUN}"
ADBC_INGESTED = f"adbc_ingested_{RUN}"


def options(key: str | None) -> fl.FlightCallOptions:
    headers = [] if key is None else [(b"authorization", f"Bearer {key}".encode())]
    return fl.FlightCallOptions(headers=headers, timeout=120)


ACME_CALL = options(ACME)


@pytest.fixture(scope="module")
def client():
    c = fl.connect(URI)
    yield c
    c.close()


def trades(rows: int, seed: int = 7) -> pa.Table:
    rng = np.random.default_rng(seed)
    return pa.table(
        {
            "k": rng.integers(0, 50, rows),
            "px": rng.random(rows) * 100,
            "sym": pa.array(rng.choice(["aapl", "msft", "nvda", "tsla"], rows)).cast(pa.string()),
        }
    )


def put(client: fl.FlightClient, table: pa.Table, name: str, call=ACME_CALL) -> dict:
    writer, reader = client.do_put(fl.FlightDescriptor.for_path(name), table.schema, options=call)
    writer.write_table(table, max_chunksize=100_000)
    writer.done_writing()
    answer = reader.read()
    writer.close()
    return json.loads(answer.to_pybytes())


def read(client: fl.FlightClient, descriptor: fl.FlightDescriptor, call=ACME_CALL) -> pa.Table:
    info = client.get_flight_info(descriptor, options=call)
    assert len(info.endpoints) == 1
    table = client.do_get(info.endpoints[0].ticket, options=call).read_all()
    assert table.schema == info.schema
    return table


def test_upload_then_read_a_million_rows_back_by_name_and_id(client):
    table = trades(1_000_000)
    made = put(client, table, FLIGHT_MILLION)
    assert made["name"] == FLIGHT_MILLION and made["rows"] == 1_000_000
    for ref in (FLIGHT_MILLION, made["id"]):
        info = client.get_flight_info(fl.FlightDescriptor.for_path(ref), options=ACME_CALL)
        assert info.total_records == 1_000_000
        reader = client.do_get(info.endpoints[0].ticket, options=ACME_CALL)
        batches = [chunk.data for chunk in reader]
        # Batches of a few MB, not one message.
        assert len(batches) > 3, len(batches)
        got = pl.from_arrow(pa.Table.from_batches(batches))
        assert_frame_equal(got, pl.from_arrow(table).with_columns(pl.col("sym").cast(pl.String)))
    # A handle's id or name as plain ticket bytes works too.
    got = client.do_get(fl.Ticket(FLIGHT_MILLION.encode()), options=ACME_CALL).read_all()
    assert got.num_rows == 1_000_000


def test_a_read_cancelled_or_past_its_deadline_ends(client):
    """The server side is checked by tests/flight_test.ts: no Flight call left in flight."""
    put(client, trades(1_000_000, seed=5), FLIGHT_CANCELLED)
    reader = client.do_get(fl.Ticket(FLIGHT_CANCELLED.encode()), options=ACME_CALL)
    assert reader.read_chunk().data.num_rows > 0
    reader.cancel()
    hurried = fl.FlightCallOptions(headers=[(b"authorization", f"Bearer {ACME}".encode())], timeout=0.001)
    with pytest.raises(fl.FlightTimedOutError):
        client.do_get(fl.Ticket(FLIGHT_CANCELLED.encode()), options=hurried).read_all()
    # The worker serves on.
    assert read(client, fl.FlightDescriptor.for_path(FLIGHT_CANCELLED)).num_rows == 1_000_000


def test_sql_command_equals_polars_in_process(client):
    table = trades(20_000, seed=3)
    put(client, table, FLIGHT_SQL_TRADES)
    query = f"select sym, count(*) as n, sum(px) as px from {FLIGHT_SQL_TRADES} group by sym order by sym"
    got = pl.from_arrow(read(client, fl.FlightDescriptor.for_command(query.encode())))
    want = pl.SQLContext(frames={FLIGHT_SQL_TRADES: pl.from_arrow(table)}).execute(query, eager=True)
    assert_frame_equal(got, want, check_dtypes=False)
    schema = client.get_schema(fl.FlightDescriptor.for_command(query.encode()), options=ACME_CALL)
    assert schema.schema.names == ["sym", "n", "px"]


def test_sql_info_says_what_the_sql_does(client):
    """SqlInfo: nulls sorted high (last ascending, first descending); names match as written."""
    put(client, pa.table({"x": [2, None, 1]}), FLIGHT_NULLS)
    up = read(client, fl.FlightDescriptor.for_command(f"select x from {FLIGHT_NULLS} order by x".encode()))
    down = read(client, fl.FlightDescriptor.for_command(f"select x from {FLIGHT_NULLS} order by x desc".encode()))
    assert up.column("x").to_pylist() == [1, 2, None]
    assert down.column("x").to_pylist() == [None, 2, 1]
    with pytest.raises(pa.ArrowInvalid):
        read(client, fl.FlightDescriptor.for_command(f"select X from {FLIGHT_NULLS}".encode()))


def test_list_flights_actions_pin_and_release(client):
    made = put(client, trades(10), FLIGHT_LISTED)
    listed = {f.descriptor.path[0].decode(): f for f in client.list_flights(options=ACME_CALL)}
    assert made["id"] in listed
    assert listed[made["id"]].total_records == 10
    types = [a.type for a in client.list_actions(options=ACME_CALL)]
    assert types == ["release", "pin", "unpin", "CreatePreparedStatement", "ClosePreparedStatement"]
    pinned = json.loads(
        next(iter(client.do_action(fl.Action("pin", FLIGHT_LISTED.encode()), options=ACME_CALL))).body.to_pybytes()
    )
    assert pinned["pinned"] is True
    unpinned = json.loads(
        next(iter(client.do_action(fl.Action("unpin", made["id"].encode()), options=ACME_CALL))).body.to_pybytes()
    )
    assert unpinned["pinned"] is False
    released = json.loads(
        next(iter(client.do_action(fl.Action("release", made["id"].encode()), options=ACME_CALL))).body.to_pybytes()
    )
    assert released["freed"] is True
    with pytest.raises(KeyError, match="Cannot (find|resolve)"):
        client.get_flight_info(fl.FlightDescriptor.for_path(made["id"]), options=ACME_CALL)


def test_basic_authentication_handshake_gives_the_bearer(client):
    header = client.authenticate_basic_token("anyone", ACME)
    assert header == (b"authorization", f"Bearer {ACME}".encode())
    call = fl.FlightCallOptions(headers=[header])
    assert [a.type for a in client.list_actions(options=call)][0] == "release"
    with pytest.raises(fl.FlightUnauthenticatedError):
        client.authenticate_basic_token("anyone", "not-a-key")


def test_credentials_roles_and_tenants_are_enforced(client):
    put(client, trades(5), FLIGHT_PRIVATE)
    with pytest.raises(fl.FlightUnauthenticatedError):
        client.get_flight_info(fl.FlightDescriptor.for_path(FLIGHT_PRIVATE), options=options(None))
    with pytest.raises(fl.FlightUnauthenticatedError):
        list(client.list_actions(options=options("pk_aaaaaaaaaaaa_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")))
    # A reader reads but neither uploads nor releases.
    assert read(client, fl.FlightDescriptor.for_path(FLIGHT_PRIVATE), options(READER)).num_rows == 5
    with pytest.raises(fl.FlightUnauthorizedError):
        put(client, trades(5), FLIGHT_BY_READER, options(READER))
    with pytest.raises(fl.FlightUnauthorizedError, match="needs the role write"):
        list(client.do_action(fl.Action("release", FLIGHT_PRIVATE.encode()), options=options(READER)))
    # Another tenant finds nothing: not by name, id, ticket, SQL or listing.
    info = client.get_flight_info(fl.FlightDescriptor.for_path(FLIGHT_PRIVATE), options=ACME_CALL)
    ticket = info.endpoints[0].ticket
    globex = options(GLOBEX)
    with pytest.raises(KeyError, match="Cannot (find|resolve)"):
        client.get_flight_info(fl.FlightDescriptor.for_path(FLIGHT_PRIVATE), options=globex)
    with pytest.raises(KeyError):
        client.do_get(ticket, options=globex).read_all()
    with pytest.raises(pa.ArrowInvalid, match="not found|No such|Cannot"):
        read(client, fl.FlightDescriptor.for_command(f"select * from {FLIGHT_PRIVATE}".encode()), globex)
    assert not [f for f in client.list_flights(options=globex) if b"acme." in f.descriptor.path[0]]


def test_bad_input_is_refused_with_a_clear_error(client):
    with pytest.raises(pa.ArrowInvalid, match="not UTF-8"):
        client.do_get(fl.Ticket(b"\xff\xfe\xfd"), options=ACME_CALL).read_all()
    with pytest.raises(pa.ArrowInvalid, match="empty ticket"):
        client.do_get(fl.Ticket(b""), options=ACME_CALL).read_all()
    with pytest.raises(pa.ArrowInvalid, match="path must be one handle"):
        client.get_flight_info(fl.FlightDescriptor.for_path("a", "b"), options=ACME_CALL)
    with pytest.raises(pa.ArrowInvalid):
        read(client, fl.FlightDescriptor.for_command(b"select * from no_such_table"))
    with pytest.raises(pa.ArrowInvalid, match="expression"):
        list(client.list_flights(criteria=b"x", options=ACME_CALL))
    with pytest.raises(NotImplementedError, match="runs only"):
        list(client.do_action(fl.Action("drop_everything", b""), options=ACME_CALL))
    with pytest.raises(NotImplementedError, match="DoExchange"):
        writer, reader = client.do_exchange(fl.FlightDescriptor.for_path("x"), options=ACME_CALL)
        reader.read_all()
    # A stream whose IPC is not valid Arrow is INVALID_ARGUMENT and makes no handle (sent
    # with grpcio: pyarrow only writes valid streams).
    assert raw_put(b"\x01\x02\x03\x04", b"") == grpc.StatusCode.INVALID_ARGUMENT
    assert raw_put(b"", b"\x00" * 64) == grpc.StatusCode.INVALID_ARGUMENT
    with pytest.raises(KeyError, match="Cannot (find|resolve)"):
        client.get_flight_info(fl.FlightDescriptor.for_path(FLIGHT_BAD), options=ACME_CALL)


def raw_put(header: bytes, body: bytes) -> grpc.StatusCode:
    """DoPut of one hand-made FlightData named FLIGHT_BAD; the call's status code."""

    def field(number: int, value: bytes) -> bytes:
        return bytes([number << 3 | 2]) + varint(len(value)) + value

    descriptor = b"\x08\x01" + field(3, FLIGHT_BAD.encode())
    message = field(1, descriptor) + (field(2, header) if header else b"")
    if body:
        message += b"\xc2\x3e" + varint(len(body)) + body
    with grpc.insecure_channel(ENDPOINT) as channel:
        call = channel.stream_stream(
            "/arrow.flight.protocol.FlightService/DoPut",
            request_serializer=lambda b: b,
            response_deserializer=lambda b: b,
        )
        try:
            list(call(iter([message]), metadata=[("authorization", f"Bearer {ACME}")], timeout=60))
        except grpc.RpcError as error:
            return error.code()
    return grpc.StatusCode.OK


def varint(n: int) -> bytes:
    out = bytearray()
    while n >= 0x80:
        out.append(n & 0x7F | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def adbc(key: str = ACME, **kwargs):
    return flight_sql.connect(
        URI,
        db_kwargs={adbc_driver_flightsql.DatabaseOptions.AUTHORIZATION_HEADER.value: f"Bearer {key}", **kwargs},
        autocommit=True,
    )


def test_adbc_query_and_polars_read_database(client):
    table = trades(50_000, seed=11)
    put(client, table, ADBC_TRADES)
    query = f"select k, avg(px) as px from {ADBC_TRADES} where sym = 'nvda' group by k order by k"
    want = pl.SQLContext(frames={ADBC_TRADES: pl.from_arrow(table)}).execute(query, eager=True)
    with adbc() as conn:
        with conn.cursor() as cur:
            cur.execute(query)
            got = pl.from_arrow(cur.fetch_arrow_table())
        assert_frame_equal(got, want, check_dtypes=False)
        frame = pl.read_database(query, conn)
        assert_frame_equal(frame, want, check_dtypes=False)
        # Prepared statements (stateless on the server).
        with conn.cursor() as cur:
            cur.adbc_prepare(f"select count(*) as n from {ADBC_TRADES}")
            cur.execute(f"select count(*) as n from {ADBC_TRADES}")
            assert cur.fetchall() == [(50_000,)]


def test_adbc_metadata(client):
    put(client, trades(3), ADBC_META)
    with adbc() as conn:
        info = conn.adbc_get_info()
        assert info["vendor_name"] == "Polaroid"
        objects = conn.adbc_get_objects(depth="tables").read_all().to_pylist()
        names = [t["table_name"] for c in objects for s in c["catalog_db_schemas"] for t in s["db_schema_tables"]]
        assert ADBC_META in names
        schema = conn.adbc_get_table_schema(ADBC_META)
        assert schema.names == ["k", "px", "sym"]
        assert conn.adbc_get_table_types() == ["TABLE"]


def test_adbc_username_password_and_refusals(client):
    put(client, trades(4), ADBC_BASIC)
    with flight_sql.connect(URI, db_kwargs={"username": "anyone", "password": ACME}, autocommit=True) as conn:
        with conn.cursor() as cur:
            cur.execute(f"select count(*) from {ADBC_BASIC}")
            assert cur.fetchone()[0] == 4
    with adbc() as conn:
        with conn.cursor() as cur:
            with pytest.raises(Exception, match="read-only|bulk ingestion"):
                cur.adbc_ingest(ADBC_INGESTED, trades(2))
    with adbc(GLOBEX) as conn:
        with conn.cursor() as cur:
            with pytest.raises(Exception):
                cur.execute(f"select * from {ADBC_BASIC}")
                cur.fetchall()
