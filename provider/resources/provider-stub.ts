// The tiny dynamic provider each resource carries in `__provider`: the source of a module whose `handler()` returns a
// provider with `configure` alone. It captures nothing but the kind: no client, no schema, no secret, no file path.
// Pulumi's provider server evaluates the source once per process (its requireFromString), calls `handler()`, then
// `configure` before any other method; `configure` binds check/diff/create/read/update/delete to those of
// `require("pulumi-alation/runtime")[kind]`, resolved when the provider process runs it, from the user's project where
// the package is installed: the implementation can change without replacing resources.
//
// The source is written here, not made by Pulumi's closure serializer (pulumi.dynamic.Resource): the serializer
// loads the TypeScript compiler and walks the function through the inspector, about 0.3 s of CPU in every program,
// for a text that never changes. Stacks made before hold the serializer's text of the same stub; both keep working
// (the runtime's exports are a contract), and a changed `__provider` is no change (the runtime's diff compares fields).

/** The runtime objects a stub can forward to (`require("pulumi-alation/runtime")[kind]`). */
export type RuntimeKind = "oauthApplication" | "featureFlag";

/** The source of `__provider` for `kind`. */
export function providerStubSource(kind: RuntimeKind): string {
  // `kind` is one of two constants of this package: no user value reaches this source.
  return [
    "exports.handler = () => ({",
    "  configure(req) {",
    '    const runtime = require("pulumi-alation/runtime");',
    `    const implementation = runtime[${JSON.stringify(kind)}];`,
    "    for (const method of Object.keys(implementation)) {",
    "      this[method] = (...args) => implementation[method](...args);",
    "    }",
    "    return runtime.configure(req);",
    "  },",
    "});",
    "",
  ].join("\n");
}
