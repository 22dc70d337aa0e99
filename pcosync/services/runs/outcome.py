"""A run's result in one sentence, as the Sync page's "last run" line and its running panel say
it when the run ends ("Sync People finished: 3 created, 12 updated, 40 unchanged.")."""
from ...models import RunStatus
from . import kinds


def kind_label(run):
    """The run's button name ("Sync People"), or the stored kind for one no longer declared."""
    kind = kinds.find(run.kind)
    return kind.label if kind else str(run.kind)


def counts_phrase(run, *, preview=False):
    parts = [f"{run.created_count} {'to create' if preview else 'created'}",
             f"{run.updated_count} {'to update' if preview else 'updated'}",
             f"{run.skipped_count} unchanged"]
    if run.failed_count:
        parts.append(f"{run.failed_count} failed")
    return ", ".join(parts)


def sentence(run):
    """What happened, in words an admin reads at a glance."""
    name = f"Preview of {kind_label(run)}" if run.preview else kind_label(run)
    if run.status == RunStatus.RUNNING:
        return f"{name} is running."
    if run.status == RunStatus.SKIPPED:
        return f"{name} did not start: another run was going."
    if run.status == RunStatus.CANCELLED:
        return f"{name} was cancelled after {counts_phrase(run)}."
    if run.status == RunStatus.FAILED:
        return f"{name} failed: {first_line(run.error) or 'see the run for why'}."
    if run.needs_review:
        return f"{name} stopped before writing anything: it needs a look before it runs."
    if run.preview:
        would = counts_phrase(run, preview=True)
        return f"{name} finished: nothing was written; it would find {would}."
    return f"{name} finished: {counts_phrase(run)}."


def first_line(text):
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line.rstrip(".")[:200]
