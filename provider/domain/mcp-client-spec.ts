// Reading a `client` as the user wrote it (a preset's name, a preset with options, or explicit redirect URIs): its
// problems, each naming the field, and what it resolves to (options with their defaults, the callbacks, the format
// of its clientConfig). The component judges what is known at construction and the rest once known; the verifier
// judges its input.
import { FORM_FIELDS, type ClientConfigFormat } from "./mcp-client-configs";
import {
  MCP_CLIENT_PRESETS,
  MCP_CLIENT_TABLE,
  redirectUriOptionProblem,
  type McpClient,
  type McpClientPreset,
} from "./mcp-clients";

/** A problem of a client: the field it is about, relative to the client (`callbackPort`, `redirectUris[1]`, ""). */
export interface ClientProblem {
  field: string;
  /** The rest of the sentence after the field's name. */
  message: string;
}

/** `client.callbackPort must be ...`: a problem in one sentence, the field as the user wrote it under `base`. */
export function describeProblem(base: string, problem: ClientProblem): string {
  const prefix = problem.field === "" || problem.field.startsWith("[") ? base : `${base}.`;
  return `${prefix}${problem.field} ${problem.message}`;
}

const SHAPES =
  `a preset's name (${MCP_CLIENT_PRESETS.map((name) => `"${name}"`).join(", ")}), a preset with its options ` +
  '({ preset: "claude-code", callbackPort: 3118 }), or { redirectUris: [...] }';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Every problem of `raw`. Values for which `known` is false (Outputs not resolved yet) are not judged; the preset's
 * name and the shape must be known (they decide what the connector makes).
 */
export function clientProblems(raw: unknown, known: (value: unknown) => boolean = () => true): ClientProblem[] {
  if (raw === undefined) return [{ field: "", message: `is required: ${SHAPES}` }];
  if (!known(raw) || (isRecord(raw) && "preset" in raw && !known(raw.preset))) {
    const field = known(raw) ? "preset" : "";
    return [{ field, message: "must be a plain value, not an Output: option values may be Outputs" }];
  }
  if (typeof raw === "string") {
    if ((MCP_CLIENT_PRESETS as readonly string[]).includes(raw)) return [];
    return [{ field: "", message: `must be ${SHAPES}; got ${JSON.stringify(raw.slice(0, 40))}` }];
  }
  if (!isRecord(raw) || "preset" in raw === "redirectUris" in raw) {
    return [{ field: "", message: `must be ${SHAPES}` }];
  }
  return "preset" in raw ? presetProblems(raw, known) : redirectUrisProblems(raw, known);
}

function presetProblems(raw: Record<string, unknown>, known: (value: unknown) => boolean): ClientProblem[] {
  const preset = raw.preset;
  if (typeof preset !== "string" || !(MCP_CLIENT_PRESETS as readonly string[]).includes(preset)) {
    return [{ field: "preset", message: `must be one of ${MCP_CLIENT_PRESETS.join(", ")}` }];
  }
  const options = MCP_CLIENT_TABLE[preset as McpClientPreset].options;
  const names = Object.keys(options);
  const problems: ClientProblem[] = [];
  for (const key of Object.keys(raw)) {
    if (key === "preset" || key in options) continue;
    const its = names.length ? `its options: ${names.join(", ")}` : "it has none";
    problems.push({ field: key, message: `is not an option of the ${preset} preset (${its})` });
  }
  for (const [name, option] of Object.entries(options)) {
    const value = raw[name];
    if (value === undefined) {
      if (option.default === undefined) problems.push({ field: name, message: `is required by the ${preset} preset` });
      continue;
    }
    const message = known(value) ? option.problem(value) : undefined;
    if (message) problems.push({ field: name, message });
  }
  return problems;
}

function redirectUrisProblems(raw: Record<string, unknown>, known: (value: unknown) => boolean): ClientProblem[] {
  const extra = Object.keys(raw).filter((key) => key !== "redirectUris");
  const problems = extra.map((field) => ({ field, message: "is not a field of { redirectUris: [...] }" }));
  const uris = raw.redirectUris;
  if (!known(uris)) return problems;
  if (!Array.isArray(uris) || uris.length === 0) {
    return [...problems, { field: "redirectUris", message: "must list at least one redirect URI" }];
  }
  uris.forEach((uri, index) => {
    const message = known(uri) ? redirectUriOptionProblem(uri) : undefined;
    if (message) problems.push({ field: `redirectUris[${index}]`, message });
  });
  return problems;
}

/** A client, read: what its connector registers and gives out. */
export interface ResolvedClient {
  /** The preset's name, or "custom" for explicit redirect URIs. */
  key: McpClientPreset | "custom";
  /** The client, as people name it. */
  title: string;
  /** The preset's options, defaults applied. */
  options: Readonly<Record<string, string | number | boolean>>;
  /** The callbacks its application registers (`tenantOrigin` undefined: the client's own only). */
  callbacks(tenantOrigin?: string): string[];
  /** Its clientConfig's format. */
  config: ClientConfigFormat;
}

/** What a valid client resolves to (clientProblems found nothing). */
export function resolveClient(client: McpClient): ResolvedClient {
  if (typeof client !== "string" && "redirectUris" in client) {
    const uris = [...client.redirectUris];
    return { key: "custom", title: "the MCP client", options: {}, callbacks: () => [...uris], config: FORM_FIELDS };
  }
  const { preset, ...given } = typeof client === "string" ? { preset: client } : client;
  const definition = MCP_CLIENT_TABLE[preset];
  const options: Record<string, string | number | boolean> = {};
  for (const [name, option] of Object.entries(definition.options)) {
    const value = (given as Record<string, unknown>)[name] ?? option.default;
    if (value !== undefined) options[name] = value as string | number | boolean;
  }
  return {
    key: preset,
    title: definition.title,
    options,
    callbacks: (origin) => definition.callbacks(options, origin),
    config: definition.config,
  };
}
