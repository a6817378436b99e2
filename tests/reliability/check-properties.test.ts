// Property-based tests (fast-check) of both resources' `check`, called as the runtime's function and, for a few
// inputs, through Pulumi's dynamic-provider server: whatever the inputs (hostile strings, wrong types, unknown
// values anywhere, extra keys), check never throws, every failure names a property (a non-empty path whose first
// part is a field of the input or of the resource) and gives a reason that quotes no credential, and inputs that
// pass check (fully known) are accepted by the parse create and update run.
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { featureFlag, oauthApplication } from "../../provider/runtime";
import { featureFlagSchema, featureFlagShape } from "../../provider/schema/feature-flag";
import { oauthApplicationSchema, oauthApplicationShape } from "../../provider/schema/oauth-application";
import { UNKNOWN, containsUnknown } from "../../provider/schema/unknown";
import { FeatureFlag } from "../../provider";
import { type ProviderServer } from "../support/provider-server";
import { serializeResource } from "../support/serialized-provider";
import { hostileTexts } from "../support/hostile-values";
import { oauthApplicationProvider } from "./fleet";
import { startInstalledProviderServer } from "../support/provider-harness";

type Props = Record<string, unknown>;

/** Inputs tried per resource (the soak raises it). */
const RUNS = Number(process.env.RELIABILITY_PROPERTY_RUNS ?? 400);
type CheckResult = { inputs: Props; failures: Array<{ property: string; reason: string }> };

// Strings of every kind: the hostile texts, any code points (NUL and control characters included), short ones,
// the empty string, and Pulumi's unknown placeholder.
const text = fc.oneof(
  fc.constantFrom(...hostileTexts("/nonexistent/canary")),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ maxLength: 12 }),
  fc.constant(""),
  fc.constant(UNKNOWN),
);
const scalar = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const anyValue = fc.oneof(
  scalar,
  fc.array(scalar, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), scalar, { maxKeys: 3 }),
  fc.constant(undefined),
);
/** A plausible value most of the time, anything at all otherwise. */
const plausible = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 3, arbitrary }, { weight: 1, arbitrary: anyValue });
const optional = <T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }) => fc.record(model, { requiredKeys: [] });

const redirectUri = fc.oneof(
  fc.webUrl(),
  fc.constantFrom(
    "https://claude.ai/api/mcp/auth_callback",
    "http://localhost:3000/cb",
    "cursor://anysphere.cursor-mcp/oauth/callback",
  ),
  text,
);
const connection = optional({
  baseUrl: plausible(fc.oneof(fc.webUrl(), fc.constant("https://tenant.example"), text)),
  apiAccessToken: plausible(text),
  refreshToken: plausible(text),
  userId: plausible(fc.oneof(fc.integer(), text)),
  clientCredentials: plausible(optional({ clientId: plausible(text), clientSecret: plausible(text) })),
  caCertificate: plausible(text),
  timeoutSeconds: plausible(fc.integer({ min: -5, max: 700 })),
});
const shell = fc.oneof(
  fc.constant({ local: {} }),
  optional({
    local: plausible(fc.constant({})),
    ssh: plausible(
      optional({
        host: plausible(text),
        port: plausible(fc.integer({ min: -1, max: 70000 })),
        username: plausible(text),
        privateKey: plausible(
          fc.oneof(
            text,
            fc.constant(
              "-----BEGIN OPENSSH PRIVATE KEY-----\nc2VjcmV0LWtleS1ib2R5\n-----END OPENSSH PRIVATE KEY-----\n",
            ),
          ),
        ),
        hostKeySha256: plausible(text),
        commandPrefix: plausible(fc.array(text, { maxLength: 3 })),
      }),
    ),
    kubernetes: plausible(
      optional({
        kubeconfig: plausible(text),
        context: plausible(text),
        namespace: plausible(fc.oneof(fc.constant("alation"), text)),
        pod: plausible(fc.oneof(fc.constant("alation-0"), text)),
        labelSelector: plausible(text),
        container: plausible(text),
      }),
    ),
    timeoutSeconds: plausible(fc.integer({ min: -1, max: 4000 })),
  }),
);
/** Extra keys the program or the engine may add (`__provider` among them): they pass through. */
const extras = fc.dictionary(fc.string({ maxLength: 10 }), scalar, { maxKeys: 2 });

const applicationInputs = fc
  .tuple(
    optional({
      name: plausible(text),
      clientType: plausible(fc.constantFrom("confidential", "public")),
      redirectUris: plausible(fc.array(redirectUri, { maxLength: 4 })),
      accessTokenExpiry: plausible(fc.integer({ min: 0, max: 400000 })),
      refreshTokenExpiry: plausible(fc.integer({ min: 0, max: 20000000 })),
      pkceRequired: plausible(fc.boolean()),
      jwtRequired: plausible(fc.boolean()),
      isActive: plausible(fc.boolean()),
      internalApplication: plausible(fc.boolean()),
      secretVersion: plausible(text),
      adoptClientId: plausible(text),
      connection: plausible(connection),
      shell: plausible(shell),
    }),
    extras,
  )
  .map(([fields, extra]) => ({ ...extra, ...fields }) as Props);

const flagInputs = fc
  .tuple(
    optional({
      shell: plausible(shell),
      key: plausible(
        fc.oneof(
          fc.constant("alation.feature_flags.enable_jwt_in_v1_oauth_stack"),
          fc.stringMatching(/^[a-z_]{1,8}(\.[a-z_]{1,8}){0,3}$/),
          text,
        ),
      ),
      value: plausible(fc.oneof(fc.boolean(), fc.integer(), fc.double(), text)),
      restoreOnDelete: plausible(fc.boolean()),
    }),
    extras,
  )
  .map(([fields, extra]) => ({ ...extra, ...fields }) as Props);

/** The credential strings of inputs: no failure reason may quote one. */
function credentialsIn(inputs: Props): string[] {
  const connection = (inputs.connection ?? {}) as Props;
  const shell = (inputs.shell ?? {}) as { ssh?: Props; kubernetes?: Props };
  const candidates = [
    connection.apiAccessToken,
    connection.refreshToken,
    (connection.clientCredentials as Props | undefined)?.clientSecret,
    shell.ssh?.privateKey,
    shell.kubernetes?.kubeconfig,
  ];
  // Short or placeholder values could match words of a reason by chance.
  return candidates.filter(
    (value): value is string => typeof value === "string" && value.length >= 12 && value !== UNKNOWN,
  );
}

/** The properties every check result must have. */
function assertWellFormed(
  inputs: Props,
  result: CheckResult,
  shape: Record<string, unknown>,
  schema: { safeParse(value: unknown): { success: boolean } },
): void {
  assert.ok(Array.isArray(result.failures), "failures is a list");
  const secrets = credentialsIn(inputs);
  for (const failure of result.failures) {
    assert.equal(typeof failure.property, "string");
    const head = /^[^.[]+/.exec(failure.property)?.[0];
    assert.ok(head, `a failure names no property: ${JSON.stringify(failure)}`);
    assert.ok(
      head in shape || Object.prototype.hasOwnProperty.call(inputs, head),
      `"${failure.property}" is neither a field nor in the input`,
    );
    assert.ok(
      typeof failure.reason === "string" && failure.reason.trim().length > 0,
      `"${failure.property}" has no reason`,
    );
    for (const secret of secrets)
      assert.ok(!failure.reason.includes(secret), `the reason for ${failure.property} quotes a credential`);
  }
  if (result.failures.length === 0 && !containsUnknown(inputs)) {
    assert.ok(schema.safeParse(result.inputs).success, "create and update accept what check accepted");
  }
}

describe("reliability: properties of check", function () {
  this.timeout(60_000);

  it("OAuthApplication's check: never throws, every failure named, what passes is accepted by create", async () => {
    await fc.assert(
      fc.asyncProperty(applicationInputs, async (inputs) => {
        const result = (await oauthApplication.check({}, inputs)) as CheckResult;
        assertWellFormed(inputs, result, oauthApplicationShape, oauthApplicationSchema);
      }),
      { numRuns: RUNS },
    );
  });

  it("FeatureFlag's check: never throws, every failure named, what passes is accepted by create", async () => {
    await fc.assert(
      fc.asyncProperty(flagInputs, async (inputs) => {
        const result = (await featureFlag.check?.({}, inputs)) as CheckResult;
        assertWellFormed(inputs, result, featureFlagShape, featureFlagSchema);
      }),
      { numRuns: RUNS },
    );
  });

  describe("through the dynamic-provider server", () => {
    let server: ProviderServer;
    let providers: { application: string; flag: string };
    before(async () => {
      server = await startInstalledProviderServer();
      await server.configure({});
      const flag = await serializeResource(
        () => new FeatureFlag("flag", { shell: { local: {} }, key: "alation.x", value: true }),
      );
      providers = { application: await oauthApplicationProvider(), flag: flag.provider };
    });
    after(async () => server?.kill());

    for (const [name, arbitrary, kind, shape, schema] of [
      ["OAuthApplication", applicationInputs, "application", oauthApplicationShape, oauthApplicationSchema],
      ["FeatureFlag", flagInputs, "flag", featureFlagShape, featureFlagSchema],
    ] as const) {
      it(`${name}: the same properties over gRPC, for a few inputs`, async () => {
        await fc.assert(
          fc.asyncProperty(arbitrary, async (generated) => {
            // As the engine sends them: JSON values (undefined fields dropped, NaN and infinities as null).
            const inputs = JSON.parse(JSON.stringify({ ...generated, __provider: providers[kind] })) as Props;
            assertWellFormed(inputs, await server.check({}, inputs), shape, schema);
          }),
          { numRuns: Math.max(25, Math.round(RUNS / 16)) },
        );
      });
    }
  });
});
