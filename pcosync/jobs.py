"""RQ entry points. They take ids only and call a service; the worker runs them inside the
app context (see `flask worker`)."""


def run_sync(run_id):
    from .services.runs.execute import execute_run

    return execute_run(run_id)


def process_webhook(delivery_row_id):
    from .services.webhooks.process import process_delivery

    return process_delivery(delivery_row_id)
