// Self-managed Alation: the guide's two shell steps as code, through the tenant's pod. The kubeconfig comes from
// KUBECONFIG / ~/.kube/config / in-cluster, or from the secret config `kubeconfig`.
//   1. alation_conf alation.feature_flags.enable_jwt_in_v1_oauth_stack -s True   (FeatureFlag)
//   2. the OAuth application, through alation_django_shell                     (every field enforced)
// The connector's fields are also published as a Kubernetes Secret for other tools, in the same cluster.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AlationClaudeConnector } from "pulumi-alation";

const config = new pulumi.Config();
const kubeconfig = config.getSecret("kubeconfig");
const context = config.get("context");

// The Secret goes to the cluster the exec goes to: a Kubernetes provider from the same kubeconfig and context
// (without `kubeconfig`, both read KUBECONFIG, then ~/.kube/config).
const cluster = new k8s.Provider("tenant-cluster", { kubeconfig, context });

const secretNamespaceName = config.get("secretNamespace") ?? "claude-connectors";
// Created here unless it exists already (createSecretNamespace: false); the Secret waits for it.
const secretNamespace =
  (config.getBoolean("createSecretNamespace") ?? true)
    ? new k8s.core.v1.Namespace("secret-namespace", { metadata: { name: secretNamespaceName } }, { provider: cluster })
        .metadata.name
    : pulumi.output(secretNamespaceName);

const connector = new AlationClaudeConnector("claude", {
  tenantUrl: config.require("tenantUrl"),
  shell: {
    kubernetes: {
      kubeconfig,
      context,
      namespace: config.require("namespace"),
      labelSelector: config.get("labelSelector") ?? "app=alation",
      container: config.get("container") ?? "alation",
    },
  },
  kubernetesSecret: {
    namespace: secretNamespace,
    name: "alation-claude-connector",
    provider: cluster,
  },
});

export const connectorName = connector.connectorName;
export const remoteMcpServerUrl = connector.remoteMcpServerUrl;
export const clientId = connector.clientId;
export const clientSecret = connector.clientSecret;
export const flagPreviousValue = connector.featureFlag?.previousValue;
