# Copy to instance/config.py (git-ignored) and fill in. Environment variables win over this file.
# SECRET_KEY = "run: python -c 'import secrets; print(secrets.token_hex(32))'"
# DATABASE_URL = "postgresql+psycopg://user@localhost:5432/pcosync"   # default: SQLite in instance/
# REDIS_URL = "redis://localhost:6379/0"                              # default: bundled Redis
# PCO_APP_ID = "..."            # PlanningCenter:AppId  (Personal Access Token application id)
# PCO_SECRET = "..."            # PlanningCenter:Secret
# PCO_WEBHOOK_SECRET = "..."    # PlanningCenter:WebhookSecret; several allowed, comma-separated
# PUBLIC_BASE_URL = "https://church.example.org"   # used for the webhook URL shown on the Sync page
# TRUSTED_PROXIES = 1           # proxies in front of the app (Heroku's router: 1); default 0
# PCO_ORGANIZATION_ID = "..."   # webhooks from other organizations are refused; default: the
#                               # organization the last Test Connection reached
# SYNC_GUARD_PERCENT = 25       # a pull or push changing more than this % of records stops for
#                               # a human ("Run anyway" to go on); 100 turns the guard off
