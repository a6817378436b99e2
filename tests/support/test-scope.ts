// What a test starts and the root hooks (root-hooks.ts) stop when it ends. A test scope opens before each test (its
// beforeEach hooks included) and closes after it; a tenant or a scripted server started in it is stopped then, so a
// suite needs no afterEach of its own. Outside a scope (a `before` hook, the benchmark) nothing is recorded: the
// starter stops what it started.

/** Something a test may leave running. */
export interface Stoppable {
  stop(): Promise<void>;
}

let started: Stoppable[] | undefined;

/** Records `resource` to be stopped when the running test ends (when a test is running); returns it. */
export function stopWhenTestEnds<T extends Stoppable>(resource: T): T {
  started?.push(resource);
  return resource;
}

/** Opens a test's scope (root beforeEach). */
export function openTestScope(): void {
  started = [];
}

/** Stops, last first, what was started in the test's scope, and closes it (root afterEach). */
export async function closeTestScope(): Promise<void> {
  const resources = started ?? [];
  started = undefined;
  for (const resource of resources.reverse()) await resource.stop();
}
