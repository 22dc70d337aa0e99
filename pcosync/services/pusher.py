"""Push to PCO (filled in by the push issue)."""

PUSHERS = {}
