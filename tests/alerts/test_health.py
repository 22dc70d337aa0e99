"""/healthz and /healthz/sync: JSON, no login; the liveness of the web process apart from the
sync's health. (With a real worker running: tests/reliability/test_health_worker.py.)"""
from pcosync.models import Alert
from pcosync.extensions import db


def test_liveness_is_ok_and_the_sync_unwell_without_a_worker(client, app):
    live = client.get("/healthz")
    assert live.status_code == 200
    assert live.json == {"status": "ok", "ok": True, "checks": {
        "database": {"ok": True}, "redis": {"ok": True}}}
    sync = client.get("/healthz/sync")
    assert sync.status_code == 503
    checks = sync.json["checks"]
    assert checks["worker"] == {"ok": False, "heartbeat_age_seconds": None,
                                "max_age_seconds": 300}
    assert checks["credentials"] == {"ok": True}
    assert checks["full_sync"] == {"ok": True, "age_seconds": None}
    assert db.session.query(Alert).filter_by(problem="worker").count() == 1  # alerts go to log


def test_liveness_fails_when_redis_is_down(client, app):
    app.config["REDIS_URL"] = "redis://127.0.0.1:9/0"
    app.extensions.pop("pcosync_redis", None)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["checks"]["redis"] == {"ok": False}


def test_the_test_alert_button_without_mail_writes_to_the_log(admin_client, caplog):
    from tests.support import csrf_token

    response = admin_client.post("/sync/alerts/test", headers={"Accept": "application/json"},
                                 data={"csrf_token": csrf_token(admin_client, "/sync/")})
    assert response.status_code == 200
    assert "log only" in response.json["message"]
    assert any("alert test" in record.getMessage() for record in caplog.records)


def test_the_test_alert_button_sends_through_smtp(admin_client, inbox):
    from tests.support import csrf_token

    response = admin_client.post("/sync/alerts/test", headers={"Accept": "application/json"},
                                 data={"csrf_token": csrf_token(admin_client, "/sync/")})
    assert response.status_code == 200, response.json
    assert "[pcosync] Test alert" in inbox.subjects


def test_the_test_alert_needs_csrf(admin_client):
    assert admin_client.post("/sync/alerts/test").status_code == 400


def test_flask_pco_alerts_test(app, inbox):
    result = app.test_cli_runner().invoke(args=["pco", "alerts", "test"])
    assert result.exit_code == 0, result.output
    assert "Test alert sent to treasurer@church.example" in result.output
    assert inbox.subjects == ["[pcosync] Test alert"]


def test_the_mail_password_never_reaches_the_log(app, caplog):
    import logging

    from pcosync.logs import SecretMaskFilter, configured_secrets

    app.config["MAIL_PASSWORD"] = "smtp-pass-7781"
    record = logging.LogRecord("pcosync.alerts", logging.ERROR, __file__, 1,
                               "login failed with %s", ("smtp-pass-7781",), None)
    SecretMaskFilter(configured_secrets(app.config)).filter(record)
    assert "smtp-pass-7781" not in record.getMessage()
