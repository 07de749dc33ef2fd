/**
 * Continuous OHLCV bars over a followed live table: each bar is emitted once its window has
 * closed, that is once the watermark (the latest event time seen, less the allowed lateness)
 * has passed the window's end. A tick that arrives for a window already emitted is late: it
 * is counted (`lateTicks`), not added.
 *
 * @module
 */

import type { FollowOptions, IngestClient } from "../ingest.ts";

/** Options of liveBars(). */
export interface LiveBarsOptions extends Omit<FollowOptions, "maxBatchRows"> {
  /** The event time column: milliseconds since the epoch (a number or Int64), or a Datetime. */
  time: string;
  /** The price column. */
  price: string;
  /** The size column, summed into `volume`. @default none: volume is the tick count */
  volume?: string;
  /** Bars per value of this column (a symbol). @default one series */
  by?: string;
  /** The window: milliseconds, or "500ms", "1s", "5m", "1h". */
  every: number | string;
  /** How far behind the latest event a tick may still arrive. @default 0 */
  allowedLatenessMs?: number;
}

/** One closed bar. */
export interface LiveBar {
  /** The `by` value, or undefined without `by`. */
  key: string | undefined;
  /** The window, [start, end), in ms since the epoch. */
  start: number;
  end: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  count: number;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A window length in milliseconds. */
export function windowMs(every: number | string): number {
  const ms = typeof every === "number" ? every : (() => {
    const match = /^(\d+)(ms|s|m|h|d)$/.exec(every);
    return match ? Number(match[1]) * UNITS[match[2]!]! : NaN;
  })();
  if (!Number.isSafeInteger(ms) || ms <= 0) {
    throw new TypeError(
      `Cannot make bars as 'every' must be a positive whole number of ms or like "1s", "5m": current value is ${
        JSON.stringify(every)
      }`,
    );
  }
  return ms;
}

function timeMs(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (value instanceof Date) return value.getTime();
  return NaN;
}

/** Closed OHLCV bars of a live table, as its ticks are committed. */
export class LiveBars implements AsyncIterable<LiveBar> {
  readonly #ingest: IngestClient;
  readonly #table: string;
  readonly #options: LiveBarsOptions;
  readonly #every: number;
  #late = 0;
  #watermark = -Infinity;

  constructor(ingest: IngestClient, table: string, options: LiveBarsOptions) {
    this.#ingest = ingest;
    this.#table = table;
    this.#options = options;
    this.#every = windowMs(options.every);
    const lateness = options.allowedLatenessMs ?? 0;
    if (!Number.isSafeInteger(lateness) || lateness < 0) {
      throw new RangeError(
        `Cannot make bars as 'allowedLatenessMs' must be a non-negative integer: current value is ${lateness}`,
      );
    }
  }

  /** Ticks that arrived after their window was emitted (not in any bar). */
  get lateTicks(): number {
    return this.#late;
  }

  /** The latest event time seen less the allowed lateness. */
  get watermark(): number {
    return this.#watermark;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<LiveBar> {
    const { time, price, volume, by } = this.#options;
    const lateness = this.#options.allowedLatenessMs ?? 0;
    /** Open windows by "<start>\u0000<key>". */
    const open = new Map<string, LiveBar>();
    /** Windows ending at or before this are emitted. */
    let closedUpTo = -Infinity;
    let latest = -Infinity;
    for await (const batch of this.#ingest.follow(this.#table, this.#options)) {
      const t = batch.table.getChild(time);
      const p = batch.table.getChild(price);
      if (!t || !p) {
        throw new TypeError(
          `Cannot make bars as the table must have columns ${JSON.stringify(time)} and ${
            JSON.stringify(price)
          }: it has ${JSON.stringify(batch.table.schema.fields.map((f) => f.name))}`,
        );
      }
      const v = volume === undefined ? undefined : batch.table.getChild(volume);
      const k = by === undefined ? undefined : batch.table.getChild(by);
      for (let i = 0; i < batch.rows; i++) {
        const at = timeMs(t.get(i));
        const px = Number(p.get(i));
        if (!Number.isFinite(at) || !Number.isFinite(px)) continue;
        const start = Math.floor(at / this.#every) * this.#every;
        if (start + this.#every <= closedUpTo) {
          this.#late++;
          continue;
        }
        const key = k ? String(k.get(i)) : undefined;
        const id = `${start}\u0000${key ?? ""}`;
        const size = v ? Number(v.get(i)) : 1;
        const bar = open.get(id);
        if (!bar) {
          open.set(id, {
            key,
            start,
            end: start + this.#every,
            open: px,
            high: px,
            low: px,
            close: px,
            volume: size,
            count: 1,
          });
        } else {
          bar.high = Math.max(bar.high, px);
          bar.low = Math.min(bar.low, px);
          bar.close = px;
          bar.volume += size;
          bar.count++;
        }
        latest = Math.max(latest, at);
      }
      this.#watermark = latest - lateness;
      // Every window whose end the watermark passed is closed, whether it had ticks or not.
      closedUpTo = Math.max(closedUpTo, Math.floor(this.#watermark / this.#every) * this.#every);
      // Those with ticks are emitted, oldest first, then by key.
      const closing = [...open.values()].filter((bar) => bar.end <= this.#watermark)
        .sort((a, b) => a.end - b.end || (a.key ?? "").localeCompare(b.key ?? ""));
      for (const bar of closing) {
        open.delete(`${bar.start}\u0000${bar.key ?? ""}`);
        yield bar;
      }
    }
  }
}

/**
 * Continuous OHLCV bars of a live table (`ingest.follow()` underneath): each bar once its
 * window closes. `lateTicks` counts what came too late for its bar.
 */
export function liveBars(ingest: IngestClient, table: string, options: LiveBarsOptions): LiveBars {
  return new LiveBars(ingest, table, options);
}
