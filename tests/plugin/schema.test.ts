// The plugin's package schema is derived, not written: every application field of the table, every connection key,
// the TypeScript doc comments as descriptions, the credential fields secret. And the plugin's secret wrapping.
import * as assert from "node:assert/strict";
import { APPLICATION_FIELD_KEYS } from "../../provider/domain/application-fields";
import { CONNECTION_KEY_NAMES } from "../../provider/domain/connection-keys";
import { docsOf } from "../../provider/plugin/doc-comments";
import { packageSchema } from "../../provider/plugin/schema";
import { revealed, secretKeysOf, withSecrets } from "../../provider/plugin/secrets";

describe("the provider plugin's schema", function () {
  const schema = packageSchema("1.2.3");
  const resource = (name: string) => schema.resources[`alation:index:${name}`];
  const type = (name: string) => schema.types[`alation:index:${name}`];

  it("is the package alation, at the package's version, with its four resources", () => {
    assert.equal(schema.name, "alation");
    assert.equal(schema.version, "1.2.3");
    assert.deepEqual(Object.keys(schema.resources).sort(), [
      "alation:index:AlationClaudeConnector",
      "alation:index:AlationMcpConnector",
      "alation:index:FeatureFlag",
      "alation:index:OAuthApplication",
    ]);
    assert.equal(resource("AlationClaudeConnector").isComponent, true);
    assert.equal(resource("OAuthApplication").isComponent, undefined);
  });

  it("OAuthApplication: every field of the table, in and out, described by the TypeScript doc comments", () => {
    const { inputProperties, properties } = resource("OAuthApplication");
    const argsDocs = docsOf("resources/oauth-application", "OAuthApplicationArgs");
    const outputDocs = docsOf("resources/oauth-application", "OAuthApplication");
    for (const field of APPLICATION_FIELD_KEYS) {
      assert.ok(inputProperties[field], `input ${field}`);
      assert.equal(inputProperties[field].description, argsDocs[field], `input ${field}'s description`);
      assert.equal(properties[field].description, outputDocs[field], `output ${field}'s description`);
    }
    assert.match(argsDocs.redirectUris, /^Where Alation may send users back/);
    assert.deepEqual(inputProperties.accessTokenExpiry.type, "integer");
    assert.deepEqual(inputProperties.redirectUris, {
      type: "array",
      items: { type: "string" },
      description: argsDocs.redirectUris,
    });
    assert.deepEqual(resource("OAuthApplication").requiredInputs, ["redirectUris"]);
    assert.equal(properties.clientSecret.secret, true);
    assert.equal(properties.clientId.secret, undefined);
  });

  it("credentials are secret wherever they appear: provider config, connection, shell", () => {
    assert.deepEqual(Object.keys(schema.config.variables), CONNECTION_KEY_NAMES);
    const secretConfig = CONNECTION_KEY_NAMES.filter((name) => schema.config.variables[name].secret);
    assert.deepEqual(secretConfig, ["apiAccessToken", "refreshToken", "clientId", "clientSecret"]);
    assert.equal(type("AlationConnection").properties.apiAccessToken.secret, true);
    assert.equal(type("AlationConnection").properties.baseUrl.secret, undefined);
    assert.equal(type("SshShell").properties.privateKey.secret, true);
    assert.equal(type("KubernetesShell").properties.kubeconfig.secret, true);
    assert.equal(resource("AlationClaudeConnector").properties.clientSecret.secret, true);
  });

  it("FeatureFlag's value is a boolean, a number or a string; changing its key replaces it", () => {
    const { inputProperties } = resource("FeatureFlag");
    assert.deepEqual(inputProperties.value.oneOf, [{ type: "boolean" }, { type: "number" }, { type: "string" }]);
    assert.equal(inputProperties.key.willReplaceOnChanges, true);
  });
});

describe("the provider plugin's secrets", function () {
  const SECRET = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "s3cret" };

  it("unwraps secret inputs at any depth and wraps what state must keep secret", () => {
    const inputs = { connection: { apiAccessToken: SECRET, baseUrl: "https://t" }, name: "n" };
    assert.deepEqual(secretKeysOf(inputs), ["connection"]);
    assert.deepEqual(revealed(inputs), { connection: { apiAccessToken: "s3cret", baseUrl: "https://t" }, name: "n" });
    const state = withSecrets({ clientSecret: "x", name: "n", absent: undefined }, ["clientSecret", "absent"]);
    assert.deepEqual(state, { clientSecret: { ...SECRET, value: "x" }, name: "n", absent: undefined });
  });
});
