"""Pull from PCO: People, then Families, then Groups; and Quick Sync, the changes since its
cursors. Work is committed page by page, so a crash loses at most a page and a re-run
converges. Which function runs for which kind is declared in services/runs/kinds.py."""
