"""Numbers from forms and payloads are bounded before any conversion: a few bytes must never
hold a web worker (int() of Decimal("1e1000000") took 31 s of CPU), and an integer larger than
its column answers a clear refusal or is clamped, never a 500."""
import time

import pytest

from pcosync.models import Family, FieldDefinition, Group
from pcosync.models.numbers import NumberError, bounded_decimal, bounded_int, clamp
from pcosync.services.directory.common import page_number
from pcosync.services.runs.schedules import ScheduleError, _quick_sync_seconds
from tests.directory.custom_field_helpers import church_fields, member_with_values, rows_of
from tests.directory.test_custom_fields import as_shown, post_form
from tests.directory.helpers import text_of
from tests.factories import make_group, one_of_everything
from tests.support import csrf_token, fresh


@pytest.mark.parametrize("text", ["1e1000000", "1e300000", "1.5e1000000", "-1e400",
                                  "1e-1000000", "1" * 40, "0." + "0" * 40 + "1"])
def test_huge_and_tiny_numbers_are_refused_at_once(text):
    number = FieldDefinition(name="Years serving", data_type="number")
    started = time.process_time()
    with pytest.raises(ValueError, match="out of range"):
        number.clean(text)
    assert time.process_time() - started < 0.5


@pytest.mark.parametrize("text, stored", [("4", "4"), ("2.50", "2.5"), ("1e3", "1000"),
                                          ("-0.125", "-0.125"), ("1e30", "1" + "0" * 30)])
def test_ordinary_numbers_are_stored_as_before(text, stored):
    assert FieldDefinition(name="n", data_type="number").clean(text) == stored


@pytest.mark.parametrize("text", ["²", "¹⁵", "٣", "1_000", "0x10", "NaN", "Infinity", " "])
def test_only_ascii_numbers_are_numbers(text):
    with pytest.raises(NumberError):
        bounded_decimal(text) if text.strip() else bounded_int(text, 0, 10)


def test_integers_are_bounded_and_clamped():
    assert bounded_int(" 42 ", 1, 100) == 42
    for value in ["101", "9" * 30, "²", True, None, 2**64]:
        with pytest.raises(NumberError):
            bounded_int(value, 1, 100)
    assert clamp(2**64) == 2**31 - 1 and clamp(-2**64) == -2**31 and clamp(7) == 7


def test_a_huge_page_number_is_page_one():
    assert page_number("9" * 30) == 1 and page_number("²") == 1 and page_number("3") == 3


@pytest.mark.parametrize("minutes", ["²", "¹⁵", "9" * 40, "-5"])
def test_schedule_minutes_in_unicode_digits_are_a_clear_error(minutes):
    with pytest.raises(ScheduleError, match="whole number of minutes"):
        _quick_sync_seconds({"quick_sync_minutes": minutes})


def test_a_staff_user_saving_a_huge_number_gets_a_message_and_nothing_saved(app, admin_client):
    fields = church_fields()
    ann = member_with_values(fields)
    started = time.monotonic()
    response = post_form(admin_client, ann, as_shown(fields, **{"Years serving": "1e1000000"}))
    assert time.monotonic() - started < 5
    assert response.status_code == 422
    assert "Nothing was saved" in text_of(response)
    assert "out of range" in text_of(response)
    assert [value for value, _ in rows_of(ann, fields["Years serving"])] == ["4"]


def test_a_department_id_past_the_integer_is_a_form_error(admin_client):
    """Found by the long fuzz profile: SQLite's OverflowError on the department's look-up."""
    group = make_group("Choir")
    token = csrf_token(admin_client, f"/directory/groups/{group.id}/edit")
    for path in (f"/directory/groups/{group.id}/edit", "/directory/groups/new"):
        response = admin_client.post(path, data={"name": "Choir", "department_id": str(2**64),
                                                 "csrf_token": token})
        assert response.status_code == 422, path
    assert fresh(Group, group.id).department.name == "Music"


def test_a_graduation_year_or_a_person_past_the_integer_is_a_form_error(admin_client):
    """Found by the long fuzz profile: WTForms' NumberRange raised OverflowError (a 500) on a
    400-digit graduation year."""
    ids, _ = one_of_everything()
    token = csrf_token(admin_client, "/")
    year = admin_client.post(f"/directory/people/{ids['person_id']}/edit", data={
        "first_name": "Ann", "last_name": "Lee", "status": "active", "graduation_year": "9" * 400,
        "csrf_token": token})
    assert year.status_code == 422
    for person_id in (str(2**64), "٣"):
        member = admin_client.post(f"/directory/families/{ids['family_id']}/members", data={
            "person_id": person_id, "role": "adult", "csrf_token": token})
        assert member.status_code < 500
        assert len(fresh(Family, ids["family_id"]).members) == 1
