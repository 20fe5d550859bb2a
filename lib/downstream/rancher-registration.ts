import { DataKubernetesResource } from '@cdktf/provider-kubernetes/lib/data-kubernetes-resource';
import { DataKubernetesSecretV1 } from '@cdktf/provider-kubernetes/lib/data-kubernetes-secret-v1';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { TerraformLocal, TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
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
  /** Read Rancher's `cacerts` setting for `CATTLE_CA_CHECKSUM` (strict agent TLS only). */
  readonly readCaChecksum: boolean;
  /**
   * How long Terraform waits for `status.clusterName` after creating the object.
   * @default 5m
   */
  readonly timeout?: string;
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

    const tokenSecret = new DataKubernetesSecretV1(this, 'token', {
      provider: props.provider,
      metadata: { name: REGISTRATION_TOKEN_SECRET, namespace: this.clusterId },
      dependsOn: [this.manifest],
      lifecycle: {
        // Rancher writes the Secret moments after the id; an empty token would strand the agent.
        postcondition: [
          {
            condition: `\${length(lookup(self.data, "${REGISTRATION_TOKEN_KEY}", "")) > 0}`,
            errorMessage: `Rancher has not created the registration token (Secret ${REGISTRATION_TOKEN_SECRET}, key ${REGISTRATION_TOKEN_KEY}, in the cluster's namespace) yet; run the deploy of this stack again in a minute.`,
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
