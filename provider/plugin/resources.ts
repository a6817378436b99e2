// The custom resources of the plugin: each type token bound to its runtime provider (the one the dynamic provider's
// stub forwards to: check, diff, create, read, update and delete are written once, in provider/runtime/), with what
// the plugin adds around it: the default name from the URN (the TypeScript class computes it in the program), and
// which outputs stay secret in state.
import { autoNameOf } from "../domain/application-names";
import { featureFlag, oauthApplication } from "../runtime";
import type { Props, RuntimeProvider } from "../runtime/runtime-provider";
import { tokenOf } from "./schema";

/** One custom resource type of the plugin. */
export interface PluginResource {
  runtime: RuntimeProvider;
  /** Outputs kept secret in state whatever the inputs: the secret itself, and settings that hold credentials. */
  secretOutputs: readonly string[];
  /** The inputs `check` gives the runtime: the program's, with what the TypeScript class would have added. */
  inputsFor(urn: string, news: Props): Props;
}

/** The parts of a URN: `urn:pulumi:STACK::PROJECT::TYPE::NAME`. */
export function parseUrn(urn: string): { stack: string; project: string; type: string; name: string } {
  const [head, project = "", type = "", ...name] = urn.split("::");
  return { stack: head.replace(/^urn:pulumi:/, ""), project, type, name: name.join("::") };
}

export const PLUGIN_RESOURCES: Readonly<Record<string, PluginResource>> = {
  [tokenOf("OAuthApplication")]: {
    runtime: oauthApplication,
    secretOutputs: ["clientSecret", "connection", "shell"],
    inputsFor(urn, news) {
      const { stack, project, name } = parseUrn(urn);
      // As the TypeScript class does it (no organization: the engine does not tell a provider its organization).
      const prefix = typeof news.namePrefix === "string" ? news.namePrefix : name;
      return { ...news, autoName: autoNameOf(prefix, { organization: "", project, stack, resource: name }) };
    },
  },
  [tokenOf("FeatureFlag")]: {
    runtime: featureFlag,
    secretOutputs: ["shell"],
    inputsFor: (_urn, news) => news,
  },
};

/** The resource of a type token, or an error naming it. */
export function pluginResourceOf(type: string): PluginResource {
  const resource = PLUGIN_RESOURCES[type];
  if (!resource)
    throw new Error(`unknown resource type ${type} (this plugin serves ${Object.keys(PLUGIN_RESOURCES).join(", ")})`);
  return resource;
}
