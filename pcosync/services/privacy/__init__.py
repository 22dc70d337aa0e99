"""A person's data on request: export everything held about one person (export.py), and erase
them here and, when asked, in PCO (erase.py). What counts as their data is one registry
(kinds.py); the erasure record that keeps them from coming back is read by rules/erasures.py."""
