"""The JSON API fuzzed from its own OpenAPI document with schemathesis, signed in as an agent
(the session cookie, the CSRF token and this site's Origin on every request): a bounded number
of examples per operation, and no answer may be a 5xx."""
import json
import re
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request

import pytest

from conftest import start_server


@pytest.fixture(scope="module")
def fuzz_server():
    """A server of its own: the fuzzer closes and escalates cases."""
    yield from start_server()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def sign_in(url, email, password):
    opener = urllib.request.build_opener(NoRedirect)
    body = urllib.parse.urlencode({"email": email, "password": password}).encode()
    request = urllib.request.Request(url + "/login", data=body, headers={"Origin": url})
    try:
        opener.open(request, timeout=10)
    except urllib.error.HTTPError as answer:  # the 303 after signing in
        cookie = answer.headers["Set-Cookie"].split(";")[0]
    me = urllib.request.Request(url + "/api/me", headers={"Cookie": cookie})
    token = json.load(urllib.request.urlopen(me, timeout=10))["csrf_token"]
    return cookie, token


def test_the_api_never_answers_5xx_to_fuzzed_requests(fuzz_server):
    url = fuzz_server["url"]
    cookie, token = sign_in(url, "agent@hotline.example", "agent-demo")
    command = [shutil.which("schemathesis") or "schemathesis", "run", url + "/openapi.yaml", "--url", url,
               "-H", "Cookie: " + cookie, "-H", "X-CSRF-Token: " + token, "-H", "Origin: " + url,
               "--checks", "not_a_server_error", "--max-examples", "15", "--seed", "1", "--request-timeout", "20",
               "--no-color"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=400)
    output = result.stdout + result.stderr
    sys.stdout.write(output[-3000:])
    assert result.returncode == 0, output[-6000:]
    # It really ran: many requests, none failed.
    counts = re.search(r"(\d+) generated, (\d+) passed", output)
    assert counts and int(counts.group(1)) >= 100 and counts.group(1) == counts.group(2), output[-3000:]
