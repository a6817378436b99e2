// What the resources the program still declares hold, as this provider process has seen them: applications (by
// client id, held with a secret) and configuration keys (by tenant shell and key, held with a value and the value
// found before). The engine creates a renamed or replaced resource before it deletes the old one, in the same
// provider process, after the program's resources were diffed, created or updated; so when a delete comes and a
// live resource holds the same application (its adoption rotated the secret) or the same key, the delete must
// leave it: it belongs to the live resource now. This costs no request; it is in memory only, dies with the process.
import { canonicalJson } from "../domain/canonical-json";
import { containsUnknown } from "../schema/unknown";

/** Per subject (an application, a key on a tenant), what each live resource holding it holds it with. */
const holders = new Map<string, Set<string>>();

function claim(subject: string, holder: string): void {
  let set = holders.get(subject);
  if (!set) holders.set(subject, (set = new Set()));
  set.add(holder);
}

function release(subject: string, holder: string): void {
  holders.get(subject)?.delete(holder);
}

function heldByAnother(subject: string, holder: string): boolean {
  return [...(holders.get(subject) ?? [])].some((other) => other !== holder);
}

const application = (clientId: string) => `application\n${clientId}`;

/** A live resource holds application `clientId` with `clientSecret` (instead of `previousSecret`, after a rotation). */
export function claimApplication(clientId: unknown, clientSecret: unknown, previousSecret?: unknown): void {
  if (typeof clientId !== "string" || typeof clientSecret !== "string" || !clientId || !clientSecret) return;
  if (typeof previousSecret === "string") release(application(clientId), previousSecret);
  claim(application(clientId), clientSecret);
}

/** Whether a live resource holds application `clientId` with another secret than `clientSecret` (it adopted it). */
export function applicationHeldByAnother(clientId: string, clientSecret: unknown): boolean {
  return heldByAnother(application(clientId), String(clientSecret ?? ""));
}

/** What a FeatureFlag holds its key with. */
export interface KeyHolding {
  shell: unknown;
  key: unknown;
  value: unknown;
  previousValue?: unknown;
}

/** A live FeatureFlag holds a key (instead of `before`, after an update). Unknown values (preview) claim nothing. */
export function claimConfigurationKey(holding: KeyHolding, before?: KeyHolding): void {
  if (containsUnknown([holding.shell, holding.key, holding.value]) || typeof holding.key !== "string") return;
  if (before) release(keySubject(before), keyHolder(before));
  claim(keySubject(holding), keyHolder(holding));
}

/**
 * Whether another live FeatureFlag holds this key on this tenant. A FeatureFlag created after the first one set the
 * key finds that value as its own previous value, so the two hold it differently; two that hold it alike found and
 * set the same values, and putting back the one's previous value changes nothing for the other.
 */
export function configurationKeyHeldByAnother(holding: KeyHolding): boolean {
  return heldByAnother(keySubject(holding), keyHolder(holding));
}

// The same tenant is reached by equal shell settings; a time limit does not make another tenant.
function keySubject({ shell, key }: KeyHolding): string {
  const { timeoutSeconds: _timeout, ...settings } = (shell ?? {}) as Record<string, unknown>;
  return `key\n${canonicalJson(settings)}\n${String(key)}`;
}

function keyHolder({ value, previousValue }: KeyHolding): string {
  return canonicalJson({ value, previousValue });
}
