// Alation's rules as the schemas apply them, offline: redirect URIs, base URLs, ways to authenticate, defaults.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { MODEL_FIELD_KINDS } from "../../provider/domain/application-fields";
import type { ApplicationFields } from "../../provider/domain/application-store";
import type { OAuthApplication } from "../../provider/resources/oauth-application";
import fc from "fast-check";
import {
  baseUrlProblem,
  checkWithSchema,
  oauthApplicationSchema,
  oauthApplicationShape,
  parseOrThrow,
  redirectUriProblem,
  UNKNOWN,
} from "../../provider/schema";
import { oauthApplication } from "../../provider/runtime";
import { GUIDE_SETTINGS } from "../support/connector-guide";

const check = (inputs: Record<string, unknown>) =>
  checkWithSchema(oauthApplicationSchema, oauthApplicationShape, inputs);
const valid = { name: "app", redirectUris: ["https://claude.ai/api/mcp/auth_callback"] };

describe("OAuthApplication schema", () => {
  it("accepts https, loopback http and private-use schemes as redirect URIs", () => {
    for (const uri of [
      "https://claude.ai/api/mcp/auth_callback",
      "http://localhost:3000/cb",
      "http://127.0.0.1/cb",
      "http://[::1]:8080/cb",
      "cursor://anysphere.cursor-mcp/oauth/callback",
    ]) {
      assert.equal(redirectUriProblem(uri), undefined, uri);
    }
  });

  it("refuses relative, http, fragment, wildcard and script redirect URIs", () => {
    for (const uri of [
      "/oauth/callback",
      "claude.ai/cb",
      "http://claude.ai/cb",
      "https://claude.ai/cb#x",
      "https://claude.ai/cb#",
      "https://*.claude.ai/cb",
      "javascript:alert(1)",
      "data:text/html,x",
    ]) {
      assert.ok(redirectUriProblem(uri), uri);
    }
  });

  it("refuses a host and port written without a scheme, saying how to write it", () => {
    for (const uri of ["localhost:7777", "localhost:7777/oauth/callback", "example.com:443/cb?token=value"]) {
      const [hostAndPort] = /^[^/]+/.exec(uri)!;
      const scheme = uri.split(":")[0];
      assert.equal(
        redirectUriProblem(uri),
        `a redirect URI needs its scheme: ${hostAndPort} reads as the scheme ${scheme}:; ` +
          `write http://${hostAndPort}/...`,
      );
    }
    // A private-use scheme with a path (RFC 8252 section 7.1) is not a port.
    assert.equal(redirectUriProblem("com.example.app:/oauth2redirect"), undefined);
  });

  it("never accepts a redirect URI holding a fragment or a wildcard", () => {
    fc.assert(
      fc.property(fc.webUrl(), fc.constantFrom("#", "*"), fc.string({ maxLength: 5 }), (url, mark, tail) => {
        assert.ok(redirectUriProblem(`${url}${mark}${tail}`));
      }),
    );
  });

  it("accepts a tenant's address only: https (http for loopback), no path, query or user", () => {
    for (const url of [
      "https://tenant.alationcloud.com",
      "https://tenant.alationcloud.com/",
      "https://t.example:8443",
      "http://127.0.0.1:4000",
      "http://localhost",
    ]) {
      assert.equal(baseUrlProblem(url), undefined, url);
    }
    for (const url of [
      "http://tenant.example",
      "https://t.example/path",
      "https://t.example/?q=1",
      "https://u:p@t.example",
      "tenant.example",
      "ftp://t.example",
    ]) {
      assert.ok(baseUrlProblem(url), url);
    }
  });

  it("accepts an empty list of redirect URIs (given later, alation-api.md section 2), but not a missing one", () => {
    assert.deepEqual(check({ ...valid, redirectUris: [] }).failures, []);
    assert.deepEqual(
      check({ name: "app" }).failures.map((f) => f.property),
      ["redirectUris"],
    );
  });

  it("gives an expiry one message: out of range, or not whole (1e300 is only out of range)", async () => {
    const failuresOf = async (accessTokenExpiry: number) =>
      (await oauthApplication.check({}, { name: "n", redirectUris: [], accessTokenExpiry })).failures;
    assert.deepEqual(await failuresOf(1e300), [
      { property: "accessTokenExpiry", reason: "accessTokenExpiry must be at most 259200 seconds" },
    ]);
    assert.deepEqual(await failuresOf(3600.5), [
      { property: "accessTokenExpiry", reason: "accessTokenExpiry must be a whole number of seconds" },
    ]);
    assert.deepEqual(await failuresOf(-1e300), [
      { property: "accessTokenExpiry", reason: "accessTokenExpiry must be at least 3600 seconds" },
    ]);
  });

  it("applies the guide's defaults", () => {
    const { inputs, failures } = check(valid);
    assert.deepEqual(failures, []);
    assert.deepEqual(inputs, { ...valid, ...GUIDE_SETTINGS });
  });

  it("checks the expiry ranges at their bounds", () => {
    const failing = (field: string, value: number) =>
      check({ ...valid, [field]: value }).failures.some((f) => f.property === field);
    assert.equal(failing("accessTokenExpiry", 3600), false);
    assert.equal(failing("accessTokenExpiry", 259200), false);
    assert.equal(failing("accessTokenExpiry", 3599), true);
    assert.equal(failing("accessTokenExpiry", 259201), true);
    assert.equal(failing("refreshTokenExpiry", 259200), false);
    assert.equal(failing("refreshTokenExpiry", 15552000), false);
    assert.equal(failing("refreshTokenExpiry", 259199), true);
    assert.equal(failing("refreshTokenExpiry", 15552001), true);
    assert.equal(failing("accessTokenExpiry", 3600.5), true);
  });

  it("wants exactly one way to authenticate when credentials are given, and one of connection and shell", () => {
    const failures = (connection: Record<string, unknown>) =>
      check({ ...valid, connection }).failures.map((f) => f.property);
    assert.deepEqual(failures({ baseUrl: "https://t.example" }), []);
    assert.deepEqual(failures({ apiAccessToken: "a" }), []);
    assert.deepEqual(failures({ refreshToken: "r", userId: 3 }), []);
    assert.deepEqual(failures({ refreshToken: "r" }), ["connection.userId"]);
    assert.deepEqual(failures({ apiAccessToken: "a", clientCredentials: { clientId: "c", clientSecret: "s" } }), [
      "connection",
    ]);
    assert.deepEqual(failures({ clientCredentials: { clientId: "c" } }), ["connection.clientCredentials.clientSecret"]);
    assert.deepEqual(
      failures({ apiAccessToken: "a", refreshToken: UNKNOWN }),
      [],
      "an unknown credential may turn out absent",
    );
    const both = check({ ...valid, connection: { apiAccessToken: "a" }, shell: { local: {} } });
    assert.deepEqual(
      both.failures.map((f) => f.property),
      ["shell"],
    );
  });

  it("never quotes a credential in a failure", () => {
    const { failures } = check({
      ...valid,
      connection: { apiAccessToken: "secret-token-x", refreshToken: "secret-refresh-y", userId: "nope" },
    });
    assert.ok(failures.length > 0);
    const text = JSON.stringify(failures);
    assert.ok(!text.includes("secret-token-x") && !text.includes("secret-refresh-y"));
  });

  it("create's parse takes check's valid answer as it crossed the engine (keys in any order), and only that", () => {
    const parse = (raw: Record<string, unknown>) => parseOrThrow(oauthApplicationSchema, raw, "inputs");
    const reordered = (value: Record<string, unknown>) => Object.fromEntries(Object.entries(value).reverse());
    const connection = { baseUrl: "https://t.example", apiAccessToken: "a" };
    const answered = check({ ...valid, connection }).inputs;
    const taken = parse(reordered({ ...answered, connection: reordered(connection) }));
    assert.equal(taken, answered, "the very value check answered");
    // Once: the same inputs again, and inputs check never saw, are parsed (and refused when invalid).
    assert.notEqual(parse(answered), answered);
    assert.deepEqual(parse(answered), answered);
    assert.throws(() => parse({ ...answered, accessTokenExpiry: 1 }), /accessTokenExpiry must be at least 3600/);
    // Nor what check could not judge whole (an unknown), nor what it refused.
    const unknown = check({ ...valid, connection: { ...connection, apiAccessToken: UNKNOWN } }).inputs;
    assert.notEqual(parse(unknown), unknown);
    const refused = check({ ...valid, accessTokenExpiry: 1 }).inputs;
    assert.throws(() => parse(refused), /accessTokenExpiry must be at least 3600/);
  });
});

describe("the one table of an application's fields", () => {
  it("every field is an output of OAuthApplication (a field without one fails to compile here)", () => {
    type WithoutOutput = Exclude<keyof ApplicationFields, keyof OAuthApplication>;
    const everyFieldIsAnOutput: [WithoutOutput] extends [never] ? true : false = true;
    assert.ok(everyFieldIsAnOutput);
  });

  it("the shell's script reports every kind of field the table has, and nothing writes the identity", () => {
    const script = fs.readFileSync(path.join(__dirname, "../../provider/shell/python/oauth_application.py"), "utf8");
    const kinds = /^KINDS = \(([^)]*)\)/m
      .exec(script)?.[1]
      .match(/"[^"]+"/g)
      ?.map((kind) => JSON.parse(kind));
    assert.deepEqual(new Set(kinds), new Set(Object.values(MODEL_FIELD_KINDS)));
    for (const model of Object.keys(MODEL_FIELD_KINDS)) {
      assert.ok(!["id", "client_id", "client_secret"].includes(model), model);
    }
  });
});
