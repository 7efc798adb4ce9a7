"""seed-check on an instance that answers 503 tells the causes apart by the server's own reason:
Redis refusing the password, a read-only replica, a key another program wrote, Redis gone. The
table cell cuts the 503's body, so the cause must carry the part that names it."""
import secrets

import pytest

from testkit import RedisServer, SeedServer, free_port, get_seed, http_request, wait_until

from stack_harness import json_report, rows_by_id, run_seed_check


def _first_failure(seed: SeedServer) -> dict:
    """seed-check with the instance as the LB: its own 503 (signed X-Served-By) is diagnosed as
    an instance's, not as an LB without targets."""
    result = run_seed_check(["--lb", seed.url, "--json"], timeout=60)
    assert result.returncode == 1, result.stdout
    failed = [row for row in rows_by_id(json_report(result)).values() if row["result"] == "FAIL"]
    assert failed, result.stdout
    return failed[0]


def _serves_503(seed: SeedServer) -> bool:
    return http_request(seed.url, timeout=3)[0] == 503


def test_a_password_redis_refuses_is_named_with_its_fix():
    with RedisServer(password=secrets.token_hex(8)) as redis, \
            SeedServer(backend="redis", redis_url=f"redis://127.0.0.1:{redis.port}/0") as seed:
        assert wait_until(lambda: _serves_503(seed), timeout=10)
        row = _first_failure(seed)
        assert "Redis refuses the server" in row["cause"] and "NOAUTH" in row["cause"], row
        assert "cannot reach Redis" not in row["cause"], row
        assert "password" in row["fix"], row


def test_a_read_only_replica_is_named():
    with RedisServer() as redis, \
            SeedServer(backend="redis", redis_url=redis.url) as seed:
        # A replica of a primary that does not exist: it serves reads and refuses every write.
        redis.cli("REPLICAOF", "127.0.0.1", str(free_port()))
        row = _first_failure(seed)
        assert "read-only replica" in row["cause"], row
        assert "primary" in row["fix"], row


def test_a_key_that_is_not_an_integer_is_named_with_its_fix():
    with RedisServer() as redis, \
            SeedServer(backend="redis", redis_url=redis.url) as seed:
        assert get_seed(seed.url) == (200, "0")
        keys_before = redis.cli("KEYS", "*")
        http_request(seed.url, method="POST", body=b'{"num": 5}', timeout=5)
        key = next(k for k in redis.cli("KEYS", "*").splitlines() if k not in keys_before.splitlines())
        redis.cli("SET", key, "hello")
        assert _serves_503(seed)
        row = _first_failure(seed)
        assert "not an integer" in row["cause"] and "hello" in row["cause"], row
        assert f"redis-cli DEL {key}" in row["fix"], row


def test_redis_gone_is_still_cannot_reach_redis():
    with RedisServer() as redis, \
            SeedServer(backend="redis", redis_url=redis.url) as seed:
        redis.stop()
        assert wait_until(lambda: _serves_503(seed), timeout=10)
        row = _first_failure(seed)
        assert "cannot reach Redis" in row["cause"], row
        assert "security group" in row["fix"], row
