"""Periodic reviews of a signed agreement: the review schedule and service-level measurements."""
