"""The systems `make bench` measures, each started on a free loopback port.

One Redis serves every Redis-backed system, with persistence off: the bench measures the
servers, not the disk (the local stack runs Redis with appendfsync always)."""
import os
import shutil
import socket
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Tuple

from .http_probe import wait_for_200
from .processes import ProcessSet

BENCH_DIR = Path(__file__).resolve().parents[1]
TEMPLATES = BENCH_DIR / "templates"
REFERENCE_APP = BENCH_DIR / "reference_app"


@dataclass(frozen=True)
class System:
    key: str                   # stable id used in results.json and for ratios
    label: str                 # what the table and the chart call it
    port: int
    methods: Tuple[str, ...]   # nginx serves a file: GET only


# Keys the report relies on.
SEED_MEMORY, SEED_REDIS, LB_SEED = "seed-memory", "seed-redis", "haproxy-seed-redis"
NGINX, LB_NGINX = "nginx-static", "haproxy-nginx"
FLASK_DEV, GUNICORN = "flask-dev", "gunicorn-redis-py"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def child_env(**extra: str) -> dict:
    """The environment minus settings that would override the command line of a child."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("REDIS_URL", "PORT", "INSTANCE_NAME", "SEEDKEEPER_BACKEND", "LOG_LEVEL")}
    env.update(extra)
    return env


def start_redis(procs: ProcessSet, workdir: Path) -> int:
    port = free_port()
    data = workdir / "redis"
    data.mkdir(parents=True, exist_ok=True)
    child = procs.start("redis", [
        "redis-server", "--bind", "127.0.0.1", "--port", str(port), "--dir", str(data),
        "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"])
    _wait_for_redis(port, child.log_tail)
    return port


def _wait_for_redis(port: int, log_tail) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"redis-server did not answer PING on port {port}:\n{log_tail()}")


def seed_server_argv(binary: Path, port: int, name: str, backend: str,
                     redis_port: Optional[int]) -> List[str]:
    argv = [str(binary), "--host", "127.0.0.1", "--port", str(port), "--backend", backend,
            "--instance-name", name]
    if backend == "redis":
        argv += ["--redis-url", f"redis://127.0.0.1:{redis_port}/0"]
    return argv


def start_seed_server(procs: ProcessSet, binary: Path, name: str, backend: str,
                      redis_port: Optional[int]) -> int:
    port = free_port()
    child = procs.start(name, seed_server_argv(binary, port, name, backend, redis_port),
                        env=child_env())
    wait_for_200(port, 30, f"seed-server ({name}, {backend})", child.log_tail)
    return port


def start_nginx(procs: ProcessSet, workdir: Path, name: str) -> int:
    port = free_port()
    prefix = workdir / name
    (prefix / "html").mkdir(parents=True, exist_ok=True)
    (prefix / "html" / "seed").write_text("0")
    conf = prefix / "nginx.conf"
    conf.write_text((TEMPLATES / "nginx.conf").read_text().format(
        prefix=prefix, port=port, name=name))
    child = procs.start(name, ["nginx", "-p", str(prefix), "-c", str(conf),
                               "-e", str(prefix / "error.log")])
    wait_for_200(port, 10, f"nginx ({name})",
                 lambda: child.log_tail() + _tail(prefix / "error.log"))
    return port


def start_haproxy(procs: ProcessSet, workdir: Path, name: str, port_a: int, port_b: int) -> int:
    port = free_port()
    conf = workdir / f"{name}.cfg"
    conf.write_text((TEMPLATES / "haproxy.cfg").read_text().format(
        port=port, port_a=port_a, port_b=port_b))
    child = procs.start(name, ["haproxy", "-db", "-f", str(conf)])
    wait_for_200(port, 10, f"HAProxy ({name})", child.log_tail)
    return port


def start_flask_dev(procs: ProcessSet, redis_port: int) -> int:
    port = free_port()
    child = procs.start(FLASK_DEV, [
        sys.executable, "-m", "flask", "--app", "app", "run", "--host", "127.0.0.1",
        "--port", str(port)], cwd=REFERENCE_APP,
        env=child_env(REDIS_URL=f"redis://127.0.0.1:{redis_port}/0"))
    wait_for_200(port, 20, "Flask development server", child.log_tail)
    return port


def start_gunicorn(procs: ProcessSet, redis_port: int) -> int:
    port = free_port()
    child = procs.start(GUNICORN, [
        sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
        "--log-level", "warning", "app:app"], cwd=REFERENCE_APP,
        env=child_env(REDIS_URL=f"redis://127.0.0.1:{redis_port}/0"))
    wait_for_200(port, 20, "gunicorn", child.log_tail)
    return port


def _tail(path: Path) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-10:])
    except FileNotFoundError:
        return ""


def start_all(procs: ProcessSet, workdir: Path, seed_server: Optional[Path],
              log=print) -> Tuple[List[System], int]:
    """Starts every system; returns them in table order, and the Redis port."""
    for tool in ("redis-server", "nginx", "haproxy", "wrk"):
        if not shutil.which(tool):
            raise RuntimeError(f"{tool} not found: run `make bench`, which installs it with apt-get")
    systems: List[System] = []
    log("starting redis-server (persistence off)")
    redis_port = start_redis(procs, workdir)
    if seed_server is not None:
        log(f"starting seed-server x3 ({seed_server})")
        memory = start_seed_server(procs, seed_server, "seed-memory", "memory", None)
        redis_a = start_seed_server(procs, seed_server, "seed-redis-a", "redis", redis_port)
        redis_b = start_seed_server(procs, seed_server, "seed-redis-b", "redis", redis_port)
        lb_seed = start_haproxy(procs, workdir, "haproxy-seed", redis_a, redis_b)
        systems += [
            System(SEED_MEMORY, "seed-server, memory", memory, ("GET", "POST")),
            System(SEED_REDIS, "seed-server, Redis", redis_a, ("GET", "POST")),
            System(LB_SEED, "HAProxy → 2× seed-server, Redis", lb_seed, ("GET", "POST")),
        ]
    log("starting nginx x2 (a worker per core each) and HAProxy (1 thread)")
    nginx_a = start_nginx(procs, workdir, "nginx-a")
    nginx_b = start_nginx(procs, workdir, "nginx-b")
    lb_nginx = start_haproxy(procs, workdir, "haproxy-nginx", nginx_a, nginx_b)
    systems += [
        System(NGINX, "nginx static file (ceiling)", nginx_a, ("GET",)),
        System(LB_NGINX, "HAProxy → 2× nginx static (LB ceiling)", lb_nginx, ("GET",)),
    ]
    log("starting the Flask reference: development server, and gunicorn with 2 workers")
    systems += [
        System(FLASK_DEV, "Flask dev server + redis-py", start_flask_dev(procs, redis_port),
               ("GET", "POST")),
        System(GUNICORN, "gunicorn 2 workers + redis-py", start_gunicorn(procs, redis_port),
               ("GET", "POST")),
    ]
    return systems, redis_port
