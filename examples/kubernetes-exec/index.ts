// Self-managed Alation: the guide's two shell steps as code, through the tenant's pod. The kubeconfig comes from
// KUBECONFIG / ~/.kube/config / in-cluster, or from the secret config `kubeconfig`.
//   1. alation_conf alation.feature_flags.enable_jwt_in_v1_oauth_stack -s True   (FeatureFlag)
//   2. the OAuth application, through alation_django_shell                     (every field enforced)
// The connector's fields are also published as a Kubernetes Secret for other tools.
import * as pulumi from "@pulumi/pulumi";
import { AlationClaudeConnector } from "pulumi-alation";

const config = new pulumi.Config();

const connector = new AlationClaudeConnector("claude", {
  tenantUrl: config.require("tenantUrl"),
  shell: {
    kubernetes: {
      kubeconfig: config.getSecret("kubeconfig"),
      namespace: config.require("namespace"),
      labelSelector: config.get("labelSelector") ?? "app=alation",
      container: config.get("container") ?? "alation",
    },
  },
  kubernetesSecret: {
    namespace: config.get("secretNamespace") ?? "claude-connectors",
    name: "alation-claude-connector",
  },
});

export const connectorName = connector.connectorName;
export const remoteMcpServerUrl = connector.remoteMcpServerUrl;
export const clientId = connector.clientId;
export const clientSecret = connector.clientSecret;
export const flagPreviousValue = connector.featureFlag?.previousValue;
