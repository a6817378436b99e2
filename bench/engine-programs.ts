// The engine benchmark's Pulumi programs, N connectors over T tenants, one resource per connector that reaches the
// tenant: our provider alone (an OAuthApplication per connector), the component a user writes (an
// AlationClaudeConnector per connector: the same OAuthApplication under a component resource), the minimal
// provider (minimal-provider.js), the minimal component (the minimal provider's resource under a plain
// ComponentResource registering the component's four outputs: Pulumi's price for a component, apart from ours),
// and the same component served by the provider plugin (pulumi-resource-alation, as every other language reaches
// it: a remote component, the plugin found through `plugins.providers`). All plain JavaScript with TypeScript off:
// compiling a program is the CLI's work, the same for all, and not what is measured. The settings (tenants,
// count, token) are a JSON file beside them.
import * as fs from "node:fs";
import * as path from "node:path";
import { CLAUDE_REDIRECT_URIS } from "../provider/verify";
import { EngineProject } from "../tests/engine/harness";
import { installedPackageProject } from "../tests/support/installed-package";

/** The programs. */
export const PROGRAM_KINDS = ["provider", "connector", "plugin", "minimal", "minimal-component"] as const;
export type ProgramKind = (typeof PROGRAM_KINDS)[number];

/** What a program rolls out. */
export interface ProgramSettings {
  /** The tenants' base URLs; connector i goes to tenant i mod T. */
  tenants: string[];
  connectors: number;
  /** The tenants' admin token (the emulator's test token), given to the resources as a secret. */
  token: string;
}

const MANIFEST = `name: alation-bench
runtime:
  name: nodejs
  options:
    typescript: false
main: index.js
`;

/** The plugin's folder in the installed package, for `plugins.providers`. */
const pluginManifest = () =>
  `${MANIFEST}plugins:
  providers:
    - name: alation
      path: ${path.join(installedPackageProject(), "node_modules", "pulumi-alation", "plugin")}
`;

// The component as a remote component: what an SDK generated from the schema registers (its outputs named).
const REMOTE_CONNECTOR = `class AlationClaudeConnector extends pulumi.ComponentResource {
  constructor(name, args, opts) {
    const outputs = { connectorName: undefined, remoteMcpServerUrl: undefined };
    Object.assign(outputs, { clientId: undefined, clientSecret: undefined });
    super("alation:index:AlationClaudeConnector", name, { ...args, ...outputs }, opts, true);
  }
}`;

// Application names are unique in a tenant, as the kinds' stacks live at once. Ours leave the name out, as the
// README's programs do: each application's default name is its own (its stack's and resource's). The minimal
// provider has no default names: its names name the kind and the stack. Every kind registers the redirect URIs
// AlationClaudeConnector registers by default.
const program = (kind: ProgramKind, requires: string, declare: string) => `"use strict";
const pulumi = require("@pulumi/pulumi");
${requires}
const settings = require("./settings.json");
const token = pulumi.secret(settings.token);
const claudeRedirectUris = ${JSON.stringify(CLAUDE_REDIRECT_URIS)};

for (let i = 0; i < settings.connectors; i++) {
  const baseUrl = settings.tenants[i % settings.tenants.length];
  const name = \`${kind}-\${pulumi.getStack()}-\${i}\`;
  const redirectUris = [\`\${baseUrl}/oauth/callback\`, ...claudeRedirectUris];
  ${declare}
}
`;

const PROGRAMS: Record<ProgramKind, string> = {
  provider: program(
    "provider",
    'const { OAuthApplication } = require("pulumi-alation");',
    "new OAuthApplication(`connector-${i}`, { connection: { baseUrl, apiAccessToken: token }, redirectUris });",
  ),
  connector: program(
    "connector",
    'const { AlationClaudeConnector } = require("pulumi-alation");',
    "new AlationClaudeConnector(`connector-${i}`, { connection: { baseUrl, apiAccessToken: token } });",
  ),
  plugin: program(
    "plugin",
    REMOTE_CONNECTOR,
    "new AlationClaudeConnector(`connector-${i}`, { connection: { baseUrl, apiAccessToken: token } });",
  ),
  minimal: program(
    "minimal",
    'const { MinimalConnector } = require("./minimal-provider.js");',
    "new MinimalConnector(`connector-${i}`, { baseUrl, token, name, redirectUris });",
  ),
  "minimal-component": program(
    "minimal-component",
    'const { MinimalComponent } = require("./minimal-provider.js");',
    "new MinimalComponent(`connector-${i}`, { baseUrl, token, name, redirectUris });",
  ),
};

/** A project of the program of `kind`, in the packed install's user project (where pulumi-alation resolves). */
export function programProject(kind: ProgramKind, settings: ProgramSettings): EngineProject {
  const files: Record<string, string> = {
    "Pulumi.yaml": kind === "plugin" ? pluginManifest() : MANIFEST,
    "index.js": PROGRAMS[kind],
    "settings.json": JSON.stringify(settings),
  };
  if (kind === "minimal" || kind === "minimal-component") {
    files["minimal-provider.js"] = fs.readFileSync(path.join(__dirname, "minimal-provider.js"), "utf8");
  }
  return EngineProject.inUserProject(`bench-${kind}`, files);
}
