"""A TCP proxy in front of PostgreSQL that delays each direction by a fixed latency, so a
benchmark on loopback pays what a round trip costs across a network (about a millisecond
between a Heroku dyno and its database).

    with LatencyProxy("127.0.0.1", 5432, latency_ms=1) as proxy:
        url = proxied_url(database_url, proxy.port)

Each byte is held `latency_ms` after it arrived, then passed on: the delay is latency, not a
cap on bandwidth (a reader thread keeps reading while a writer thread waits out each chunk's
time). A round trip (a statement and its answer) costs twice `latency_ms`.

Benchmarks run it in a process of its own (`proxy_process`), as a network is: in the process
measured, its threads waited for the GIL behind the code being measured, and a round trip at
1 ms each way cost about 4 ms.

Run alone, it checks itself: `SELECT 1` on PostgreSQL directly and through the proxy

    .venv/bin/python -m benchmarks.db_proxy [--latency-ms 1] [--statements 200] [--json]
"""
import contextlib
import queue
import socket
import subprocess
import sys
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


@contextlib.contextmanager
def proxy_process(target_host, target_port, latency_ms):
    """A LatencyProxy in a process of its own (see above); yields the port it listens on."""
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.db_proxy", "--serve", f"{target_host}:{target_port}",
         "--latency-ms", str(latency_ms)], stdout=subprocess.PIPE, text=True)
    try:
        yield int(process.stdout.readline().split()[-1])
    finally:
        process.terminate()
        process.wait()


def serve(target, latency_ms):
    """--serve: proxy until terminated, after printing the port."""
    host, port = target.rsplit(":", 1)
    with LatencyProxy(host, int(port), latency_ms) as proxy:
        print(f"listening on {proxy.port}", flush=True)
        threading.Event().wait()


def proxied_url(database_url, port):
    """`database_url` (a SQLAlchemy URL) pointed at the proxy on loopback."""
    from sqlalchemy.engine import make_url

    return make_url(database_url).set(host="127.0.0.1", port=port).render_as_string(
        hide_password=False)


def select_one_ms(url, statements):
    """Median milliseconds of `SELECT 1` over one connection."""
    import statistics

    import psycopg

    with psycopg.connect(url) as conn:
        conn.execute("SELECT 1")
        times = []
        for _ in range(statements):
            started = time.perf_counter()
            conn.execute("SELECT 1").fetchone()
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main():
    from benchmarks.harness import argument_parser, print_figures

    parser = argument_parser("The latency proxy checked: SELECT 1 directly and through it.")
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--latency-ms", type=float, default=1.0)
    parser.add_argument("--statements", type=int, default=200)
    parser.add_argument("--serve", metavar="HOST:PORT",
                        help="only proxy to HOST:PORT until terminated (proxy_process)")
    args = parser.parse_args()
    if args.serve:
        return serve(args.serve, args.latency_ms)
    direct = select_one_ms(args.database_url, args.statements)
    with proxy_process("127.0.0.1", 5432, args.latency_ms) as port:
        proxied = select_one_ms(proxied_url(args.database_url, port), args.statements)
    print(f"SELECT 1, median of {args.statements}: {direct:.2f} ms directly, {proxied:.2f} ms "
          f"through the proxy at {args.latency_ms:g} ms each way (expected about "
          f"{direct + 2 * args.latency_ms:.2f} ms)")
    print_figures(args, {"select_one_direct_ms": round(direct, 3),
                         "select_one_proxied_ms": round(proxied, 3),
                         "proxy_latency_ms": args.latency_ms})


if __name__ == "__main__":
    main()
