"""Plumbing of the emulator's stand-in shell commands: the noise line the real ones print, and calls to the
running emulator named by ALATION_EMULATOR_URL (its loopback-only /__emulator/shell/ endpoints)."""
import json
import os
import socket
import sys
import urllib.parse

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
    status, text = _request(method, base_url() + "/__emulator/shell/" + path, body)
    if 200 <= status < 300:
        return json.loads(text) if text else None
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = {"message": text}
    raise ShellCallError(status, parsed)


def _request(method, url, body):
    """One HTTP/1.0 exchange with the emulator, which serves plain HTTP on loopback: (status, body text).

    A socket, not urllib.request or http.client: importing those costs more CPU than the whole call (about 60 ms
    a command, and the tests run these commands hundreds of times)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        raise ShellCallError(0, {"message": "ALATION_EMULATOR_URL must be the emulator's http:// URL, not " + url})
    target = parts.path + ("?" + parts.query if parts.query else "")
    data = b"" if body is None else json.dumps(body).encode("utf-8")
    head = "%s %s HTTP/1.0\r\nHost: %s\r\nContent-Length: %d\r\n" % (method, target, parts.netloc, len(data))
    if body is not None:
        head += "Content-Type: application/json\r\n"
    # HTTP/1.0: the answer ends when the emulator closes the connection (no chunked encoding to undo).
    with socket.create_connection((parts.hostname, parts.port or 80), timeout=30) as connection:
        connection.sendall(head.encode("latin-1") + b"\r\n" + data)
        chunks = []
        while True:
            chunk = connection.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    answer = b"".join(chunks)
    header, _, payload = answer.partition(b"\r\n\r\n")
    status_line = header.split(b"\r\n", 1)[0].split()
    if len(status_line) < 2 or not status_line[1].isdigit():
        raise ShellCallError(0, {"message": "no HTTP answer from the emulator at " + url})
    return int(status_line[1]), payload.decode("utf-8", "replace")
