// The zod schema of AlationShell settings, as the runtime receives them (plain values: no Output, no secret
// wrapper). Messages never quote a value: kubeconfigs and private keys are secrets.
import { z } from "zod";

// Kubernetes names: a namespace or container is a DNS-1123 label, a pod a DNS-1123 subdomain.
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
// OpenSSH's fingerprint: 32 bytes of SHA-256 in base64 (43 characters unpadded), `SHA256:` optional.
const SHA256_FINGERPRINT = /^(SHA256:)?[A-Za-z0-9+/]{43}=?$/;
const PRIVATE_KEY = /-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY-----/;
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

const text = (what: string) =>
  z
    .string({ error: `${what} must be a string` })
    .min(1, { error: `${what} must not be empty` })
    .refine((value) => !CONTROL_CHARACTERS.test(value), {
      error: `${what} must not hold newlines or control characters`,
    });

const kubernetesName = (what: string, pattern: RegExp, maxLength: number) =>
  z
    .string({ error: `${what} must be a string` })
    .max(maxLength, { error: `${what} is longer than ${maxLength} characters` })
    .regex(pattern, { error: `${what} must be a Kubernetes name (lower-case letters, digits and '-')` });

/** `shell.kubernetes`: exec into the tenant's pod. */
export const kubernetesShellSchema = z
  .strictObject({
    kubeconfig: z
      .string({ error: "kubeconfig must be a string (a kubeconfig's YAML)" })
      .min(1, { error: "kubeconfig must not be empty" })
      .optional(),
    context: text("context").optional(),
    namespace: kubernetesName("namespace", DNS_LABEL, 63),
    pod: kubernetesName("pod", DNS_SUBDOMAIN, 253).optional(),
    labelSelector: text("labelSelector").optional(),
    container: kubernetesName("container", DNS_LABEL, 63).optional(),
  })
  .superRefine((settings, ctx) => {
    if ((settings.pod === undefined) === (settings.labelSelector === undefined)) {
      ctx.addIssue({ code: "custom", path: ["pod"], message: "give exactly one of pod and labelSelector" });
    }
  });

/** `shell.ssh`: SSH to the tenant's host, its host key pinned. */
export const sshShellSchema = z.strictObject({
  host: text("host").refine((value) => !/[\s@/]/.test(value), { error: "host must be a host name or an IP address" }),
  port: z.number({ error: "port must be a number" }).int().min(1).max(65535).default(22),
  username: text("username").refine((value) => !/\s/.test(value), { error: "username must not hold spaces" }),
  privateKey: z
    .string({ error: "privateKey must be a string (a PEM or OpenSSH private key)" })
    .refine((value) => PRIVATE_KEY.test(value), {
      error: "privateKey must be a PEM or OpenSSH private key (-----BEGIN ... PRIVATE KEY-----)",
    }),
  hostKeySha256: z
    .string({ error: "hostKeySha256 must be a string" })
    .trim()
    .regex(SHA256_FINGERPRINT, {
      error:
        "hostKeySha256 must be the host key's SHA-256 fingerprint as `ssh-keygen -lf` prints it (SHA256:<43 base64 " +
        "characters>)",
    }),
  commandPrefix: z
    .array(
      z
        .string()
        .min(1, { error: "a commandPrefix element must not be empty" })
        .refine((value) => !value.includes("\0"), { error: "a commandPrefix element must not hold NUL" }),
      {
        error: "commandPrefix must be a list of strings (argv)",
      },
    )
    .optional(),
});

/** `shell.local`: the commands are on this machine. */
export const localShellSchema = z.strictObject({});

/** How to reach the tenant's shell: exactly one of kubernetes, ssh and local. */
export const shellSchema = z
  .strictObject(
    {
      kubernetes: kubernetesShellSchema.optional(),
      ssh: sshShellSchema.optional(),
      local: localShellSchema.optional(),
      timeoutSeconds: z.number({ error: "timeoutSeconds must be a number" }).int().min(1).max(3600).optional(),
    },
    {
      error: (issue) =>
        issue.code === "invalid_type" ? "shell must be an object with one of kubernetes, ssh and local" : undefined,
    },
  )
  .superRefine((settings, ctx) => {
    const given = (["kubernetes", "ssh", "local"] as const).filter((way) => settings[way] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({
        code: "custom",
        path: [],
        message: `give exactly one of kubernetes, ssh and local${given.length > 1 ? ` (got ${given.join(", ")})` : ""}`,
      });
    }
  });

/** Parsed AlationShell settings (defaults applied). */
export type ShellSettings = z.infer<typeof shellSchema>;
