"""Negotiation: proposals, comment threads, turns, per-clause status and attributed redlines."""
