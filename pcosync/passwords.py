"""Password hashes: argon2id at OWASP's recommended strength (Password Storage Cheat Sheet:
19 MiB of memory, 2 iterations, 1 lane). It costs about 25 ms and 19 MiB per check; scrypt at
OWASP's N=2^17 would cost 128 MiB per check, which a few parallel logins on a small dyno
could not afford. Hashes made before (werkzeug's scrypt) still verify and are replaced at
the user's next login."""
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from werkzeug.security import check_password_hash

HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


def hash_password(password):
    return HASHER.hash(password)


def verify_password(stored, password):
    """(matches, needs_rehash): a hash of older parameters or method is due for replacement."""
    if not stored.startswith("$argon2"):
        return check_password_hash(stored, password), True
    try:
        HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False, False
    return True, HASHER.check_needs_rehash(stored)


@cache
def dummy_hash():
    return hash_password("not a password anyone has")


def spend_a_check(password):
    """The work of one real check, for an email with no account: a login must take as long
    whether or not the account exists."""
    verify_password(dummy_hash(), password)
