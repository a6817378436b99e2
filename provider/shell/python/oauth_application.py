# Runs inside Alation's Django shell (`alation_django_shell`, which executes the Python it reads on stdin).
# Performs ONE operation on api_authentication.models.Application for pulumi-alation and prints exactly one line:
#     ALATION_PULUMI_RESULT {json}
# The request comes from the environment variable ALATION_PULUMI_REQUEST (base64 of a JSON object), never from
# this file's text: user values are data here, not code. Secrets are generated here (secrets.token_urlsafe(32), as
# Alation's guide does) and leave only on stdout, in the result line.
#
# Request: {"op": "create" | "get" | "find_by_name" | "update" | "rotate" | "delete" | "check_secret",
#           "client_id": str (get, update, rotate, delete, check_secret), "name": str (find_by_name),
#           "fields": {model field: value} (create, update),
#           "model_fields": {model field: kind} (every op: the application's fields and their kinds, from the
#                           provider's one table of fields, provider/domain/application-fields.ts),
#           "client_secret": str (delete, optional: delete only an application that still has this secret;
#                            check_secret: the secret to compare)}
# Result:  {"ok": true, "application": {...} | null, "client_secret": str (create, rotate), "deleted": bool (delete),
#           "kept": str (delete: why an application was left in place), "secret_matches": bool (check_secret)}
#          {"ok": false, "error": "not_found" | "conflict" | "invalid_request" | "exception", "message": str}
#
# Kept to Python 3.6 and the standard library. Django's shell runs this text with exec(), so everything is reached
# through main() and nothing depends on __name__. It also runs unchanged when the shell reads it line by line as an
# interactive session (Django does so when stdin is not ready at start): no blank line inside a block, and one
# after each top-level block.
import base64
import hmac
import json
import os
import secrets
import sys

RESULT_MARKER = "ALATION_PULUMI_RESULT"

# The kinds of field this script knows how to report; the fields themselves come with the request, from the
# provider's table. The identity and the secret are never among them: no request can write those.
KINDS = ("text", "client-type", "uri-list", "seconds", "flag")
NEVER_WRITTEN = ("id", "pk", "client_id", "client_secret")


class RequestError(Exception):
    """A request this script refuses; `code` goes to the result's "error"."""
    def __init__(self, code, message):
        Exception.__init__(self, message)
        self.code = code


def emit(result):
    sys.stdout.write(RESULT_MARKER + " " + json.dumps(result, sort_keys=True) + "\n")
    sys.stdout.flush()


def read_request():
    encoded = os.environ.get("ALATION_PULUMI_REQUEST")
    if not encoded:
        raise RequestError("invalid_request", "ALATION_PULUMI_REQUEST is not set")
    request = json.loads(base64.b64decode(encoded).decode("utf-8"))
    if not isinstance(request, dict):
        raise RequestError("invalid_request", "the request is not a JSON object")
    return request


def redirect_uri_list(value):
    # The guide stores a list; django-oauth-toolkit's own model keeps a space-separated string. Accept both.
    if value is None:
        return []
    if isinstance(value, str):
        return value.split()
    return [str(uri) for uri in value]


def model_fields(request):
    table = request.get("model_fields")
    if not isinstance(table, dict) or not table:
        raise RequestError("invalid_request", "the request has no model_fields object")
    for field, kind in table.items():
        if not isinstance(field, str) or not field.replace("_", "").isalpha() or field in NEVER_WRITTEN:
            raise RequestError("invalid_request", "not a field this script may touch: " + repr(field)[:80])
        if kind not in KINDS:
            raise RequestError("invalid_request", "unknown kind of field: " + repr(kind)[:80])
    return table


def reported(kind, value):
    if kind == "uri-list":
        return redirect_uri_list(value)
    if kind == "seconds":
        return int(value)
    if kind == "flag":
        return bool(value)
    return value


def describe(app):
    described = {"client_id": app.client_id}
    for field, kind in MODEL_FIELDS.items():
        described[field] = reported(kind, getattr(app, field))
    return described


def field_values(request):
    fields = request.get("fields")
    if not isinstance(fields, dict):
        raise RequestError("invalid_request", "the request has no fields object")
    unknown = sorted(set(fields) - set(MODEL_FIELDS))
    if unknown:
        raise RequestError("invalid_request", "fields that cannot be set: " + ", ".join(unknown))
    return fields


def required_text(request, key):
    value = request.get(key)
    if not isinstance(value, str) or value == "":
        raise RequestError("invalid_request", "the request has no " + key)
    return value


def find(model, client_id):
    try:
        return model.objects.get(client_id=client_id)
    except model.DoesNotExist:
        return None


def create(model, request, generated):
    fields = field_values(request)
    if "name" not in fields:
        raise RequestError("invalid_request", "an application needs a name")
    if model.objects.filter(name=fields["name"]).exists():
        raise RequestError("conflict", "an application with this name already exists")
    client_id = secrets.token_urlsafe(32)
    client_secret = secrets.token_urlsafe(32)
    generated.append(client_secret)
    app = model.objects.create(client_id=client_id, client_secret=client_secret, **fields)
    return {"ok": True, "application": describe(app), "client_secret": client_secret}


def get(model, request, _generated):
    app = find(model, required_text(request, "client_id"))
    return {"ok": True, "application": describe(app) if app is not None else None}


def find_by_name(model, request, _generated):
    matches = list(model.objects.filter(name=required_text(request, "name")))
    if len(matches) > 1:
        raise RequestError("conflict", "%d applications have this name" % len(matches))
    return {"ok": True, "application": describe(matches[0]) if matches else None}


def existing(model, request):
    client_id = required_text(request, "client_id")
    app = find(model, client_id)
    if app is None:
        raise RequestError("not_found", "no application has this client_id")
    return app


def update(model, request, _generated):
    fields = field_values(request)
    app = existing(model, request)
    if "name" in fields and fields["name"] != app.name and model.objects.filter(name=fields["name"]).exists():
        raise RequestError("conflict", "an application with this name already exists")
    for field, value in fields.items():
        setattr(app, field, value)
    app.save()
    return {"ok": True, "application": describe(app)}


def rotate(model, request, generated):
    app = existing(model, request)
    client_secret = secrets.token_urlsafe(32)
    generated.append(client_secret)
    app.client_secret = client_secret
    app.save()
    return {"ok": True, "application": describe(app), "client_secret": client_secret}


def has_secret(app, secret):
    # Stored as given (the guide's script), or as a Django password hash (django-oauth-toolkit's hashed secrets).
    stored = str(app.client_secret or "")
    if hmac.compare_digest(stored.encode("utf-8"), secret.encode("utf-8")):
        return True
    try:
        from django.contrib.auth.hashers import check_password, identify_hasher
        identify_hasher(stored)
        return bool(check_password(secret, stored))
    except Exception:  # noqa: BLE001 - not a hash, or no Django hashers: the secret does not match
        return False


def delete(model, request, _generated):
    app = find(model, required_text(request, "client_id"))
    if app is None:
        return {"ok": True, "deleted": False}
    expected = request.get("client_secret")
    if expected is not None and not has_secret(app, required_text(request, "client_secret")):
        return {"ok": True, "deleted": False, "kept": "its client secret is no longer the one recorded"}
    app.delete()
    return {"ok": True, "deleted": True}


def check_secret(model, request, _generated):
    app = find(model, required_text(request, "client_id"))
    matches = app is not None and has_secret(app, required_text(request, "client_secret"))
    return {"ok": True, "application": describe(app) if app is not None else None, "secret_matches": matches}


OPERATIONS = {
    "create": create,
    "get": get,
    "find_by_name": find_by_name,
    "update": update,
    "rotate": rotate,
    "delete": delete,
    "check_secret": check_secret,
}


MODEL_FIELDS = {}


def main():
    generated = []
    try:
        request = read_request()
        MODEL_FIELDS.update(model_fields(request))
        operation = OPERATIONS.get(request.get("op"))
        if operation is None:
            raise RequestError("invalid_request", "unknown operation")
        from api_authentication.models import Application

        emit(operation(Application, request, generated))
    except RequestError as error:
        emit({"ok": False, "error": error.code, "message": str(error)})
    except Exception as error:  # noqa: BLE001 - every failure must come back as the one result line
        message = "%s: %s" % (type(error).__name__, error)
        for secret in generated:
            message = message.replace(secret, "[redacted]")
        # The database's unique constraints (name, client_id) speak for a create or rename that lost a race.
        code = "conflict" if type(error).__name__ == "IntegrityError" else "exception"
        emit({"ok": False, "error": code, "message": message[:500]})


main()
