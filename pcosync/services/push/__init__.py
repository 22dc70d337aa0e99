"""Push to PCO: People, then Families, then Group Memberships (Full Push runs all three).

Each operation takes (client, progress) like the pulls do; the run machinery (one run at a
time, checkpoints, cancel, heartbeat) is shared with them in services/runs, whose kinds.py
declares which function runs for which kind.
"""
