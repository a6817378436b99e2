// The program of each tenant's stack in a fleet (`alation-fleet`): one AlationClaudeConnector, whose inputs are the
// tenant's entry of the fleet file, from the stack's config (tenant-stack.ts writes it). Run by the Pulumi CLI as a
// local program from where the package is installed, never inline: see tenant-stack.ts.
import * as pulumi from "@pulumi/pulumi";
import { AlationClaudeConnector } from "../../component/alation-claude-connector";
import { TENANT_CONFIG_KEY, type StackTenantConfig } from "../stack-config";

const tenant = new pulumi.Config().requireObject<StackTenantConfig>(TENANT_CONFIG_KEY);
const { connection, ...inputs } = tenant.connector;

// Named after the stack (the tenant), so that messages name the tenant. No credential here: the token reaches the
// provider as ALATION_API_ACCESS_TOKEN in the environment of the stack's CLI run.
const connector = new AlationClaudeConnector(pulumi.getStack(), {
  ...inputs,
  connection: { ...connection, baseUrl: tenant.baseUrl },
});

// The four fields of Claude's form, and the lifetime `alation-connector verify` compares the token's with.
export const connectorName = connector.connectorName;
export const remoteMcpServerUrl = connector.remoteMcpServerUrl;
export const clientId = connector.clientId;
export const clientSecret = connector.clientSecret;
export const accessTokenExpiry = connector.application.accessTokenExpiry;
