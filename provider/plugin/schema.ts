// The package schema `alation` that the plugin serves (GetSchema) and that `pulumi package gen-sdk` makes every
// language's SDK from. Nothing here is written twice: property types come from the runtime's zod schemas (what check
// accepts), descriptions from the TypeScript doc comments (doc-comments.ts) and the field table, secret fields from
// credential-fields.ts, provider configuration from the connection-keys table.
import { z } from "zod";
import { APPLICATION_FIELD_TABLE, APPLICATION_FIELD_KEYS } from "../domain/application-fields";
import { CONNECTION_KEY_NAMES, CONNECTION_KEYS } from "../domain/connection-keys";
import { CONNECTION_CREDENTIAL_FIELDS, SHELL_CREDENTIAL_FIELDS } from "../domain/credential-fields";
import { connectionSchema } from "../schema/connection";
import { confValueSchema, featureFlagShape } from "../schema/feature-flag";
import { oauthApplicationShape } from "../schema/oauth-application";
import { shellSchema } from "../schema/shell";
import { componentResources } from "./components";
import { docsOf, type MemberDocs } from "./doc-comments";
import {
  describe,
  PACKAGE_NAME,
  tokenOf,
  TypeWriter,
  type JsonSchema,
  type NamedObject,
  type PackageSchema,
  type PropertySpec,
  type ResourceSpec,
  type TypeSpec,
} from "./schema-types";

export { PACKAGE_NAME, tokenOf };

const RESOURCES_MODULE = "resources/oauth-application";
const SHELL_MODULE = "resources/alation-shell";

function connectionObject(): NamedObject {
  return {
    name: "AlationConnection",
    docs: docsOf(RESOURCES_MODULE, "AlationConnection"),
    secrets: CONNECTION_CREDENTIAL_FIELDS,
    fields: {
      clientCredentials: {
        name: "AlationConnectionClientCredentials",
        docs: subDocs(docsOf(RESOURCES_MODULE, "AlationConnection"), "clientCredentials"),
      },
    },
  };
}

function shellObject(): NamedObject {
  const under = (prefix: string) =>
    SHELL_CREDENTIAL_FIELDS.filter((field) => field.startsWith(`${prefix}.`)).map((field) =>
      field.slice(prefix.length + 1),
    );
  return {
    name: "AlationShell",
    docs: docsOf(SHELL_MODULE, "AlationShell"),
    fields: {
      kubernetes: {
        name: "KubernetesShell",
        docs: docsOf(SHELL_MODULE, "KubernetesShell"),
        secrets: under("kubernetes"),
      },
      ssh: { name: "SshShell", docs: docsOf(SHELL_MODULE, "SshShell"), secrets: under("ssh") },
      local: { name: "LocalShell", docs: {} },
    },
  };
}

function subDocs(docs: MemberDocs, parent: string): MemberDocs {
  return Object.fromEntries(
    Object.entries(docs)
      .filter(([key]) => key.startsWith(`${parent}.`))
      .map(([key, doc]) => [key.slice(parent.length + 1), doc]),
  );
}

/** The package schema, for the package's version. */
export function packageSchema(version: string): PackageSchema {
  const writer = new TypeWriter();
  const connection = writer.typeOf(connectionSchema, connectionObject());
  const shell = writer.typeOf(shellSchema, shellObject());
  return {
    name: PACKAGE_NAME,
    version,
    displayName: "Alation",
    description:
      "Connect Claude and other MCP clients to Alation's hosted MCP server: OAuth client applications and tenant " +
      "feature flags of Alation (pulumi-alation's provider plugin).",
    license: "Apache-2.0",
    keywords: ["pulumi", "alation", "mcp", "oauth", "category/utility"],
    config: { variables: configVariables() },
    provider: {
      description: "The provider of one Alation tenant: its inputs are the `alation:*` stack config keys.",
      inputProperties: configVariables(),
    },
    resources: {
      [tokenOf("OAuthApplication")]: oauthApplicationResource(writer, connection, shell),
      [tokenOf("FeatureFlag")]: featureFlagResource(writer, shell),
      ...componentResources(writer, connection, shell),
    },
    types: writer.types,
    language: {
      nodejs: {
        packageName: "pulumi-alation-sdk",
        packageDescription: "pulumi-alation's provider plugin, from Node.js",
      },
      python: { packageName: "pulumi_alation" },
      go: { importBasePath: "pulumi-alation.local/sdk/go/alation", generateResourceContainerTypes: false },
      csharp: { rootNamespace: "PulumiAlation" },
      java: { basePackage: "com.pulumialation" },
    },
  };
}

/** The configuration keys that hold credentials (secrets): those of connection's credential fields. */
export const SECRET_CONFIG_KEYS: readonly string[] = CONNECTION_KEY_NAMES.filter((name) =>
  CONNECTION_CREDENTIAL_FIELDS.includes(CONNECTION_KEYS[name].field.split(".")[0]),
);

/** The provider's configuration: each key of the connection-keys table, typed as `connection`'s field. */
function configVariables(): Record<string, PropertySpec> {
  const docs = docsOf(RESOURCES_MODULE, "AlationConnection");
  const fieldTypes = z.toJSONSchema(connectionSchema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  const variables: Record<string, PropertySpec> = {};
  for (const name of CONNECTION_KEY_NAMES) {
    const field = CONNECTION_KEYS[name].field;
    const [head, tail] = field.split(".");
    const node = tail ? fieldTypes.properties?.[head]?.properties?.[tail] : fieldTypes.properties?.[head];
    // A number in stack config may be written as text: both are accepted.
    const type =
      node?.type === "number" || node?.type === "integer" ? { type: node.type } : { type: "string" as const };
    variables[name] = {
      ...(node?.anyOf ? { type: "string" } : type),
      ...describe(docs[field] ?? docs[head]),
      ...(SECRET_CONFIG_KEYS.includes(name) ? { secret: true } : {}),
    } as PropertySpec;
  }
  return variables;
}

function oauthApplicationResource(writer: TypeWriter, connection: TypeSpec, shell: TypeSpec): ResourceSpec {
  const args = docsOf(RESOURCES_MODULE, "OAuthApplicationArgs");
  const outputs = docsOf(RESOURCES_MODULE, "OAuthApplication");
  const inputProperties: Record<string, PropertySpec> = {
    connection: { ...connection, ...describe(args.connection) },
    shell: { ...shell, ...describe(args.shell) },
  };
  const docOf = (key: string, docs: MemberDocs) =>
    docs[key] ?? (APPLICATION_FIELD_TABLE as Record<string, { doc: string } | undefined>)[key]?.doc;
  const { autoName: _auto, connection: _c, shell: _s, ...plain } = oauthApplicationShape;
  for (const [key, schema] of Object.entries(plain)) {
    // A number of seconds is a whole number (the field table's kind; zod checks it with a refinement).
    const seconds = (APPLICATION_FIELD_TABLE as Record<string, { kind: string } | undefined>)[key]?.kind === "seconds";
    inputProperties[key] = {
      ...(seconds ? { type: "integer" } : writer.typeOf(schema)),
      ...describe(docOf(key, args)),
    };
  }
  // The start of the default name (the TypeScript class takes it from its arguments as well).
  inputProperties.namePrefix = { type: "string", ...describe(args.namePrefix) };
  inputProperties.adoptClientId.willReplaceOnChanges = true;
  const properties: Record<string, PropertySpec> = {};
  for (const key of APPLICATION_FIELD_KEYS)
    properties[key] = { ...inputProperties[key], ...describe(docOf(key, outputs)) };
  for (const key of ["secretVersion", "adoptClientId"])
    properties[key] = { ...inputProperties[key], ...describe(outputs[key]) };
  properties.clientId = { type: "string", ...describe(outputs.clientId) };
  properties.clientSecret = { type: "string", secret: true, ...describe(outputs.clientSecret) };
  properties.notEnforced = { type: "array", items: { type: "string" }, ...describe(outputs.notEnforced) };
  delete properties.adoptClientId.willReplaceOnChanges;
  return {
    ...describe(classDoc(RESOURCES_MODULE, "OAuthApplication")),
    inputProperties,
    requiredInputs: ["redirectUris"],
    properties,
    required: [...APPLICATION_FIELD_KEYS, "clientId", "clientSecret", "notEnforced"],
  };
}

function featureFlagResource(writer: TypeWriter, shell: TypeSpec): ResourceSpec {
  const module = "resources/feature-flag";
  const args = docsOf(module, "FeatureFlagArgs");
  const outputs = docsOf(module, "FeatureFlag");
  const value = writer.typeOf(confValueSchema);
  const restoreOnDelete = writer.typeOf(featureFlagShape.restoreOnDelete);
  return {
    ...describe(classDoc(module, "FeatureFlag")),
    inputProperties: {
      shell: { ...shell, ...describe(args.shell) },
      key: { type: "string", willReplaceOnChanges: true, ...describe(args.key) },
      value: { ...value, ...describe(args.value) },
      restoreOnDelete: { ...restoreOnDelete, ...describe(args.restoreOnDelete) },
    },
    requiredInputs: ["shell", "key", "value"],
    properties: {
      key: { type: "string", ...describe(outputs.key) },
      value: { ...value, ...describe(outputs.value) },
      previousValue: { ...value, ...describe(outputs.previousValue) },
      restoreOnDelete: { ...restoreOnDelete, ...describe(outputs.restoreOnDelete) },
    },
    required: ["key", "value", "restoreOnDelete"],
  };
}

/** A resource's description: its TypeScript class's doc comment, without the dynamic provider's type name. */
function classDoc(module: string, className: string): string | undefined {
  return docsOf(module, className)[""]?.replace(/\s*Type `pulumi-nodejs:dynamic\/[^`]*`\.?/, "");
}
