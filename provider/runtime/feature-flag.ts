// FeatureFlag's dynamic provider: one alation_conf key held at a value, the value found before put back on delete.
// Runs in Pulumi's provider process; `check` and `diff` never reach the tenant.
import { isDeepStrictEqual } from "node:util";
import { checkWithSchema, parseOrThrow } from "../schema/check";
import { featureFlagSchema, featureFlagShape, type FeatureFlagInputs } from "../schema/feature-flag";
import type { ShellSettings } from "../schema/shell";
import { containsUnknown, isUnknown } from "../schema/unknown";
import { confValueAs, type ConfValue } from "../shell/alation-conf";
import { claimConfigurationKey, configurationKeyHeldByAnother } from "./claims";
import type { Props, RuntimeProvider } from "./runtime-provider";

/** What FeatureFlag keeps in state. `shell` stays so that read and delete can reach the tenant. */
export interface FeatureFlagOutputs {
  shell: ShellSettings;
  key: string;
  value: ConfValue;
  restoreOnDelete: boolean;
  /** The value before create, read as the type of `value` when it reads as one; absent when none was printed. */
  previousValue?: ConfValue;
}

/** The tenant's alation_conf through its shell; the transports load on first use (a preview loads none). */
function shellConf(settings: ShellSettings) {
  const shell: typeof import("../shell") = require("../shell");
  return shell.createShellConf(settings);
}

function parseInputs(raw: Props): FeatureFlagInputs {
  return parseOrThrow(featureFlagSchema, raw, "FeatureFlag inputs are invalid");
}

async function check(_olds: Props, news: Props) {
  return checkWithSchema(featureFlagSchema, featureFlagShape, news);
}

async function diff(_id: string, olds: FeatureFlagOutputs, news: Props) {
  // A resource the program still declares holds this key (on this tenant).
  claimConfigurationKey({ shell: news.shell, key: news.key, value: news.value, previousValue: olds.previousValue });
  // Another key is another flag: replace. A new way to reach the same tenant (a rotated kubeconfig, a new pod
  // name) is an update, so that state holds what read and delete will use.
  const replaces = isUnknown(news.key) || news.key !== olds.key ? ["key"] : [];
  const changed = ["value", "restoreOnDelete", "shell"].filter(
    (field) => containsUnknown(news[field]) || !isDeepStrictEqual(news[field], olds[field as keyof FeatureFlagOutputs]),
  );
  // `diffs`: the changed keys, for the provider plugin (the dynamic-provider server ignores them).
  return {
    changes: replaces.length + changed.length > 0,
    replaces,
    deleteBeforeReplace: false,
    diffs: [...replaces, ...changed],
  };
}

async function create(raw: Props) {
  const inputs = parseInputs(raw);
  const previousValue = await currentValue(inputs.shell, inputs.key, inputs.value);
  await shellConf(inputs.shell).writeConf(inputs.key, inputs.value);
  const outs = outputsOf(inputs, previousValue);
  claimConfigurationKey(outs);
  return { id: inputs.key, outs };
}

async function read(id: string, props?: FeatureFlagOutputs) {
  if (!props?.shell) {
    throw new Error(
      `FeatureFlag ${id}: reading needs the resource's state (its shell settings); it cannot be imported by id alone`,
    );
  }
  // Drift shows as a value that differs from the one in state; nothing printed reads as "".
  const value = (await currentValue(props.shell, props.key, props.value)) ?? "";
  return { id, props: { ...props, value } };
}

async function update(_id: string, olds: FeatureFlagOutputs, news: Props) {
  const inputs = parseInputs(news);
  if (inputs.value !== olds.value) await shellConf(inputs.shell).writeConf(inputs.key, inputs.value);
  const outs = outputsOf(inputs, olds.previousValue);
  claimConfigurationKey(outs, olds);
  return { outs };
}

async function remove(_id: string, props: FeatureFlagOutputs): Promise<void> {
  // Nothing to put back when nothing was printed before. Otherwise written even when it seems to be the value
  // already: setting a value is idempotent, and the tenant may have drifted since the last refresh.
  if (!props.restoreOnDelete || props.previousValue === undefined) return;
  // A renamed FeatureFlag is created before the old one is deleted: the new one holds the key now.
  if (configurationKeyHeldByAnother(props)) {
    console.warn(
      `alation:FeatureFlag ${props.key}: not put back to ${JSON.stringify(props.previousValue)}: another ` +
        "FeatureFlag of this stack holds it now (a rename or a replacement), so it keeps " +
        JSON.stringify(props.value),
    );
    return;
  }
  await shellConf(props.shell).writeConf(props.key, props.previousValue);
}

function outputsOf(inputs: FeatureFlagInputs, previousValue: ConfValue | undefined): FeatureFlagOutputs {
  const outputs: FeatureFlagOutputs = {
    shell: inputs.shell,
    key: inputs.key,
    value: inputs.value,
    restoreOnDelete: inputs.restoreOnDelete,
  };
  if (previousValue !== undefined) outputs.previousValue = previousValue;
  return outputs;
}

/** The value a key holds, read as the type of `like`. */
async function currentValue(settings: ShellSettings, key: string, like: ConfValue): Promise<ConfValue | undefined> {
  const printed = await shellConf(settings).readConf(key);
  return printed === undefined ? undefined : confValueAs(printed, like);
}

/** FeatureFlag's provider methods, as Pulumi's dynamic-provider server calls them. */
export const featureFlag = { check, diff, create, read, update, delete: remove } satisfies RuntimeProvider;
