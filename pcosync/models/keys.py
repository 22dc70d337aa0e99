"""Normal forms used for matching and search: case-, space- and accent-insensitive."""
import re

from unidecode import unidecode


def email_key(address):
    return (address or "").strip().lower()


def name_part(value):
    """'  Zoë ' -> 'zoe'; '李' -> its transliteration, so non-Latin names still compare."""
    return " ".join(unidecode(value or "").casefold().split())


def name_key(first_name, last_name):
    return f"{name_part(first_name)} {name_part(last_name)}".strip()


def phone_digits(number):
    return re.sub(r"\D", "", number or "")
