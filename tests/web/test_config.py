import pytest

from pcosync import create_app
from pcosync.config import ConfigError, webhook_secrets


def write_instance_config(monkeypatch, tmp_path, text):
    (tmp_path / "config.py").write_text(text)
    monkeypatch.setattr("flask.Flask.auto_find_instance_path", lambda self: str(tmp_path))


@pytest.fixture
def clean_env(monkeypatch):
    for name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "PCO_APP_ID", "PCO_SECRET",
                 "PCO_WEBHOOK_SECRET", "PCO_API_URL"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_precedence_defaults_instance_env_test_config(clean_env, tmp_path):
    write_instance_config(clean_env, tmp_path,
                          'SECRET_KEY = "from-file"\nPCO_APP_ID = "file-id"\n'
                          'PCO_SECRET = "file-secret"\nPCO_API_URL = "http://file"\n')
    clean_env.setenv("PCO_APP_ID", "env-id")
    clean_env.setenv("PCO_SECRET", "env-secret")
    app = create_app({"PCO_SECRET": "test-secret"})
    assert app.config["SECRET_KEY"] == "from-file"          # instance file over default
    assert app.config["PCO_API_URL"] == "http://file"
    assert app.config["PCO_APP_ID"] == "env-id"             # environment over file
    assert app.config["PCO_SECRET"] == "test-secret"        # test_config over environment
    assert app.config["PCO_TIMEOUT"] == 30.0                 # default kept


def test_defaults_point_at_instance_folder(clean_env, tmp_path):
    write_instance_config(clean_env, tmp_path, 'SECRET_KEY = "k"\n')
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/pcosync.db"
    assert app.config["REDIS_URL"] == f"unix://{tmp_path}/redis.sock"
    assert app.config["PCO_API_URL"] == "https://api.planningcenteronline.com"


def test_production_without_secret_key_refuses_to_start(clean_env, tmp_path):
    write_instance_config(clean_env, tmp_path, "")
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        create_app()


def test_testing_without_secret_key_gets_a_throwaway_one(clean_env, tmp_path):
    write_instance_config(clean_env, tmp_path, "")
    assert create_app({"TESTING": True}).config["SECRET_KEY"]


def test_heroku_postgres_url_gets_a_driver(clean_env, tmp_path):
    write_instance_config(clean_env, tmp_path, 'SECRET_KEY = "k"\n')
    clean_env.setenv("DATABASE_URL", "postgres://u:p@db.example:5432/church")
    app = create_app()
    expected = "postgresql+psycopg://u:p@db.example:5432/church"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == expected


def test_several_webhook_secrets_are_comma_separated():
    assert webhook_secrets({"PCO_WEBHOOK_SECRET": " a1 , b2,, "}) == ["a1", "b2"]
    assert webhook_secrets({"PCO_WEBHOOK_SECRET": None}) == []
