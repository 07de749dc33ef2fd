/**
 * Tickets of the bulk port (docs/adr/0016): a ticket is 32 random bytes (base64url, 43
 * characters), known only to this worker's memory and to the client the gRPC call gave it
 * to. It is bound to a tenant and to what it redeems (a held frame's batches, or room for an
 * upload), is redeemed once, and expires if not redeemed in time. Tickets outstanding and
 * transfers running share one bound of slots, of which one tenant holds at most its share; a
 * slot is given back when its ticket expires or is dropped, or when the transfer it was
 * redeemed for ends.
 *
 * @module
 */

import { encodeBase64Url } from "./_base64url.ts";

/** What a ticket redeems. */
export type TicketKind = "collect" | "upload";

/** What a ticket holds until it is redeemed. */
export interface TicketEntry {
  readonly kind: TicketKind;
  readonly tenant: string;
  /** Lets go of what the entry holds; called once if the ticket is never redeemed. */
  drop(): void;
}

/** A redeemed ticket: its entry, and the slot to give back when the transfer ends. */
export interface Redeemed<E extends TicketEntry> {
  readonly entry: E;
  /** Gives the transfer's slot back; calling it twice is harmless. */
  finish(): void;
}

/** The shape of a ticket, checked before any lookup. */
export const TICKET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Options of {@link BulkTickets}. */
export interface BulkTicketsOptions {
  /** Tickets outstanding and transfers running at once. */
  maxSlots: number;
  /** Of those, the most one tenant holds. @default maxSlots */
  maxSlotsPerTenant?: number;
  /** How long a ticket may wait to be redeemed. */
  ticketMs: number;
}

interface Pending<E> {
  entry: E;
  timer: ReturnType<typeof setTimeout>;
}

/** The worker's tickets and transfer slots. */
export class BulkTickets<E extends TicketEntry = TicketEntry> {
  readonly #pending = new Map<string, Pending<E>>();
  readonly #options: BulkTicketsOptions;
  /** Slots (tickets outstanding and transfers running) each tenant holds. */
  readonly #held = new Map<string, number>();
  #running = 0;
  #closed = false;

  constructor(options: BulkTicketsOptions) {
    this.#options = options;
  }

  /** How long a ticket may wait to be redeemed. */
  get ticketMs(): number {
    return this.#options.ticketMs;
  }

  /** Tickets waiting to be redeemed. */
  get pending(): number {
    return this.#pending.size;
  }

  /** Transfers running. */
  get running(): number {
    return this.#running;
  }

  /**
   * A new ticket for `entry`, or undefined when every slot is taken or the worker is
   * closing (the caller then answers over gRPC, or drops the entry itself).
   */
  issue(entry: E): string | undefined {
    if (this.#closed || this.#pending.size + this.#running >= this.#options.maxSlots) {
      return undefined;
    }
    const share = this.#options.maxSlotsPerTenant ?? this.#options.maxSlots;
    if (this.heldBy(entry.tenant) >= share) return undefined;
    this.#hold(entry.tenant, 1);
    const ticket = encodeBase64Url(crypto.getRandomValues(new Uint8Array(32)));
    const timer = setTimeout(() => {
      if (!this.#pending.delete(ticket)) return;
      this.#hold(entry.tenant, -1);
      entry.drop();
    }, this.#options.ticketMs);
    Deno.unrefTimer(timer);
    this.#pending.set(ticket, { entry, timer });
    return ticket;
  }

  /**
   * Takes the ticket out, whatever comes next: a ticket is used once. Undefined when it is
   * unknown, expired, already used, or of another kind (which drops it).
   */
  redeem(ticket: string, kind: TicketKind): Redeemed<E> | undefined {
    if (!TICKET_PATTERN.test(ticket)) return undefined;
    const pending = this.#pending.get(ticket);
    if (!pending) return undefined;
    this.#pending.delete(ticket);
    clearTimeout(pending.timer);
    const tenant = pending.entry.tenant;
    if (pending.entry.kind !== kind) {
      this.#hold(tenant, -1);
      pending.entry.drop();
      return undefined;
    }
    this.#running++;
    let finished = false;
    return {
      entry: pending.entry,
      finish: () => {
        if (finished) return;
        finished = true;
        this.#running--;
        this.#hold(tenant, -1);
      },
    };
  }

  /** Slots `tenant` holds: its tickets outstanding and its transfers running. */
  heldBy(tenant: string): number {
    return this.#held.get(tenant) ?? 0;
  }

  #hold(tenant: string, change: 1 | -1): void {
    const held = this.heldBy(tenant) + change;
    if (held > 0) this.#held.set(tenant, held);
    else this.#held.delete(tenant);
  }

  /** Drops every ticket outstanding and issues no more (the worker is stopping). */
  close(): void {
    this.#closed = true;
    for (const [ticket, pending] of this.#pending) {
      this.#pending.delete(ticket);
      clearTimeout(pending.timer);
      this.#hold(pending.entry.tenant, -1);
      pending.entry.drop();
    }
  }
}
