// The program of each tenant's stack in a fleet (`alation-fleet`): the tenant's connectors, one per MCP client, as
// the root stack rolls them out (connectorsFor), whose inputs are the tenant's entry of the fleet file, from the
// stack's config (tenant-stack.ts writes it). Run by the Pulumi CLI as a local program from where the package is
// installed, never inline: see tenant-stack.ts.
import * as pulumi from "@pulumi/pulumi";
import { connectorsFor } from "../../component/rollout";
import { TENANT_CONFIG_KEY, type StackTenantConfig } from "../stack-config";

const tenant = new pulumi.Config().requireObject<StackTenantConfig>(TENANT_CONFIG_KEY);
const { connection, ...inputs } = tenant.connector;

// Named after the stack (the tenant), so that messages name the tenant. No credential here: the token reaches the
// provider as ALATION_API_ACCESS_TOKEN in the environment of the stack's CLI run.
const connectors = connectorsFor(pulumi.getStack(), tenant.clients, {
  ...inputs,
  connection: { ...connection, baseUrl: tenant.baseUrl },
});
const claude = connectors.find((rolled) => rolled.key === "claude");
const others = connectors.filter((rolled) => rolled !== claude);

// Claude's four form fields at the top, with the lifetime `alation-connector verify` compares the token's with (as
// the root stack's single-tenant outputs); the other clients' connectors by client key. None left undefined: Pulumi
// warns of each undefined output on every run.
export = {
  ...(claude && { ...claude.outputs, accessTokenExpiry: claude.connector.application.accessTokenExpiry }),
  ...(others.length > 0 && { mcpClients: Object.fromEntries(others.map((rolled) => [rolled.key, rolled.outputs])) }),
};
