"""The stand-in base images behave as the official ones in what docker-compose.yml relies on:
redis:7 serves other containers (protected mode off unless asked), runs as redis (999) in /data;
haproxy:2.6 runs as haproxy (99) in /var/lib/haproxy, reads /usr/local/etc/haproxy/haproxy.cfg."""
import pytest

from docker_harness import docker, run, tail

pytestmark = pytest.mark.slow


def config_of(env, *redis_args: str) -> dict:
    """Protected mode, user id and working folder of a redis:7 container started with REDIS_ARGS."""
    name = docker(env, "run", "-d", "redis:7", *redis_args).strip()
    try:
        answer = ""
        for _ in range(50):
            answer = docker(env, "exec", name, "sh", "-c",
                            "redis-cli CONFIG GET protected-mode; grep ^Uid /proc/1/status; redis-cli CONFIG GET dir")
            if answer.startswith("protected-mode"):
                break
        lines = answer.split()
        return {"protected-mode": lines[1], "uid": lines[3], "cwd": lines[-1]}
    finally:
        docker(env, "rm", "-fv", name)  # and its anonymous /data volume


def test_redis_standin_serves_other_containers_unless_asked_not_to(standins):
    assert config_of(standins) == {"protected-mode": "no", "uid": "999", "cwd": "/data"}
    assert config_of(standins, "--protected-mode", "yes")["protected-mode"] == "yes"
    # Flags alone go to redis-server, as with the official entry point.
    assert config_of(standins, "--port", "6379", "--appendonly", "yes")["protected-mode"] == "no"


def test_haproxy_standin_runs_the_official_config_path_as_haproxy(standins):
    out = docker(standins, "run", "--rm", "--entrypoint", "sh", "haproxy:2.6", "-c",
                 "id -u; id -g; pwd; haproxy -v | head -1")
    uid, gid, cwd, version = out.strip().splitlines()
    assert (uid, gid, cwd) == ("99", "99", "/var/lib/haproxy")
    assert version.startswith("HAProxy version 2.6.")
    # The entry point's command: master-worker, foreground, the official config path.
    config = docker(standins, "image", "inspect", "-f", "{{json .Config.Cmd}} {{json .Config.Entrypoint}} {{.Config.StopSignal}}",
                    "haproxy:2.6").strip()
    assert config == '["haproxy","-f","/usr/local/etc/haproxy/haproxy.cfg"] ["docker-entrypoint.sh"] SIGUSR1'
    # Flags alone go to haproxy: here a check of the (absent) config, which haproxy names.
    check = run(["docker", "run", "--rm", "haproxy:2.6", "-c", "-f", "/usr/local/etc/haproxy/haproxy.cfg"],
                standins, timeout=60)
    assert check.returncode != 0 and "/usr/local/etc/haproxy/haproxy.cfg" in check.stdout + check.stderr, tail(check)
