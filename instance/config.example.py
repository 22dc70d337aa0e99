# Copy to instance/config.py (git-ignored) and fill in. Environment variables win over this file.
# SECRET_KEY = "run: python -c 'import secrets; print(secrets.token_hex(32))'"
# DATABASE_URL = "postgresql+psycopg://user@localhost:5432/pcosync"   # default: SQLite in instance/
# REDIS_URL = "redis://localhost:6379/0"                              # default: bundled Redis
# PCO_APP_ID = "..."            # PlanningCenter:AppId  (Personal Access Token application id)
# PCO_SECRET = "..."            # PlanningCenter:Secret
# PCO_WEBHOOK_SECRET = "..."    # PlanningCenter:WebhookSecret; several allowed, comma-separated
# PUBLIC_BASE_URL = "https://church.example.org"   # used for the webhook URL shown on the Sync page
