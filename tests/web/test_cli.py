from sqlalchemy import select

from pcosync.models import User


def test_users_create_with_password_option(app):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "new@example.org", "--role", "TECH_ADMIN",
              "--password", "long-enough-pass"])
    assert result.exit_code == 0, result.output
    user = app.extensions["sqlalchemy"].session.scalar(
        select(User).where(User.email == "new@example.org"))
    assert user.can("pco.manage") and user.check_password("long-enough-pass")


def test_users_create_prompts_for_password(app):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "p@example.org"], input="long-enough-pass\nlong-enough-pass\n")
    assert result.exit_code == 0, result.output
    assert "Created user p@example.org" in result.output


def test_users_create_refuses_unknown_role_and_short_password(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "x@example.org", "--role", "POPE",
                                 "--password", "long-enough-pass"])
    assert result.exit_code != 0 and "unknown role POPE" in result.output
    result = runner.invoke(args=["users", "create", "x@example.org", "--password", "short"])
    assert result.exit_code != 0 and "at least 10" in result.output


def test_first_run_creates_one_admin_and_prints_login(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["first-run"])
    assert "admin@example.org" in first.output and "password:" in first.output
    second = runner.invoke(args=["first-run"])
    assert "Users exist already" in second.output
