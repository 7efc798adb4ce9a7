"""Where the built binaries are. CI builds them with `swift build` before pytest runs."""
import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def _binary(env_name: str, product: str) -> Path:
    override = os.environ.get(env_name)
    path = Path(override) if override else REPO_ROOT / ".build" / "debug" / product
    if not path.exists():
        raise FileNotFoundError(f"{path} not found: run `swift build` (or `make test`) first, "
                                f"or point {env_name} at a built {product}")
    return path


def seed_server_bin() -> Path:
    return _binary("SEED_SERVER_BIN", "seed-server")


def seed_check_bin() -> Path:
    return _binary("SEED_CHECK_BIN", "seed-check")
