"""Alerts and health: someone is told when sync stops, and monitors can ask whether it runs.

- notify: open a problem once (an atomic insert), resolve it once, tell people by email (and
  always the log).
- rules: when a run, the credentials, the worker or the webhook subscriptions make a problem.
- webhooks: the "webhooks look broken" rule a Quick Sync feeds.
- health: what /healthz and /healthz/sync answer, and the checks behind them.
"""
