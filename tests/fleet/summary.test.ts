// What a run ends with: the cause taken from a failed CLI run (its `error:` lines, a token redacted), the summary
// table and its last line, the JSON document.
import * as assert from "node:assert/strict";
import type { RolloutReport } from "../../provider/fleet/rollout";
import { outcomeLine, summaryJson, summaryTable } from "../../provider/fleet/summary";
import { causeOf, changesText } from "../../provider/fleet/tenant-commands";
import { urlPassword, withoutUrlPassword } from "../../provider/domain/urls";

const REPORT: RolloutReport = {
  command: "up",
  ok: false,
  project: "claude-connectors",
  backend: "file:///fleet/.fleet-state",
  tenants: [
    { tenant: "acme", wave: "canary", status: "unchanged" },
    {
      tenant: "beta",
      wave: "canary",
      status: "failed",
      changes: { create: 2, same: 1 },
      verify: { ok: false, passed: 3, warnings: 0, skipped: 1, failed: [{ id: "access-token-jwt", cause: "opaque" }] },
      failure: { phase: "verify", cause: "access-token-jwt: opaque" },
    },
    { tenant: "gamma", wave: "rest", status: "not run" },
  ],
  failed: { tenant: "beta", wave: "canary", phase: "verify", cause: "access-token-jwt: opaque" },
  stoppedAfter: "canary",
};

describe("alation-fleet's summary", () => {
  it("a failed CLI run's cause: its error lines, once each, without the generic one; the token redacted", () => {
    const message = [
      "code: 255",
      " stdout: Updating (beta):",
      "    alation:OAuthApplication alation-ai-hosted-mcp-server creating (0s) error: Alation rejected the call",
      "    pulumi:pulumi:Stack claude-connectors-beta  **failed** 1 error",
      "Diagnostics:",
      "  alation:OAuthApplication (alation-ai-hosted-mcp-server):",
      "    error: Alation connection: the tenant refused the credential TOKEN-VALUE (HTTP 401)",
      "  pulumi:pulumi:Stack (claude-connectors-beta):",
      "    error: update failed",
      "    error: Alation connection: the tenant refused the credential TOKEN-VALUE (HTTP 401)",
    ].join("\n");
    assert.equal(
      causeOf(new Error(message), "TOKEN-VALUE"),
      "Alation connection: the tenant refused the credential [redacted] (HTTP 401)",
    );
    assert.equal(causeOf(new Error("\nspawn pulumi ENOENT\nmore"), undefined), "spawn pulumi ENOENT");
  });

  it("a backend's password stays out of the report and of a cause", () => {
    const backend = "postgres://fleet:Backend-Pass%2F1@db.example.com/state";
    assert.equal(urlPassword(backend), "Backend-Pass/1");
    assert.equal(withoutUrlPassword(backend), "postgres://fleet:***@db.example.com/state");
    assert.equal(withoutUrlPassword("file://./.fleet-state"), "file://./.fleet-state");
    const cause = causeOf(new Error("error: cannot open Backend-Pass/1 state"), undefined, urlPassword(backend));
    assert.equal(cause, "cannot open [redacted] state");
  });

  it("changes in words, for an up and for a preview", () => {
    assert.equal(changesText({ create: 2, same: 1 }), "2 created, 1 unchanged");
    assert.equal(changesText({ create: 2, delete: 1 }, "to "), "2 to create, 1 to delete");
    assert.equal(changesText({}), "no resources");
  });

  it("the table: a row per tenant, then the line naming the failed tenant, its phase and cause", () => {
    const lines = summaryTable(REPORT).trimEnd().split("\n");
    assert.deepEqual(lines, [
      "tenant  wave    result           changes                 verify",
      "acme    canary  unchanged",
      "beta    canary  failed (verify)  2 created, 1 unchanged  failed: access-token-jwt",
      "gamma   rest    not run",
      "",
      "alation-fleet up: failed: tenant beta, verify: access-token-jwt: opaque " +
        "(1/3 tenants done; stopped after wave canary)",
    ]);
    assert.equal(
      outcomeLine({ ...REPORT, ok: true, failed: undefined, tenants: [] }),
      "alation-fleet up: 0/0 tenants done",
    );
  });

  it("--json: the report as one document", () => {
    assert.deepEqual(JSON.parse(summaryJson(REPORT)), JSON.parse(JSON.stringify(REPORT)));
  });
});
