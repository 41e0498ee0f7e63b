"""Sign-off: signatories sign one revision; both sides on the same hash execute the agreement."""
