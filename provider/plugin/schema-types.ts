// Pulumi's package schema format (the parts this package uses), and the conversion of the runtime's zod schemas into
// it: what check accepts is what the schema declares.
import { z } from "zod";
import type { MemberDocs } from "./doc-comments";

/** The package's name: resource types are `alation:index:<Name>`. */
export const PACKAGE_NAME = "alation";

/** `alation:index:<name>`. */
export const tokenOf = (name: string) => `${PACKAGE_NAME}:index:${name}`;

/** A property's type in Pulumi's schema. */
export interface TypeSpec {
  type?: "string" | "number" | "integer" | "boolean" | "array" | "object";
  items?: TypeSpec;
  additionalProperties?: TypeSpec;
  $ref?: string;
  oneOf?: TypeSpec[];
}

/** A property: its type, what it is, whether it is a secret. */
export interface PropertySpec extends TypeSpec {
  description?: string;
  secret?: boolean;
  willReplaceOnChanges?: boolean;
}

export interface ObjectTypeSpec {
  type: "object";
  description?: string;
  properties: Record<string, PropertySpec>;
  required?: string[];
}

export interface ResourceSpec {
  description?: string;
  isComponent?: boolean;
  inputProperties: Record<string, PropertySpec>;
  requiredInputs: string[];
  properties: Record<string, PropertySpec>;
  required: string[];
}

export interface PackageSchema {
  name: string;
  version: string;
  displayName: string;
  description: string;
  license: string;
  keywords: string[];
  config: { variables: Record<string, PropertySpec> };
  provider: { description: string; inputProperties: Record<string, PropertySpec> };
  resources: Record<string, ResourceSpec>;
  types: Record<string, ObjectTypeSpec>;
  language: Record<string, Record<string, unknown>>;
}

// A JSON Schema node, as zod's toJSONSchema writes it.
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
}

/** How one object input of the TypeScript API is named and documented (its interface). */
export interface NamedObject {
  /** The TypeScript interface's name: the schema type's. */
  name: string;
  /** Where its doc comments are. */
  docs: MemberDocs;
  /** Its object fields, each a named object too. */
  fields?: Record<string, NamedObject>;
  /** Its fields that hold credentials (secret), dotted. */
  secrets?: readonly string[];
}

/** Converts zod schemas to Pulumi's types, registering object types as they are met. */
export class TypeWriter {
  readonly types: Record<string, ObjectTypeSpec> = {};

  /** The type of a zod schema; `named` names it when it is an object. */
  typeOf(schema: z.ZodType, named?: NamedObject): TypeSpec {
    return this.fromJson(z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema, named);
  }

  private fromJson(node: JsonSchema, named?: NamedObject): TypeSpec {
    const types = Array.isArray(node.type) ? node.type : node.type ? [node.type] : [];
    const alternatives = node.anyOf ?? node.oneOf ?? (types.length > 1 ? types.map((type) => ({ type })) : undefined);
    if (alternatives) return { oneOf: alternatives.map((alternative) => this.fromJson(alternative)) };
    switch (types[0]) {
      case "string":
      case "number":
      case "integer":
      case "boolean":
        return { type: types[0] };
      case "array":
        return { type: "array", items: node.items ? this.fromJson(node.items) : { $ref: "pulumi.json#/Any" } };
      case "object":
        if (!named) return { type: "object", additionalProperties: { $ref: "pulumi.json#/Any" } };
        this.objectType(node, named);
        return { $ref: `#/types/${tokenOf(named.name)}` };
      default:
        return node.enum ? { type: "string" } : { $ref: "pulumi.json#/Any" };
    }
  }

  private objectType(node: JsonSchema, named: NamedObject): void {
    const properties: Record<string, PropertySpec> = {};
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      properties[key] = {
        ...this.fromJson(child, named.fields?.[key]),
        ...describe(named.docs[key]),
        ...(isSecret(named.secrets, key) ? { secret: true } : {}),
      };
    }
    this.types[tokenOf(named.name)] = {
      type: "object",
      ...describe(named.docs[""]),
      properties,
      ...(node.required?.length ? { required: node.required } : {}),
    };
  }
}

function isSecret(secrets: readonly string[] | undefined, key: string): boolean {
  return secrets?.includes(key) ?? false;
}

/** `{ description }` when there is one. */
export function describe(doc: string | undefined): { description?: string } {
  return doc ? { description: doc } : {};
}
