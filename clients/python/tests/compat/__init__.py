"""Compatibility cases: one query text per Python Polars member, run in-process and through
Polaroid (tools/compat.py measures them into docs/compat-python.md)."""
