"""Persistence: SQLModel tables, the engine and sessions, writes and queries.

The only package in geokg that speaks SQL.
"""
