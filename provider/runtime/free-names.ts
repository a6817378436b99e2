// Names a tenant did not hold when this provider process listed its applications, so that the creates of a rollout
// under their own default names do not each list the tenant to learn that the name is free (a request per create,
// and every page of the list).
//
// Why an earlier listing of this process may answer "free" for a resource's own default name (application-names.ts):
// no person and no other stack holds that name, and the engine creates each resource once in a run, so what could
// hold it is an application that an interrupted run left, made before this process started and so listed. A name
// the listing holds is looked up afresh (it may be gone since); a name the user gave is always looked up afresh, as
// anyone may have made one since. The one thing a listing can miss is a create of a killed run that the tenant
// carries out after the listing: then a second application is made under the name, and none is taken over.
import type { ApplicationStore } from "../domain/application-store";

/** How long a listing answers (it bounds the window above); the next create after it lists again. */
const LISTING_MAX_AGE_MS = 60_000;

/** A listing per tenant origin: its names, or undefined where the tenant's list could not tell. */
const listings = new Map<string, { listedAt: number; names: Promise<ReadonlySet<string> | undefined> }>();

/**
 * Whether this process's listing of the tenant at `origin` shows `name` free. False when it cannot tell (the store
 * cannot list, the listing failed or is incomplete, or the name is listed): then the caller looks the name up.
 */
export async function listedAsFree(origin: string, store: ApplicationStore, name: string): Promise<boolean> {
  if (!store.listNames) return false;
  let listing = listings.get(origin);
  if (!listing || Date.now() - listing.listedAt > LISTING_MAX_AGE_MS) {
    // A failed listing answers nothing; the lookup that follows reports the failure as it would have.
    listing = { listedAt: Date.now(), names: store.listNames().catch(() => undefined) };
    listings.set(origin, listing);
  }
  const names = await listing.names;
  return names !== undefined && !names.has(name);
}
