"""Likely duplicates among local people: the finder, its stored results and what an admin
does with them."""
