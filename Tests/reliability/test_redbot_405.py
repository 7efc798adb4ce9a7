"""REDbot on a 405: the `redbot` command sends only GET, so this drives its Python API, which
takes a method (`HttpResource.set_request(uri, method=..., headers=..., content=...)` in
redbot/resource/fetch.py), the way redbot/cli.py drives it, with the same HAR formatter. The
verdict is decided as test_http_conformance.test_redbot_finds_no_problem decides it."""
import importlib.util
import json
import subprocess
import sys

import pytest

from testkit import SeedServer

# redbot/cli.py's main(), with a method and a body: run in a process of its own, as the command
# is, since thor's event loop is process-wide.
REDBOT_WITH_METHOD = r"""
import sys
from configparser import ConfigParser

import thor
from redbot.formatter import find_formatter
from redbot.resource import HttpResource

url, method, body = sys.argv[1], sys.argv[2], sys.argv[3].encode()
parser = ConfigParser()
parser.read_dict({"redbot": {"enable_local_access": "True"}})
config = parser["redbot"]
resource = HttpResource(config)
headers = [("Content-Length", str(len(body)))]
if body:
    headers.append(("Content-Type", "application/json"))
resource.set_request(url, method=method, headers=headers, content=body)
# redbot 2.7 never tells the response linter which request it answers (RedFetcher.__init__ in
# redbot/resource/fetch.py makes both and leaves them apart), so httplint's request-aware checks,
# such as StatusChecker.status405 (a 405 whose Allow lists the refused method), would not run.
resource.response.request = resource.request
formatter = find_formatter("har", "text", False)(
    config, resource, sys.stdout.write, {"tty_out": False, "descend": False})
formatter.bind_resource(resource)


@thor.events.on(formatter)
def formatter_done():
    thor.stop()


resource.check()
thor.run()
"""


@pytest.fixture(scope="module")
def server():
    with SeedServer() as seed:
        yield seed


@pytest.mark.parametrize("method,body", [("PUT", '{"num": 1}'), ("DELETE", "")], ids=["PUT", "DELETE"])
def test_redbot_finds_no_problem_with_a_405(server, method, body):
    if importlib.util.find_spec("redbot") is None:
        pytest.fail("redbot not found: `make test` installs it from PyPI")
    done = subprocess.run([sys.executable, "-c", REDBOT_WITH_METHOD, server.url + "/", method, body],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    entry = json.loads(done.stdout)["log"]["entries"][0]
    assert (entry["request"]["method"], entry["response"]["status"]) == (method, 405), entry["request"]
    notes = entry["_red_messages"]
    problems = [note for note in notes if note["level"] in ("BAD", "WARN")]
    assert not problems, problems
    # With the request linked, this note also says the refused method is not in Allow (else it
    # would be STATUS_405_METHOD_IN_ALLOW, a WARN). Caches store no answer to PUT or DELETE, so
    # httplint makes no caching note here (the STORE_NO_STORE that a GET draws): the header is
    # checked as sent instead.
    assert "STATUS_METHOD_NOT_ALLOWED" in {note["note_id"] for note in notes}, notes
    headers = {h["name"].lower(): h["value"].strip() for h in entry["response"]["headers"]}
    assert headers.get("cache-control") == "no-store" and headers.get("allow") == "GET, HEAD, POST", headers
