"""HISTORY_DAYS: older changes are pruned; a person's history goes with the person; the revert
command previews without changing anything, then reverts."""
from datetime import timedelta

from sqlalchemy import func, select, update

from pcosync.extensions import db
from pcosync.models import ChangeSource, FieldChange, Person, utcnow
from pcosync.services.history.context import recording
from pcosync.services.history.retention import prune
from tests.factories import make_person
from tests.history.helpers import changes, finished_run
from tests.support import fresh


def count():
    return db.session.scalar(select(func.count()).select_from(FieldChange))


def test_changes_older_than_history_days_are_pruned(app):
    ann = make_person("Ann", "Lee")
    ann.nickname = "Annie"
    db.session.commit()
    old = changes(person_id=ann.id)[0]
    db.session.execute(update(FieldChange).where(FieldChange.id == old.id).values(
        changed_at=utcnow() - timedelta(days=app.config["HISTORY_DAYS"] + 1)))
    db.session.commit()
    assert prune() == 1
    assert [row.field for row in changes(person_id=ann.id)] == ["nickname"]


def test_a_persons_history_is_purged_with_the_person(app):
    ann = make_person("Ann", "Lee", medical_notes="Diabetic")
    bob = make_person("Bob", "Lee")
    db.session.delete(fresh(Person, ann.id))
    db.session.commit()
    assert changes(person_id=ann.id) == [] and count() == len(changes(person_id=bob.id)) == 1


def test_the_revert_command_previews_then_reverts(app):
    ann = make_person("Ann", "Lee", nickname="Nell")
    the_run = finished_run("Push People")  # to hold the changes below
    with recording(ChangeSource.PULL, run_id=the_run.id):
        fresh(Person, ann.id).nickname = "Oops"
        db.session.commit()
    cli = app.test_cli_runner()
    preview = cli.invoke(args=["pco", "revert", str(the_run.id), "--preview"])
    assert preview.exit_code == 0, preview.output
    assert "Reverts 1 field on 1 record" in preview.output
    assert fresh(Person, ann.id).nickname == "Oops"
    done = cli.invoke(args=["pco", "revert", str(the_run.id), "--yes", "--no-push"])
    assert done.exit_code == 0, done.output
    assert fresh(Person, ann.id).nickname == "Nell"
