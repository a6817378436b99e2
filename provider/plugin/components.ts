// The components the plugin constructs (the provider's `construct`): AlationClaudeConnector and AlationMcpConnector,
// the same classes a TypeScript program uses (provider/component/), their children made of the plugin's own custom
// resources. Their schema: inputs typed by the fleet file's connector rules (plain data, as every language gives),
// described by the TypeScript doc comments.
import type * as pulumi from "@pulumi/pulumi";
import { AlationClaudeConnector } from "../component/alation-claude-connector";
import { AlationMcpConnector } from "../component/alation-mcp-connector";
import { useConnectorChildren } from "../component/connector-base";
import { connectorSchema } from "../fleet/connector-schema";
import { PLUGIN_CHILDREN } from "./children";
import { docsOf, type MemberDocs } from "./doc-comments";
import { describe, tokenOf, type PropertySpec, type ResourceSpec, type TypeSpec, TypeWriter } from "./schema-types";

const CLAUDE = tokenOf("AlationClaudeConnector");
const MCP = tokenOf("AlationMcpConnector");

/** Constructs a component: its URN and its outputs (the four fields; AlationMcpConnector's client and clientConfig). */
export async function construct(
  name: string,
  type: string,
  inputs: pulumi.Inputs,
  options: pulumi.ComponentResourceOptions,
): Promise<{ urn: pulumi.Output<string>; state: pulumi.Inputs }> {
  useConnectorChildren(PLUGIN_CHILDREN);
  // The inputs arrive as the program gave them; the component judges them, as in a TypeScript program.
  const args = inputs as never;
  if (type === CLAUDE) {
    const connector = new AlationClaudeConnector(name, args, options);
    return { urn: connector.urn, state: connector.fields() };
  }
  if (type === MCP) {
    const connector = new AlationMcpConnector(name, args, options);
    return {
      urn: connector.urn,
      state: { ...connector.fields(), client: connector.client, clientConfig: connector.clientConfig },
    };
  }
  throw new Error(`unknown component type ${type} (this plugin constructs ${CLAUDE} and ${MCP})`);
}

/** The components' schema; `connection` and `shell` are the custom resources' types. */
export function componentResources(
  writer: TypeWriter,
  connection: TypeSpec,
  shell: TypeSpec,
): Record<string, ResourceSpec> {
  const base = docsOf("component/connector-base", "ConnectorArgs");
  const outputs = docsOf("component/connector-base", "ConnectorComponent");
  const claudeArgs = { ...base, ...docsOf("component/alation-claude-connector", "AlationClaudeConnectorArgs") };
  const mcpArgs = { ...base, ...docsOf("component/alation-mcp-connector", "AlationMcpConnectorArgs") };
  const mcpOutputs = docsOf("component/alation-mcp-connector", "AlationMcpConnector");
  // A Kubernetes Secret needs a Kubernetes provider resource, which plain data cannot give: TypeScript only.
  const { connection: _c, shell: _s, kubernetesSecret: _k, redirectUris, ...shared } = connectorSchema.shape;
  const inputsOf = (docs: MemberDocs) => {
    const inputs: Record<string, PropertySpec> = {
      connection: { ...connection, ...describe(docs.connection) },
      shell: { ...shell, ...describe(docs.shell) },
    };
    for (const [key, schema] of Object.entries(shared)) {
      inputs[key] = { ...writer.typeOf(schema), ...describe(docs[key]) };
    }
    return inputs;
  };
  const fields: Record<string, PropertySpec> = {
    connectorName: { type: "string", ...describe(outputs.connectorName) },
    remoteMcpServerUrl: { type: "string", ...describe(outputs.remoteMcpServerUrl) },
    clientId: { type: "string", ...describe(outputs.clientId) },
    clientSecret: { type: "string", secret: true, ...describe(outputs.clientSecret) },
  };
  const required = Object.keys(fields);
  return {
    [CLAUDE]: {
      isComponent: true,
      ...describe(docsOf("component/alation-claude-connector", "AlationClaudeConnector")[""]),
      inputProperties: {
        ...inputsOf(claudeArgs),
        redirectUris: { ...writer.typeOf(redirectUris), ...describe(claudeArgs.redirectUris) },
      },
      requiredInputs: [],
      properties: fields,
      required,
    },
    [MCP]: {
      isComponent: true,
      ...describe(docsOf("component/alation-mcp-connector", "AlationMcpConnector")[""]),
      inputProperties: {
        ...inputsOf(mcpArgs),
        // A preset's name, a preset with its options, or { redirectUris }: any of these shapes.
        client: { $ref: "pulumi.json#/Any", ...describe(mcpArgs.client) },
      },
      requiredInputs: ["client"],
      properties: {
        ...fields,
        client: { type: "string", ...describe(mcpOutputs.client) },
        clientConfig: { $ref: "pulumi.json#/Any", ...describe(mcpOutputs.clientConfig) },
      },
      required: [...required, "client", "clientConfig"],
    },
  };
}
