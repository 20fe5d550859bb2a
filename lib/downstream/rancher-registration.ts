import { DataKubernetesResource } from '@cdktf/provider-kubernetes/lib/data-kubernetes-resource';
import { DataKubernetesSecretV1 } from '@cdktf/provider-kubernetes/lib/data-kubernetes-secret-v1';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { TerraformLocal, TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import type { ClusterCredentials } from '../cluster/credentials';
import { KubernetesSecretWait } from '../k8s/secret-wait';
import {
  CACERTS_SETTING,
  caChecksumExpression,
  CLUSTER_ID_FIELD,
  CLUSTER_ID_PATTERN,
  importedClusterObject,
  ImportedClusterOptions,
  REGISTRATION_COMPUTED_FIELDS,
  REGISTRATION_TOKEN_KEY,
  REGISTRATION_TOKEN_SECRET,
} from './registration';

/** How long to wait for Rancher to give the new cluster its id. */
export const DEFAULT_REGISTRATION_TIMEOUT = '5m';

export interface RancherRegistrationProps extends ImportedClusterOptions {
  /** kubernetes provider of the management cluster (where Rancher's API objects live). */
  readonly provider: TerraformProvider;
  /** That provider's credentials: the wait for the token Secret polls the same API. */
  readonly credentials: ClusterCredentials;
  /** Read Rancher's `cacerts` setting for `CATTLE_CA_CHECKSUM` (strict agent TLS only). */
  readonly readCaChecksum: boolean;
  /**
   * How long Terraform waits for `status.clusterName` after creating the object.
   * @default 5m
   */
  readonly timeout?: string;
  /**
   * How long Terraform waits for Rancher to write the registration token after the id.
   * @default 300
   */
  readonly tokenTimeoutSeconds?: number;
}

/**
 * An imported cluster registered in Rancher through its Kubernetes API on the management cluster,
 * and what the agent needs from Rancher: the cluster id, the current registration token and the
 * CA checksum. Every read happens on each plan, so a rotated token is seen, but the values go
 * only to the agent release's write-only value (token) or stay unchanged (id, checksum).
 */
export class RancherRegistration extends Construct {
  readonly manifest: Manifest;
  /** Rancher's cluster id (`c-m-...`), known after apply. */
  readonly clusterId: string;
  /** The registration token; sensitive, lives only in this stack's state via the data source. */
  readonly token: string;
  /** `CATTLE_CA_CHECKSUM`, or '' when `readCaChecksum` is false. */
  readonly caChecksum: string;

  constructor(scope: Construct, id: string, props: RancherRegistrationProps) {
    super(scope, id);
    const object = importedClusterObject(props);
    const metadata = object.metadata;
    this.manifest = new Manifest(this, 'cluster', {
      provider: props.provider,
      manifest: object,
      computedFields: [...REGISTRATION_COMPUTED_FIELDS],
      // The id appears once Rancher's controllers created the management cluster behind it.
      wait: { fields: { [CLUSTER_ID_FIELD]: CLUSTER_ID_PATTERN } },
      timeouts: { create: props.timeout ?? DEFAULT_REGISTRATION_TIMEOUT },
    });

    // The manifest's `object` leaves out `status` (hashicorp/terraform-provider-kubernetes#1605),
    // so the id is read back with a data source that runs after the object exists.
    const registered = new DataKubernetesResource(this, 'registered', {
      provider: props.provider,
      apiVersion: object.apiVersion,
      kind: object.kind,
      metadata: { name: metadata.name, namespace: metadata.namespace },
      dependsOn: [this.manifest],
    });
    this.clusterId = registered.getStringAttribute(`object.${CLUSTER_ID_FIELD}`);

    // Rancher creates the default-token ClusterRegistrationToken, then its Secret, only after the
    // id appears (Rancher 2.15.0 provisioningv2/cluster createToken, clusterregistrationtoken
    // createNewCRT): a read right after the id would find nothing on the first apply.
    const tokenWait = new KubernetesSecretWait(this, 'token-wait', {
      credentials: props.credentials,
      namespace: this.clusterId,
      name: REGISTRATION_TOKEN_SECRET,
      key: REGISTRATION_TOKEN_KEY,
      timeoutSeconds: props.tokenTimeoutSeconds,
      dependsOn: [registered],
    });
    const tokenSecret = new DataKubernetesSecretV1(this, 'token', {
      provider: props.provider,
      metadata: { name: REGISTRATION_TOKEN_SECRET, namespace: this.clusterId },
      dependsOn: [tokenWait.resource],
      lifecycle: {
        // The wait saw the key; an empty token would still strand the agent, so never pass one.
        postcondition: [
          {
            condition: `\${length(lookup(self.data, "${REGISTRATION_TOKEN_KEY}", "")) > 0}`,
            errorMessage: `The registration token (Secret ${REGISTRATION_TOKEN_SECRET}, key ${REGISTRATION_TOKEN_KEY}, in the cluster's namespace) is empty; check Rancher's log, then run the deploy of this stack again.`,
          },
        ],
      },
    });
    this.token = tokenSecret.data.lookup(REGISTRATION_TOKEN_KEY);

    if (props.readCaChecksum) {
      const cacerts = new DataKubernetesResource(this, 'cacerts', {
        provider: props.provider,
        apiVersion: CACERTS_SETTING.apiVersion,
        kind: CACERTS_SETTING.kind,
        metadata: { name: CACERTS_SETTING.name },
      });
      // A raw reference: the checksum expression reads optional fields of a dynamic object.
      const setting = `data.${cacerts.terraformResourceType}.${cacerts.friendlyUniqueId}.object`;
      const checksum = new TerraformLocal(
        this,
        'ca-checksum',
        `\${${caChecksumExpression(setting)}}`,
      );
      this.caChecksum = checksum.asString;
    } else {
      this.caChecksum = '';
    }
  }
}
