"""Exports: the agreement as Word (clean, redline, signed) and as a terms file.

Renderers here take plain data (export.records) and return bytes or dicts; they do
not touch the database. Gathering that data for a stored agreement is
export.gather's job.
"""
