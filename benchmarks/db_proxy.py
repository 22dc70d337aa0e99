"""A TCP proxy in front of PostgreSQL that delays each direction by a fixed latency, so a
benchmark on loopback pays what a round trip costs across a network (about a millisecond
between a Heroku dyno and its database).

    with LatencyProxy("127.0.0.1", 5432, latency_ms=1) as proxy:
        url = proxied_url(database_url, proxy.port)

Each byte is held `latency_ms` after it arrived, then passed on: the delay is latency, not a
cap on bandwidth (a reader thread keeps reading while a writer thread waits out each chunk's
time). A round trip (a statement and its answer) costs twice `latency_ms`.
"""
import queue
import socket
import threading
import time

CHUNK = 65536


class LatencyProxy:
    def __init__(self, target_host, target_port, latency_ms):
        self.target = (target_host, int(target_port))
        self.delay = latency_ms / 1000.0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self._closed = threading.Event()

    def __enter__(self):
        threading.Thread(target=self._accept, daemon=True, name="db-proxy").start()
        return self

    def __exit__(self, *_exc):
        self.close()

    def close(self):
        self._closed.set()
        self.listener.close()

    def _accept(self):
        while not self._closed.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            for sock in (client, server):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._pipe(client, server)
            self._pipe(server, client)

    def _pipe(self, source, sink):
        held = queue.Queue()
        threading.Thread(target=_read, args=(source, held), daemon=True).start()
        threading.Thread(target=_write, args=(sink, held, self.delay), daemon=True).start()


def _read(source, held):
    """Stamp each chunk with its arrival; None when the source closes."""
    try:
        while True:
            data = source.recv(CHUNK)
            if not data:
                break
            held.put((time.monotonic(), data))
    except OSError:
        pass
    held.put((time.monotonic(), None))


def _write(sink, held, delay):
    while True:
        arrived, data = held.get()
        wait = arrived + delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        try:
            if data is None:
                sink.shutdown(socket.SHUT_WR)
                return
            sink.sendall(data)
        except OSError:
            return


def proxied_url(database_url, port):
    """`database_url` (a SQLAlchemy URL) pointed at the proxy on loopback."""
    from sqlalchemy.engine import make_url

    return make_url(database_url).set(host="127.0.0.1", port=port).render_as_string(
        hide_password=False)
