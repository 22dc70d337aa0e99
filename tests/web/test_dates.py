"""Pages write dates one way, through Babel: the LOCALE's format, in the church's TIMEZONE."""
from datetime import date, datetime, timezone

from pcosync.templating import format_date, format_datetime

MOMENT = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


def test_dates_follow_the_locale_and_the_church_s_time_zone(app):
    assert format_date(date(1992, 10, 21)) == "Oct 21, 1992"
    assert format_datetime(MOMENT).replace("\u202f", " ") == "Jan 2, 2026, 3:04 AM UTC"
    app.config.update(LOCALE="en_GB", TIMEZONE="America/Chicago")
    assert format_date(date(1992, 10, 21)) == "21 Oct 1992"
    assert format_datetime(MOMENT) == "1 Jan 2026, 21:04 CST"  # the day before, in Chicago
    assert format_datetime(MOMENT.replace(tzinfo=None)) == "1 Jan 2026, 21:04 CST"  # naive: UTC
    assert format_datetime(None) == format_date(None) == ""
