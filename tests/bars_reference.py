"""OHLCV bars with Python Polars, the reference of tests/bars_test.ts.

Reads one JSON object from stdin: {"input": ticks.parquet, "output": bars.parquet,
"options": the ohlcv() options}. Writes the bars to "output": group_by_dynamic (start_by
"window") with the same aggregations, then upsample per symbol and the fill, as Polars users
write it by hand (ticks without bars give no bars).
"""

import json
import sys

import polars as pl


def bars(ticks: pl.DataFrame, o: dict) -> pl.DataFrame:
    index, price, volume = o["index"], o["price"], o.get("volume")
    by = o.get("by") or []
    by = [by] if isinstance(by, str) else by
    if o.get("timeZone"):
        ticks = ticks.with_columns(pl.col(index).dt.convert_time_zone(o["timeZone"]))
    ticks = ticks.sort([*by, index], maintain_order=True)
    aggs = [
        pl.col(price).first().alias("open"),
        pl.col(price).max().alias("high"),
        pl.col(price).min().alias("low"),
        pl.col(price).last().alias("close"),
    ]
    names = ["open", "high", "low", "close"]
    if volume:
        aggs.append(pl.col(volume).sum().alias("volume"))
        names.append("volume")
        if o.get("vwap", True):
            aggs.append((pl.col(price) * pl.col(volume)).sum().truediv(pl.col(volume).sum()).alias("vwap"))
            names.append("vwap")
    if o.get("count", True):
        aggs.append(pl.len().alias("count"))
        names.append("count")
    out = ticks.group_by_dynamic(
        index,
        every=o["every"],
        period=o.get("period"),
        offset=o.get("offset"),
        closed=o.get("closed", "left"),
        label=o.get("label", "left"),
        group_by=by or None,
        start_by="window",
    ).agg(aggs)
    order = [*by, index]
    out = out.select(*order, *names).sort(order, maintain_order=True)
    fill = o.get("fill", "none")
    # upsample refuses a frame without bars ("cannot determine upsample boundaries"): no
    # bars, nothing to fill.
    if fill == "none" or out.is_empty():
        return out
    out = out.upsample(index, every=o["every"], group_by=by or None, maintain_order=True)
    out = out.sort(order, maintain_order=True)
    fills = []
    if volume:
        fills.append(pl.col("volume").fill_null(0))
    if o.get("count", True):
        fills.append(pl.col("count").fill_null(0))
    if fill != "null":
        close = pl.col("close").forward_fill() if fill == "previous_close" else pl.col("close").interpolate()
        if by:
            close = close.over(by)
        fills.append(close.alias("close"))
        fills += [pl.col(n).fill_null(close).alias(n) for n in ("open", "high", "low")]
    return out.with_columns(fills).select(*order, *names)


def main() -> None:
    request = json.load(sys.stdin)
    bars(pl.read_parquet(request["input"]), request["options"]).write_parquet(request["output"])


if __name__ == "__main__":
    main()
