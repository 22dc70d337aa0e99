"""Directory fixtures: a user who may log in but not see the directory."""
import pytest

from tests import support


@pytest.fixture
def viewer_client(client):
    """Logged in, but without people.manage."""
    user = support.make_user("viewer@example.org", "VIEWER")
    support.login(client, user.email)
    return client
