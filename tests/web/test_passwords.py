"""Passwords are hashed with argon2id at OWASP's recommended strength; a hash made before
(werkzeug's scrypt, or argon2 of lower strength) is replaced at the user's next login."""
from argon2 import PasswordHasher
from werkzeug.security import generate_password_hash

from pcosync import passwords
from pcosync.auth import service
from pcosync.extensions import db
from tests.support import PASSWORD, make_user

OWASP = "$argon2id$v=19$m=19456,t=2,p=1$"


def test_new_hashes_are_argon2id_at_owasps_parameters(admin):
    assert admin.password_hash.startswith(OWASP)
    assert PASSWORD not in admin.password_hash
    assert passwords.verify_password(admin.password_hash, PASSWORD) == (True, False)
    assert passwords.verify_password(admin.password_hash, "wrong") == (False, False)


def with_hash(user, stored):
    user.password_hash = stored
    db.session.commit()
    return user


def test_an_old_scrypt_hash_is_upgraded_at_the_next_login(app):
    user = with_hash(make_user("old@example.org", "STAFF"),
                     generate_password_hash(PASSWORD, method="scrypt:32768:8:1"))
    assert service.authenticate(user.email, "wrong") is None
    db.session.expire_all()
    assert user.password_hash.startswith("scrypt:")  # a failed login changes nothing
    assert service.authenticate(user.email, PASSWORD) is not None
    db.session.expire_all()
    assert user.password_hash.startswith(OWASP)
    assert service.authenticate(user.email, PASSWORD) is not None


def test_a_weaker_argon2_hash_is_upgraded_too(app):
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(PASSWORD)
    user = with_hash(make_user("weak@example.org", "STAFF"), weak)
    assert service.authenticate(user.email, PASSWORD) is not None
    db.session.expire_all()
    assert user.password_hash.startswith(OWASP)
