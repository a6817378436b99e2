// The resources register without the stack traces Pulumi's SDK collects for each of its promises (the bench's
// engine programs showed them as most of a program's CPU per resource), and leave the stack trace limit as it was.
import { strict as assert } from "node:assert";
import { FeatureFlag, OAuthApplication } from "../../provider";
import { pauseStackTraces } from "../../provider/resources/debug-stacks";
import { serializeResource } from "../support/serialized-provider";

const debuggable: {
  debuggablePromise<T>(p: Promise<T>, ctx: string): Promise<T>;
} = require("@pulumi/pulumi/runtime/debuggable");

describe("resources and the SDK's promise stack traces", () => {
  it("registers an OAuthApplication and a FeatureFlag, and restores Error.stackTraceLimit", async () => {
    const before = Error.stackTraceLimit;
    // Every promise the SDK makes for the application's properties, with the stack it wrote onto it.
    const original = debuggable.debuggablePromise;
    const stacks: string[] = [];
    debuggable.debuggablePromise = (promise, ctx) => {
      const wrapped = original(promise, ctx);
      if (ctx.startsWith("transferProperty(")) stacks.push(String(Reflect.get(promise, "_debugStackTrace")));
      return wrapped;
    };
    let application;
    try {
      application = await serializeResource(
        () => new OAuthApplication("claude", { connection: { baseUrl: "https://acme.example" }, redirectUris: [] }),
      );
    } finally {
      debuggable.debuggablePromise = original;
    }
    assert.ok(stacks.length >= 17, `one per property: ${stacks.length}`);
    assert.deepEqual(new Set(stacks.map((stack) => stack.split("\n").length)), new Set([1]), stacks[0]);
    assert.match(application.provider, /pulumi-alation\/runtime/);
    const flag = await serializeResource(() => new FeatureFlag("flag", { shell: { local: {} }, key: "k", value: 1 }));
    assert.match(flag.provider, /pulumi-alation\/runtime/);
    assert.equal(Error.stackTraceLimit, before);
  });

  it("collects no frames for the SDK's promises while paused, and again after", () => {
    // The SDK writes the stack onto the promise it is given.
    const paused = Promise.resolve();
    const after = Promise.resolve();
    const resume = pauseStackTraces();
    try {
      void debuggable.debuggablePromise(paused, "paused");
    } finally {
      resume();
    }
    void debuggable.debuggablePromise(after, "after");
    const stackOf = (promise: Promise<void>) =>
      String((promise as unknown as { _debugStackTrace: string })._debugStackTrace);
    assert.equal(stackOf(paused).split("\n").length, 1, stackOf(paused));
    assert.ok(stackOf(after).split("\n").length > 1, stackOf(after));
  });
});
