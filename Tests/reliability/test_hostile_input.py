"""Each hostile request, as raw bytes, gets a 4xx (or a clean close for unreadable framing), never
a 2xx or 5xx, the seed stays what it was, and the server keeps serving. Run on both backends."""
import random
import time

import pytest

from testkit import RedisServer, SeedServer, get_seed, post_seed

from .hostile_corpus import ANSWER_4XX, ANSWER_4XX_OR_CLOSE, corpus
from .raw_http import exchange

SENTINEL = random.SystemRandom().randrange(10 ** 12, 10 ** 15)
# A POST body that would change the seed if a broken framing case let it through.
WOULD_CHANGE_SEED = f'{{"num": {SENTINEL + 1}}}'.encode()
CASES = corpus(WOULD_CHANGE_SEED)
# A refusal is prompt: the answer (or the close) comes within this many seconds of the last byte
# sent, even on a loaded 2-core machine. A server that waits for bytes that never come, until a read
# or idle timeout of its own, misses it; the exchange's read timeout (5 s or more) is only a backstop.
ANSWER_WITHIN = 2.0


def test_corpus_is_large_enough():
    assert len(CASES) >= 100
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.fixture(scope="module", params=["memory", "redis"])
def server(request):
    if request.param == "memory":
        with SeedServer() as seed:
            yield seed
    else:
        with RedisServer() as redis, SeedServer("redis", redis.url) as seed:
            yield seed


@pytest.fixture(scope="module")
def seeded(server):
    status, body = post_seed(server.url, SENTINEL)
    assert (status, body) == (200, str(SENTINEL)), "could not set the seed before the corpus"
    return server


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_request(seeded, case):
    # Each case starts from the sentinel, so one case that changed the seed fails alone.
    if get_seed(seeded.url) != (200, str(SENTINEL)):
        assert post_seed(seeded.url, SENTINEL) == (200, str(SENTINEL))
    started = time.monotonic()
    result = exchange(seeded.port, case.pieces, pause=case.pause,
                      close_after_send=case.close_after_send, linger=case.linger,
                      timeout=case.timeout, method=case.method)
    elapsed = time.monotonic() - started
    what = f"{case.name}: {result.summary()}"
    # Sending takes the pauses between pieces; the exchange reads on `linger` s (or 0.05 s) after.
    sending = case.pause * (len(case.pieces) - 1)
    assert elapsed <= sending + max(case.linger, 0.05) + ANSWER_WITHIN, \
        f"{what} — took {elapsed:.2f} s; a refusal must come within {ANSWER_WITHIN} s of the request"
    bad = [s for s in result.statuses if not 400 <= s < 500]
    assert not bad, f"{what} — expected only 4xx answers"
    if case.expect == ANSWER_4XX:
        assert result.responses, f"{what} — expected a 4xx answer"
        first = result.responses[0]
        reason = first.body.decode(errors="replace").strip()
        assert reason and "\n" not in reason, f"{what} — expected a one-line reason, got {reason!r}"
        if first.status == 405:
            assert first.headers.get("allow", "").replace(" ", "") == "GET,HEAD,POST", what
    else:
        assert case.expect == ANSWER_4XX_OR_CLOSE
        assert result.responses or result.closed_by_server or result.reset, \
            f"{what} — neither answered nor closed the connection within {case.timeout}s"
    assert not result.junk, f"{what} — bytes that are not an HTTP response"
    assert seeded.running(), f"{case.name}: the server died\n{seeded.log()[-2000:]}"
    after = get_seed(seeded.url)
    assert after == (200, str(SENTINEL)), f"{case.name}: the seed changed to {after[1]!r}"
