"""Slowloris: hundreds of idle or trickling connections must not stop normal requests, and idle
connections are closed once the keep-alive idle timeout (75 s) has passed — not before an AWS ALB's
own 60 s, or the balancer would send requests on connections the server is closing."""
import selectors
import socket
import threading
import time

import pytest

from testkit import SeedServer, get_seed, post_seed

IDLE = 250          # connections that never send a byte
KEPT_ALIVE = 5      # connections that make one request, then stay idle (what an ALB keeps)
TRICKLING = 250     # connections that send a request header one byte every 2 s
IDLE_TIMEOUT = 75.0  # the server's keep-alive idle timeout (contract)
ALB_IDLE_TIMEOUT = 60.0  # an AWS ALB's default: ours must outlast it
MARGIN = 15.0        # generous: the machine is shared


def _connect(port: int) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.setblocking(False)
    return s


def _closed_by_server(s: socket.socket) -> bool:
    try:
        data = s.recv(4096)
    except BlockingIOError:
        return False
    except OSError:
        return True
    # A server may answer a timeout (408) before closing; then the next recv sees the close.
    return data == b"" or _closed_by_server(s)


def _kept_alive(port: int) -> socket.socket:
    """A connection that made one request and read its answer; then it idles."""
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    answer = b""
    while b"\r\n\r\n" not in answer or not answer.split(b"\r\n\r\n", 1)[1]:
        chunk = s.recv(4096)
        assert chunk, "closed instead of answering"
        answer += chunk
    assert answer.startswith(b"HTTP/1.1 200"), answer[:100]
    s.setblocking(False)
    return s


@pytest.mark.slow
def test_idle_and_trickling_connections_do_not_block_service():
    with SeedServer() as seed:
        # When each connection last heard from the server: its idle time starts there.
        quiet_since = {}
        idle = []
        for _ in range(IDLE):
            s = _connect(seed.port)
            quiet_since[s] = time.monotonic()
            idle.append(s)
        kept = []
        for _ in range(KEPT_ALIVE):
            s = _kept_alive(seed.port)
            quiet_since[s] = time.monotonic()
            kept.append(s)
        trickling = [_connect(seed.port) for _ in range(TRICKLING)]
        header = b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 12\r\nX-Pad: " + b"a" * 200
        stop = threading.Event()

        def trickle() -> None:
            position = 0
            while not stop.is_set() and position < len(header):
                for s in trickling:
                    try:
                        s.send(header[position:position + 1])
                    except OSError:
                        pass  # the server closed it: allowed
                position += 1
                stop.wait(2.0)

        trickler = threading.Thread(target=trickle, daemon=True)
        trickler.start()
        watcher = selectors.DefaultSelector()
        try:
            time.sleep(1.0)
            # Normal clients, each on a fresh connection, are served while all that goes on.
            for i in range(50):
                assert post_seed(seed.url, 1000 + i, timeout=5) == (200, str(1000 + i)), \
                    f"request {i} failed while {IDLE + TRICKLING} slow connections were open"
                assert get_seed(seed.url, timeout=5) == (200, str(1000 + i))
            assert not any(_closed_by_server(s) for s in idle + kept), \
                "idle connections were closed long before the idle timeout"

            # Watch every quiet connection and note when the server closes it: the idle timeout
            # is measured, from both sides, and nothing may hang on forever.
            for s in idle + kept:
                watcher.register(s, selectors.EVENT_READ)
            idle_for = {}
            deadline = max(quiet_since.values()) + IDLE_TIMEOUT + MARGIN
            next_probe = time.monotonic() + 1.0
            while len(idle_for) < len(quiet_since) and time.monotonic() < deadline:
                for key, _ in watcher.select(timeout=0.2):
                    s = key.fileobj
                    if _closed_by_server(s):
                        idle_for[s] = time.monotonic() - quiet_since[s]
                        watcher.unregister(s)
                if time.monotonic() >= next_probe:
                    # Service goes on during the wait.
                    assert get_seed(seed.url, timeout=5)[0] == 200
                    next_probe = time.monotonic() + 1.0
            still_open = len(quiet_since) - len(idle_for)
            assert not still_open, (f"{still_open} of {len(quiet_since)} idle connections were still "
                                    f"open {IDLE_TIMEOUT + MARGIN:.0f} s after they went quiet "
                                    f"(idle timeout {IDLE_TIMEOUT:.0f} s)")
            shortest, longest = min(idle_for.values()), max(idle_for.values())
            shortest_kept = min(idle_for[s] for s in kept)
            assert shortest >= ALB_IDLE_TIMEOUT + 0.5, \
                (f"an idle connection was closed after {shortest:.1f} s, not longer than an ALB's "
                 f"{ALB_IDLE_TIMEOUT:.0f} s: the ALB would send requests on connections being closed")
            assert longest <= IDLE_TIMEOUT + MARGIN
            print(f"slowloris: {IDLE} idle and {KEPT_ALIVE} kept-alive connections closed after "
                  f"{shortest:.1f}-{longest:.1f} s idle (kept-alive from {shortest_kept:.1f} s); "
                  f"{TRICKLING} trickling open; 100 normal requests served")
            assert get_seed(seed.url, timeout=5) == (200, "1049")
        finally:
            stop.set()
            trickler.join(5)
            watcher.close()
            for s in idle + kept + trickling:
                s.close()
