"""The reference the issue compares against: the seed API in Flask with redis-py.

Run by the bench twice: under Flask's development server (what the assignment suggests) and
under gunicorn with 2 sync workers (the usual production setup for a Flask app).
Same contract as seed-server for GET / and POST / {"num": N}, minus the edge cases.
"""
import os

import redis
from flask import Flask, Response, request

SEED_KEY = os.environ.get("REDIS_KEY", "seedkeeper:seed")

app = Flask(__name__)
# One client per process; redis-py keeps a connection pool shared by the threads.
store = redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))


def text(body: str, status: int = 200) -> Response:
    return Response(body, status=status, content_type="text/plain; charset=utf-8")


@app.get("/")
def read_seed() -> Response:
    value = store.get(SEED_KEY)
    return text(value.decode() if value is not None else "0")


@app.post("/")
def write_seed() -> Response:
    payload = request.get_json(force=True, silent=True)
    num = payload.get("num") if isinstance(payload, dict) else None
    if isinstance(num, float) and num.is_integer():
        num = int(num)
    if not isinstance(num, int) or isinstance(num, bool):
        return text('body must be JSON like {"num": 42}', 400)
    store.set(SEED_KEY, num)
    return text(str(num))
