"""Leaving PCO, step by step: what exists only in PCO (the independence report), and a clean
disconnect. The kinds of data the report counts are a registry (kinds.py)."""
