"""Slowloris: hundreds of idle or trickling connections must not stop normal requests, and idle
connections are closed once the keep-alive idle timeout (75 s) has passed."""
import socket
import threading
import time

import pytest

from testkit import SeedServer, get_seed, post_seed

IDLE = 250          # connections that never send a byte
TRICKLING = 250     # connections that send a request header one byte every 2 s
IDLE_TIMEOUT = 75.0  # the server's keep-alive idle timeout (contract)
MARGIN = 20.0        # generous: the machine is shared


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


@pytest.mark.slow
def test_idle_and_trickling_connections_do_not_block_service():
    with SeedServer() as seed:
        idle = [_connect(seed.port) for _ in range(IDLE)]
        opened = time.monotonic()
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
        try:
            time.sleep(1.0)
            # Normal clients, each on a fresh connection, are served while all that goes on.
            for i in range(50):
                assert post_seed(seed.url, 1000 + i, timeout=5) == (200, str(1000 + i)), \
                    f"request {i} failed while {IDLE + TRICKLING} slow connections were open"
                assert get_seed(seed.url, timeout=5) == (200, str(1000 + i))
            assert not any(_closed_by_server(s) for s in idle), \
                "idle connections were closed long before the idle timeout"

            # The idle ones must be closed after the idle timeout, and not hang on forever.
            deadline = opened + IDLE_TIMEOUT + MARGIN
            while time.monotonic() < deadline:
                open_idle = [s for s in idle if not _closed_by_server(s)]
                if not open_idle:
                    break
                idle = open_idle
                time.sleep(1.0)
                # Service goes on during the wait.
                assert get_seed(seed.url, timeout=5)[0] == 200
            waited = time.monotonic() - opened
            still_open = [s for s in idle if not _closed_by_server(s)]
            assert not still_open, (f"{len(still_open)} of {IDLE} idle connections were still open "
                                    f"{waited:.0f} s after they were opened (idle timeout "
                                    f"{IDLE_TIMEOUT:.0f} s)")
            print(f"slowloris: {IDLE} idle connections closed after {waited:.1f} s; "
                  f"{TRICKLING} trickling open; 100 normal requests served")
            assert get_seed(seed.url, timeout=5) == (200, "1049")
        finally:
            stop.set()
            trickler.join(5)
            for s in idle + trickling:
                s.close()
