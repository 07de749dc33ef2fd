import assert from "node:assert/strict";
import { BulkTickets, TICKET_PATTERN, type TicketEntry } from "./tickets.ts";

function entry(kind: "collect" | "upload", tenant = "acme") {
  const dropped = Promise.withResolvers<void>();
  let drops = 0;
  const value: TicketEntry = {
    kind,
    tenant,
    drop: () => {
      drops++;
      dropped.resolve();
    },
  };
  return { value, dropped: dropped.promise, drops: () => drops };
}

/** Rejects after `ms`: a bound on a wait, not a sleep. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

Deno.test("BulkTickets issues distinct 43-character tickets that redeem once", () => {
  const tickets = new BulkTickets({ maxSlots: 4, ticketMs: 60_000 });
  const a = entry("collect");
  const one = tickets.issue(a.value)!;
  const two = tickets.issue(entry("collect").value)!;
  assert.match(one, TICKET_PATTERN);
  assert.notEqual(one, two);
  const redeemed = tickets.redeem(one, "collect");
  assert.equal(redeemed?.entry, a.value);
  assert.equal(tickets.redeem(one, "collect"), undefined, "a ticket is used once");
  assert.equal(tickets.running, 1);
  redeemed!.finish();
  redeemed!.finish();
  assert.equal(tickets.running, 0);
  tickets.close();
});

Deno.test("BulkTickets refuses malformed and unknown tickets without a lookup hit", () => {
  const tickets = new BulkTickets({ maxSlots: 1, ticketMs: 60_000 });
  for (const bad of ["", "x", "../../etc/passwd", "a".repeat(44), "=".repeat(43), "a".repeat(42)]) {
    assert.equal(tickets.redeem(bad, "collect"), undefined, bad);
  }
  assert.equal(tickets.redeem("A".repeat(43), "collect"), undefined);
  tickets.close();
});

Deno.test("BulkTickets drops a ticket of the wrong kind when it is shown", () => {
  const tickets = new BulkTickets({ maxSlots: 1, ticketMs: 60_000 });
  const up = entry("upload");
  const ticket = tickets.issue(up.value)!;
  assert.equal(tickets.redeem(ticket, "collect"), undefined);
  assert.equal(up.drops(), 1);
  assert.equal(tickets.redeem(ticket, "upload"), undefined, "spent");
  assert.equal(tickets.pending, 0);
  tickets.close();
});

Deno.test("BulkTickets expires an unredeemed ticket and drops its entry once", async () => {
  const tickets = new BulkTickets({ maxSlots: 1, ticketMs: 50 });
  const e = entry("collect");
  const ticket = tickets.issue(e.value)!;
  await within(e.dropped, 5000);
  assert.equal(e.drops(), 1);
  assert.equal(tickets.redeem(ticket, "collect"), undefined);
  assert.equal(tickets.pending, 0);
  tickets.close();
  assert.equal(e.drops(), 1);
});

Deno.test("BulkTickets bounds tickets and transfers together, and close() drops the waiting", () => {
  const tickets = new BulkTickets({ maxSlots: 2, ticketMs: 60_000 });
  const first = tickets.issue(entry("collect").value)!;
  const waiting = entry("upload");
  tickets.issue(waiting.value);
  assert.equal(tickets.issue(entry("collect").value), undefined, "no slot left");
  const redeemed = tickets.redeem(first, "collect")!;
  assert.equal(tickets.issue(entry("collect").value), undefined, "a transfer holds its slot");
  redeemed.finish();
  tickets.close();
  assert.equal(waiting.drops(), 1);
  assert.equal(tickets.issue(entry("collect").value), undefined, "closed");
});

Deno.test("BulkTickets gives one tenant at most its share of the slots, back as they end", async () => {
  const tickets = new BulkTickets({ maxSlots: 4, maxSlotsPerTenant: 2, ticketMs: 150 });
  const first = tickets.issue(entry("collect", "acme").value)!;
  const expiring = entry("collect", "acme");
  assert.ok(tickets.issue(expiring.value));
  assert.equal(tickets.issue(entry("collect", "acme").value), undefined, "acme's share is taken");
  assert.ok(tickets.issue(entry("collect", "globex").value), "another tenant still gets one");
  assert.equal(tickets.heldBy("acme"), 2);
  // A redeemed ticket holds its slot until the transfer ends.
  const redeemed = tickets.redeem(first, "collect")!;
  assert.equal(tickets.heldBy("acme"), 2);
  redeemed.finish();
  assert.equal(tickets.heldBy("acme"), 1);
  // An expired ticket gives its slot back.
  await within(expiring.dropped, 5000);
  assert.equal(tickets.heldBy("acme"), 0);
  assert.ok(tickets.issue(entry("collect", "acme").value));
  // A ticket of the wrong kind is dropped and gives its slot back.
  const up = tickets.issue(entry("upload", "acme").value)!;
  assert.equal(tickets.heldBy("acme"), 2);
  assert.equal(tickets.redeem(up, "collect"), undefined);
  assert.equal(tickets.heldBy("acme"), 1);
  tickets.close();
  assert.equal(tickets.heldBy("acme"), 0);
  assert.equal(tickets.heldBy("globex"), 0);
});
