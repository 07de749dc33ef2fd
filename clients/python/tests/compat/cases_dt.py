"""Compatibility cases of ``Expr.dt`` members, on ``mixed.d`` (dates), ``mixed.t``
(datetimes in microseconds, naive) and ``mixed.tz`` (milliseconds, America/New_York, across
the DST switch)."""

from __future__ import annotations

import datetime as dt

from tests.compat.case import Case, Query
from tests.compat.cases_expr import select

DT: dict[str, Query | Case] = {
    "Expr.dt.add_business_days": select(lambda m: m.col("d").dt.add_business_days(3, roll="forward")),
    "Expr.dt.base_utc_offset": select(lambda m: m.col("tz").dt.base_utc_offset()),
    "Expr.dt.cast_time_unit": select(lambda m: m.col("t").dt.cast_time_unit("ms")),
    "Expr.dt.century": select(lambda m: m.col("d").dt.century()),
    "Expr.dt.combine": select(lambda m: m.col("d").dt.combine(dt.time(12, 30))),
    "Expr.dt.convert_time_zone": select(lambda m: m.col("tz").dt.convert_time_zone("Europe/Paris")),
    "Expr.dt.date": select(lambda m: [m.col("t").dt.date(), m.col("tz").dt.date().alias("local")]),
    "Expr.dt.day": select(lambda m: [m.col("d").dt.day(), m.col("tz").dt.day().alias("tzd")]),
    "Expr.dt.days_in_month": select(lambda m: m.col("d").dt.days_in_month()),
    "Expr.dt.dst_offset": select(lambda m: m.col("tz").dt.dst_offset()),
    "Expr.dt.epoch": select(lambda m: [m.col("t").dt.epoch(), m.col("tz").dt.epoch().alias("tze")]),
    "Expr.dt.epoch:time_unit": select(lambda m: [m.col("t").dt.epoch("s"), m.col("d").dt.epoch("d").alias("days")]),
    "Expr.dt.hour": select(lambda m: [m.col("t").dt.hour(), m.col("tz").dt.hour().alias("tzh")]),
    "Expr.dt.is_business_day": select(lambda m: m.col("d").dt.is_business_day()),
    "Expr.dt.is_leap_year": select(lambda m: m.col("d").dt.is_leap_year()),
    "Expr.dt.iso_year": select(lambda m: m.col("d").dt.iso_year()),
    "Expr.dt.microsecond": select(lambda m: m.col("t").dt.microsecond()),
    "Expr.dt.millennium": select(lambda m: m.col("d").dt.millennium()),
    "Expr.dt.millisecond": select(lambda m: m.col("t").dt.millisecond()),
    "Expr.dt.minute": select(lambda m: m.col("t").dt.minute()),
    "Expr.dt.month": select(lambda m: m.col("d").dt.month()),
    "Expr.dt.month_end": select(lambda m: [m.col("d").dt.month_end(), m.col("t").dt.month_end().alias("te")]),
    "Expr.dt.month_start": select(lambda m: [m.col("d").dt.month_start(), m.col("tz").dt.month_start().alias("ts")]),
    "Expr.dt.nanosecond": select(lambda m: m.col("t").dt.nanosecond()),
    "Expr.dt.offset_by": select(
        lambda m: [m.col("t").dt.offset_by("1d2h"), m.col("d").dt.offset_by("-1mo").alias("dm")]
    ),
    "Expr.dt.offset_by:time_zone": select(
        lambda m: [m.col("tz").dt.offset_by("1d"), m.col("tz").dt.offset_by("3h").alias("h")]
    ),
    "Expr.dt.ordinal_day": select(lambda m: m.col("d").dt.ordinal_day()),
    "Expr.dt.quarter": select(lambda m: m.col("d").dt.quarter()),
    "Expr.dt.replace": select(lambda m: m.col("t").dt.replace(minute=0, second=5)),
    "Expr.dt.replace_time_zone": select(lambda m: m.col("t").dt.replace_time_zone("Asia/Tokyo")),
    "Expr.dt.round": select(lambda m: [m.col("t").dt.round("1h"), m.col("d").dt.round("1mo").alias("dm")]),
    "Expr.dt.second": select(lambda m: m.col("t").dt.second()),
    "Expr.dt.second:fractional": select(lambda m: m.col("t").dt.second(fractional=True)),
    "Expr.dt.strftime": select(
        lambda m: [m.col("t").dt.strftime("%Y-%m-%d %H:%M"), m.col("d").dt.strftime("%a %d %b")]
    ),
    "Expr.dt.strftime:time_zone": select(lambda m: m.col("tz").dt.strftime("%Y-%m-%d %H:%M %Z %z")),
    "Expr.dt.time": select(lambda m: m.col("t").dt.time()),
    "Expr.dt.timestamp": select(lambda m: [m.col("t").dt.timestamp("ms"), m.col("d").dt.timestamp().alias("dus")]),
    "Expr.dt.to_string": select(lambda m: m.col("t").dt.to_string("%H:%M")),
    "Expr.dt.total_days": select(lambda m: (m.col("t") - m.col("t").min()).dt.total_days()),
    "Expr.dt.total_hours": select(lambda m: (m.col("t") - m.col("t").min()).dt.total_hours()),
    "Expr.dt.total_microseconds": select(lambda m: (m.col("t") - m.col("t").min()).dt.total_microseconds()),
    "Expr.dt.total_milliseconds": select(lambda m: (m.col("t") - m.col("t").min()).dt.total_milliseconds()),
    "Expr.dt.total_minutes": select(lambda m: (m.col("t") - m.col("t").min()).dt.total_minutes()),
    "Expr.dt.total_nanoseconds": select(lambda m: (m.col("t") - m.col("t").min()).dt.total_nanoseconds()),
    "Expr.dt.total_seconds": select(lambda m: (m.col("t") - m.col("t").min()).dt.total_seconds()),
    "Expr.dt.total_seconds:fractional": select(
        lambda m: (m.col("t") - m.col("t").min()).dt.total_seconds(fractional=True)
    ),
    "Expr.dt.truncate": select(lambda m: [m.col("t").dt.truncate("1h"), m.col("d").dt.truncate("1w").alias("dw")]),
    "Expr.dt.truncate:time_zone": select(
        lambda m: [m.col("tz").dt.truncate("1d"), m.col("tz").dt.truncate("1mo").alias("m")]
    ),
    "Expr.dt.week": select(lambda m: m.col("d").dt.week()),
    "Expr.dt.weekday": select(lambda m: [m.col("d").dt.weekday(), m.col("tz").dt.weekday().alias("tzw")]),
    "Expr.dt.year": select(lambda m: [m.col("d").dt.year(), m.col("t").dt.year().alias("ty")]),
}
