// Pulumi's own floor for a connector: the smallest honest dynamic provider for the same job. Create is one POST with
// undici to the tenant's OAuth client admin API, read one GET, delete one DELETE; check and diff pass their inputs
// through (the engine's own diff of the inputs decides); no validation, no retries, no ownership proof.
// Plain JavaScript: the benchmark serializes it from here (through Pulumi's closure serializer, as a program does),
// and copies this file beside the engine benchmark's programs, which run in a bare node.
"use strict";
const pulumi = require("@pulumi/pulumi");

/** check, diff, create, read, delete; each HTTP call resolves undici in the provider process. */
const minimalProvider = {
  async check(_olds, news) {
    return { inputs: news };
  },
  async diff() {
    return {};
  },
  async create(inputs) {
    const path = "/integration/core/v1/oauth/clients/";
    const body = JSON.stringify({
      name: inputs.name,
      client_type: "confidential",
      redirect_uris: inputs.redirectUris,
      access_token_expiry: 86400,
      refresh_token_expiry: 15552000,
      pkce_required: true,
    });
    const headers = { TOKEN: inputs.token, "content-type": "application/json", accept: "application/json" };
    const answer = await require("undici").request(inputs.baseUrl + path, { method: "POST", headers, body });
    const client = await answer.body.json();
    if (answer.statusCode !== 201) throw new Error(`create ${inputs.name}: HTTP ${answer.statusCode}`);
    return {
      id: client.client_id,
      outs: { ...inputs, clientId: client.client_id, clientSecret: client.client_secret },
    };
  },
  async read(id, props) {
    const url = `${props.baseUrl}/integration/core/v1/oauth/clients/${encodeURIComponent(id)}/`;
    const answer = await require("undici").request(url, {
      headers: { TOKEN: props.token, accept: "application/json" },
    });
    const client = await answer.body.json();
    if (answer.statusCode === 404) return { id: "", props: {} };
    if (answer.statusCode !== 200) throw new Error(`read ${id}: HTTP ${answer.statusCode}`);
    return { id, props: { ...props, name: client.name, redirectUris: client.redirect_uris } };
  },
  async delete(id, props) {
    const url = `${props.baseUrl}/integration/core/v1/oauth/clients/${encodeURIComponent(id)}/`;
    const answer = await require("undici").request(url, { method: "DELETE", headers: { TOKEN: props.token } });
    await answer.body.dump();
    if (answer.statusCode >= 300 && answer.statusCode !== 404)
      throw new Error(`delete ${id}: HTTP ${answer.statusCode}`);
  },
};

/**
 * One connector's OAuth application through the minimal provider: `{ baseUrl, token, name, redirectUris }`. Its
 * secret is kept secret as ours is (the token given as a secret input, clientSecret an additional secret output).
 */
class MinimalConnector extends pulumi.dynamic.Resource {
  constructor(name, args, opts) {
    const outputs = { clientId: undefined, clientSecret: undefined };
    const secret = { additionalSecretOutputs: ["clientSecret"] };
    super(minimalProvider, name, { ...args, ...outputs }, { ...opts, ...secret }, "bench", "MinimalConnector");
  }
}

/**
 * Pulumi's floor for a component: a MinimalConnector under a plain ComponentResource that registers the four outputs
 * AlationClaudeConnector registers (connectorName, remoteMcpServerUrl, clientId, clientSecret as a secret). What the
 * engine and the SDK charge for a component, apart from what ours adds.
 */
class MinimalComponent extends pulumi.ComponentResource {
  constructor(name, args, opts) {
    super("bench:index:MinimalComponent", name, {}, opts);
    const application = new MinimalConnector(`${name}-application`, args, { parent: this });
    this.connectorName = pulumi.output("Alation");
    this.remoteMcpServerUrl = pulumi.output(`${args.baseUrl}/ai/mcp/`);
    this.clientId = application.clientId;
    this.clientSecret = pulumi.secret(application.clientSecret);
    this.registerOutputs({
      connectorName: this.connectorName,
      remoteMcpServerUrl: this.remoteMcpServerUrl,
      clientId: this.clientId,
      clientSecret: this.clientSecret,
    });
  }
}

module.exports = { minimalProvider, MinimalConnector, MinimalComponent };
