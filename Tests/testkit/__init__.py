"""Shared helpers for seedkeeper's system tests: real processes on loopback, never mocks."""
from .ports import free_port, wait_for_port
from .paths import REPO_ROOT, seed_server_bin, seed_check_bin
from .environment import clean_environment
from .processes import (RedisServer, SeedServer, StartFailed, children_of, close_all, has_exited,
                        wait_until)
from .http import http_request, get_seed, post_seed

__all__ = [
    "free_port", "wait_for_port", "REPO_ROOT", "seed_server_bin", "seed_check_bin",
    "clean_environment", "RedisServer", "SeedServer", "StartFailed", "children_of", "close_all",
    "has_exited", "wait_until", "http_request", "get_seed", "post_seed",
]
