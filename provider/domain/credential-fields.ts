// The fields of the connection and shell settings that hold a credential: the resources store them as Pulumi secrets,
// and `alation-fleet` refuses a fleet file that writes one (its credentials come from the environment).

/** The credential fields of a connection (`clientCredentials` as a whole: its clientId and clientSecret). */
export const CONNECTION_CREDENTIAL_FIELDS: readonly string[] = ["apiAccessToken", "refreshToken", "clientCredentials"];

/** The credential fields of shell settings, dotted: a kubeconfig, an SSH private key. */
export const SHELL_CREDENTIAL_FIELDS: readonly string[] = ["kubernetes.kubeconfig", "ssh.privateKey"];
