"""docker-compose.yml, checked without a Docker engine: valid against the Compose schema, and in
agreement with the no-Docker stack (same HAProxy config, ports, Redis persistence, server flags)."""
import copy
import json
import os
import re
import subprocess
from pathlib import Path

import jsonschema
import pytest
import yaml

from stack_harness import STACK_SCRIPT
from testkit import REPO_ROOT

COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
DOCKERFILE = REPO_ROOT / "Dockerfile"
HAPROXY_CFG = REPO_ROOT / "deploy" / "local" / "haproxy.cfg"
# shared/ sits beside the repository, read-only, with the Compose specification's schema.
COMPOSE_SCHEMA = REPO_ROOT.parent / "shared" / "schemas" / "compose-spec.json"


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def validator():
    if not COMPOSE_SCHEMA.exists():
        pytest.fail(f"{COMPOSE_SCHEMA} is missing: the Compose schema is expected in "
                    "shared/schemas/ beside the repository")
    schema = json.loads(COMPOSE_SCHEMA.read_text())
    return jsonschema.Draft7Validator(schema)


def schema_errors(validator, document):
    return sorted(f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
                  for e in validator.iter_errors(document))


def test_compose_file_is_valid_against_the_compose_schema(compose, validator):
    assert schema_errors(validator, compose) == []


def test_the_schema_check_can_fail(compose, validator):
    broken = copy.deepcopy(compose)
    broken["services"]["lb"]["depends_on"]["seed-a"]["condition"] = "service_happy"
    broken["services"]["redis"]["helthcheck"] = broken["services"]["redis"].pop("healthcheck")
    errors = schema_errors(validator, broken)
    assert any("service_happy" in e for e in errors), errors
    assert any("helthcheck" in e for e in errors), errors


def stack_default(setting: str) -> str:
    """The default the stack script gives a setting, read from the script itself."""
    match = re.search(rf'^{setting}="\$\{{{setting}:-([^}}]+)\}}"', STACK_SCRIPT.read_text(), re.M)
    assert match, f"{setting} has no default in {STACK_SCRIPT}"
    return match.group(1)


def flags(argv):
    """`--name value` pairs of a command line, as a dict."""
    pairs = {}
    for index, word in enumerate(argv):
        if word.startswith("--") and index + 1 < len(argv):
            pairs[word] = argv[index + 1]
    return pairs


def test_same_ports_as_the_stack(compose):
    services = compose["services"]
    expected = {"lb": stack_default("LB_PORT"), "seed-a": stack_default("TARGET_A_PORT"),
                "seed-b": stack_default("TARGET_B_PORT")}
    for service, port in expected.items():
        # Published on loopback only: the stack takes unauthenticated writes (see the file's header).
        assert services[service]["ports"] == [f"127.0.0.1:{port}:{port}"], (service, services[service]["ports"])
    assert services["redis"]["ports"] == [f"127.0.0.1:{stack_default('REDIS_PORT')}:{stack_default('REDIS_PORT')}"]
    assert services["lb"]["environment"]["LB_BIND"] == f":{expected['lb']}"
    assert services["lb"]["environment"]["SEED_A_ADDR"] == f"seed-a:{expected['seed-a']}"
    assert services["lb"]["environment"]["SEED_B_ADDR"] == f"seed-b:{expected['seed-b']}"
    redis_port = stack_default("REDIS_PORT")
    assert flags(services["redis"]["command"])["--port"] == redis_port
    for name in ("seed-a", "seed-b"):
        assert flags(services[name]["command"])["--port"] == expected[name]
        assert flags(services[name]["command"])["--redis-url"] == f"redis://redis:{redis_port}/0"


def test_same_haproxy_config_file(compose):
    lb = compose["services"]["lb"]
    assert lb["image"].startswith("haproxy:2.6")
    mounts = [v.split(":") for v in lb["volumes"]]
    assert ["./deploy/local/haproxy.cfg", "/usr/local/etc/haproxy/haproxy.cfg", "ro"] in mounts
    assert (REPO_ROOT / mounts[0][0]).resolve() == HAPROXY_CFG.resolve()
    # Every variable the config expands is set by compose; the stack script sets the same ones.
    used = set(re.findall(r"\$\{(\w+)\}", HAPROXY_CFG.read_text()))
    assert used == {"LB_BIND", "SEED_A_ADDR", "SEED_B_ADDR"}
    assert used <= set(lb["environment"])
    assert all(f"{name}=" in STACK_SCRIPT.read_text() for name in used)


def test_haproxy_accepts_the_config_with_compose_values(compose):
    env = {"PATH": os.environ["PATH"], **compose["services"]["lb"]["environment"]}
    # The service names resolve only inside Docker's network; the same ports on loopback stand in.
    for name in ("SEED_A_ADDR", "SEED_B_ADDR"):
        env[name] = "127.0.0.1:" + env[name].rsplit(":", 1)[1]
    result = subprocess.run(["haproxy", "-c", "-f", str(HAPROXY_CFG)], env=env,
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stdout + result.stderr
    unset = subprocess.run(["haproxy", "-c", "-f", str(HAPROXY_CFG)], env={"PATH": os.environ["PATH"]},
                           capture_output=True, text=True, timeout=30)
    assert unset.returncode != 0, "without its variables the config must not parse"


def test_drain_outlasts_haproxy_marking_a_target_down(compose):
    # A stopping seed-server refuses connections, so each check fails at once; HAProxy takes the
    # target out after `fall` failed checks `inter` apart. The drain must last longer than that.
    check = re.search(r"^\s*default-server check inter (\d+)s fall (\d+)", HAPROXY_CFG.read_text(), re.M)
    assert check, "haproxy.cfg has no `default-server check inter Ns fall N` line"
    marked_down_within = int(check.group(1)) * int(check.group(2))
    for name in ("seed-a", "seed-b"):
        drain = float(flags(compose["services"][name]["command"])["--drain-seconds"])
        assert drain >= marked_down_within + 1, (name, drain, marked_down_within)
    assert re.search(r"--drain-seconds 3\b", STACK_SCRIPT.read_text())


def test_dependencies_wait_for_health(compose):
    services = compose["services"]
    for name in ("redis", "seed-a", "seed-b", "lb"):
        assert services[name]["healthcheck"]["test"], name
    for name in ("seed-a", "seed-b"):
        assert services[name]["depends_on"]["redis"]["condition"] == "service_healthy"
        port = flags(services[name]["command"])["--port"]
        assert f"/dev/tcp/127.0.0.1/{port}" in services[name]["healthcheck"]["test"][-1]
        assert services[name]["build"] == "."
    assert services["lb"]["depends_on"] == {"seed-a": {"condition": "service_healthy"},
                                            "seed-b": {"condition": "service_healthy"}}
    lb_port = services["lb"]["environment"]["LB_BIND"].lstrip(":")
    assert f"/dev/tcp/127.0.0.1/{lb_port}" in services["lb"]["healthcheck"]["test"][-1]
    assert services["redis"]["image"].startswith("redis:")


def test_redis_serves_other_containers_whatever_its_image_defaults(compose):
    # The seed-servers reach Redis from other containers without a password: with protected mode on
    # (Debian's redis-server default) Redis refuses them, so the file says it rather than relying on
    # the official image's build.
    assert flags(compose["services"]["redis"]["command"])["--protected-mode"] == "no"


def test_dockerfile_builds_a_release_binary_in_stages():
    text = DOCKERFILE.read_text()
    stages = re.findall(r"^FROM\s+(\S+)(?:\s+AS\s+(\S+))?", text, re.M)
    assert [name for _, name in stages] == ["build", "artifact", "runtime"], stages
    args = dict(re.findall(r"^ARG\s+(\w+)=(\S+)", text, re.M))
    image = {name: args.get(base.strip("${}"), base) for base, name in stages}
    assert image["build"].startswith("swift:"), image
    assert image["artifact"] == "scratch", image
    assert "slim" in image["runtime"], image
    # One recipe for the release binary: the script `make artifact` runs, in the build stage; the
    # runtime stage (last, so compose's `build: .` gets it) and the artifact stage take from it.
    assert "deploy/aws/build-artifact.sh" in text
    assert "swift build" not in text
    assert text.count("COPY --from=build") == 2
    assert re.search(r'^ENTRYPOINT \["/usr/local/bin/seed-server"\]', text, re.M)
    assert ".build" in (REPO_ROOT / ".dockerignore").read_text().split()


def test_running_stack_uses_the_compose_flags_and_persistence(stack, compose):
    """Starts the real stack, then compares what runs with what compose would run."""
    stack.up()
    services = compose["services"]
    for name, port in (("seed-a", stack.a_port), ("seed-b", stack.b_port)):
        cmdline = Path(f"/proc/{stack.pid(name)}/cmdline").read_bytes().split(b"\0")
        running = flags([w.decode() for w in cmdline if w])
        composed = flags(services[name]["command"])
        assert set(running) == set(composed), (running, composed)
        assert running["--backend"] == composed["--backend"] == "redis"
        assert running["--instance-name"] == composed["--instance-name"] == name
        assert running["--drain-seconds"] == composed["--drain-seconds"]
        assert running["--port"] == str(port)
        assert running["--redis-url"] == f"redis://127.0.0.1:{stack.redis_port}/0"
    redis_flags = flags(services["redis"]["command"])
    for setting in ("appendonly", "appendfsync"):
        live = subprocess.run(["redis-cli", "-p", str(stack.redis_port), "CONFIG", "GET", setting],
                              capture_output=True, text=True, timeout=10).stdout.split()
        assert live == [setting, redis_flags[f"--{setting}"]], live
    assert redis_flags["--appendfsync"] == "always"
