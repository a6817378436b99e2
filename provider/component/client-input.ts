// The `client` of an AlationMcpConnector as the program gives it: the preset's name and the shape must be plain
// values (they decide what the connector makes and outputs); option values may be Outputs. What is known is judged
// when the component is constructed; the rest once it resolves, before the application is registered, with the same
// message naming the field the user wrote.
import * as pulumi from "@pulumi/pulumi";
import { FORM_FIELDS, type ClientConfigFormat } from "../domain/mcp-client-configs";
import { clientProblems, describeProblem, resolveClient, type ResolvedClient } from "../domain/mcp-client-spec";
import {
  clientKeyOf,
  MCP_CLIENT_TABLE,
  type McpClient,
  type McpClientPreset,
  type McpClientWithOptions,
} from "../domain/mcp-clients";

/** Each option of a preset may be an Input; the preset's name may not. */
type WithInputs<T> = T extends unknown ? { [K in keyof T]: K extends "preset" ? T[K] : pulumi.Input<T[K]> } : never;

/**
 * The MCP client a connector is for: a preset's name (`"vscode"`), a preset with its options
 * (`{ preset: "claude-code", callbackPort: 3118 }`), or explicit redirect URIs (`{ redirectUris: [...] }`).
 */
export type McpClientInput =
  McpClientPreset | WithInputs<McpClientWithOptions> | { redirectUris: pulumi.Input<pulumi.Input<string>[]> };

/** Whether a value can be judged now: neither an Output nor a promise of one. */
function isKnown(value: unknown): boolean {
  return !pulumi.Output.isInstance(value) && !(value instanceof Promise);
}

/** A client read at construction: its format (known now) and what it resolves to (once its options are known). */
export interface ClientReading {
  key: McpClientPreset | "custom";
  config: ClientConfigFormat;
  /** Resolves the client; the first call fixes the component that a later refusal is reported on. */
  resolved(component: pulumi.Resource): pulumi.Output<ResolvedClient>;
}

/** Reads `client`: throws at once, naming the fields, for what is known to be wrong. */
export function readClient(label: string, client: McpClientInput | undefined): ClientReading {
  const problems = clientProblems(client, isKnown);
  if (problems.length > 0) {
    throw new Error(`${label}: ${problems.map((problem) => describeProblem("client", problem)).join("; ")}`);
  }
  const given = client as McpClientInput;
  const key = clientKeyOf(given);
  let resolved: pulumi.Output<ResolvedClient> | undefined;
  return {
    key,
    config: key === "custom" ? FORM_FIELDS : MCP_CLIENT_TABLE[key].config,
    resolved(component) {
      resolved ??= pulumi.output(given as pulumi.Input<McpClient>).apply((plain) => {
        const later = clientProblems(plain);
        if (later.length === 0) return resolveClient(plain as McpClient);
        const message = later.map((problem) => describeProblem("client", problem)).join("; ");
        throw new pulumi.ResourceError(`${label}: ${message}`, component, true);
      });
      return resolved;
    },
  };
}
