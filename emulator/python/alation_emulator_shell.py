"""Plumbing of the emulator's stand-in shell commands: the noise line the real ones print, and calls to the
running emulator named by ALATION_EMULATOR_URL (its loopback-only /__emulator/shell/ endpoints)."""
import json
import os
import sys
import urllib.error
import urllib.request

# Printed by the real alation_conf and alation_django_shell even when all goes well.
NOISE_LINE = "Error decrypting value, details: Unknown prefix: None. Returning the value as stored."


class ShellCallError(Exception):
    """An answer of the emulator other than 2xx: status, and the JSON body ({"error", "message"})."""

    def __init__(self, status, body):
        self.status = status
        self.body = body if isinstance(body, dict) else {}
        super().__init__(self.body.get("message") or "HTTP %d" % status)


def print_noise():
    print(NOISE_LINE, flush=True)


def base_url():
    url = os.environ.get("ALATION_EMULATOR_URL", "").rstrip("/")
    if not url:
        sys.stderr.write("ALATION_EMULATOR_URL is not set: it names the running alation-emulator\n")
        sys.exit(2)
    return url


def call(method, path, body=None):
    """Calls /__emulator/shell/<path>; returns the decoded JSON answer (None for 204)."""
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(
        base_url() + "/__emulator/shell/" + path,
        data=data,
        method=method,
        headers={"Content-Type": "application/json"} if data is not None else {},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read().decode("utf-8")
            return json.loads(text) if text else None
    except urllib.error.HTTPError as err:
        text = err.read().decode("utf-8", "replace")
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = {"message": text}
        raise ShellCallError(err.code, parsed) from None
