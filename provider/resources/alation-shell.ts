// The public AlationShell input type: how the provider reaches the tenant's shell (kubernetes | ssh | local).
import * as pulumi from "@pulumi/pulumi";

/** Exec into the tenant's Alation pod through the Kubernetes API (like `kubectl exec`). */
export interface KubernetesShell {
  /**
   * A kubeconfig (its YAML text). Stored as a Pulumi secret. Without it the provider reads `KUBECONFIG`,
   * then `~/.kube/config`, then the in-cluster service account.
   */
  kubeconfig?: pulumi.Input<string>;
  /** The kubeconfig context to use. Default: its current context. */
  context?: pulumi.Input<string>;
  /** The namespace of the Alation pod. */
  namespace: pulumi.Input<string>;
  /** The pod's name. Give this or `labelSelector`. */
  pod?: pulumi.Input<string>;
  /** A label selector (e.g. `app=alation`): the first Running pod by name is used. Give this or `pod`. */
  labelSelector?: pulumi.Input<string>;
  /** The container. Default: the pod's `kubectl.kubernetes.io/default-container`, else its first container. */
  container?: pulumi.Input<string>;
}

/** SSH to the tenant's host, whose host key is pinned. */
export interface SshShell {
  /** Host name or IP address. */
  host: pulumi.Input<string>;
  /** Default 22. */
  port?: pulumi.Input<number>;
  /** The user to log in as. */
  username: pulumi.Input<string>;
  /** An unencrypted private key, PEM or OpenSSH format. Stored as a Pulumi secret. */
  privateKey: pulumi.Input<string>;
  /**
   * The host key's SHA-256 fingerprint as `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` prints it
   * (`SHA256:...`), or the bare base64. A server showing another key is refused.
   */
  hostKeySha256: pulumi.Input<string>;
  /**
   * Words put before every command, as argv (each one quoted for the remote POSIX shell), for hosts where
   * `alation_conf` and `alation_django_shell` need a wrapper: e.g. `["sudo", "-u", "alation"]` or
   * `["env", "PATH=/opt/alation/bin:/usr/bin:/bin"]`.
   */
  commandPrefix?: pulumi.Input<pulumi.Input<string>[]>;
}

/** Run the commands on the machine where Pulumi runs (inside the tenant's pod or host; or with the emulator). */
export type LocalShell = Record<string, never>;

/**
 * How to reach the tenant's shell, where `alation_conf` and `alation_django_shell` run: exactly one of
 * `kubernetes`, `ssh` and `local`. On Alation Cloud the pod is Alation's: this is the connector guide's "Please
 * contact Alation Engineers for this step", run by Alation's own people or in a support session in the tenant's pod
 * (../shared/alation-api.md section 5).
 */
export interface AlationShell {
  /** Exec into the tenant's pod. */
  kubernetes?: pulumi.Input<KubernetesShell>;
  /** SSH to the tenant's host. */
  ssh?: pulumi.Input<SshShell>;
  /** Run the commands here. */
  local?: pulumi.Input<LocalShell>;
  /** How long one command may take, in seconds. Default: 60 for alation_conf, 180 for the Django shell. */
  timeoutSeconds?: pulumi.Input<number>;
}
