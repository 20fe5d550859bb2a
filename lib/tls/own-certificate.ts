/**
 * A certificate the operator brings (`tls.mode: secret`): the TLS secret Rancher's Ingress serves
 * and, for a private CA, the `tls-ca` secret Rancher hands to agents. The objects carry no key
 * material; the key (and, from Secrets Manager, everything) is passed as write-only Helm values,
 * so it never reaches Terraform state. Pure data: no cdktf imports.
 */
import { manifestsChartStringDataPath, ManifestObject } from '../k8s/manifests-chart';
import type { Secret } from '../k8s/types';
import {
  RANCHER_NAMESPACE,
  RANCHER_PRIVATE_CA_SECRET_NAME,
  RANCHER_TLS_SECRET_NAME,
} from '../rancher/values';

export interface OwnCertificateObjects {
  readonly objects: ManifestObject[];
  /** Helm value paths to fill with write-only values: certificate, key and CA. */
  readonly valuePaths: { readonly certificate: string; readonly key: string; readonly ca?: string };
}

export function ownCertificateObjects(privateCA: boolean): OwnCertificateObjects {
  const tlsSecret: Secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: RANCHER_TLS_SECRET_NAME, namespace: RANCHER_NAMESPACE },
    type: 'kubernetes.io/tls',
    stringData: {},
  };
  const objects: ManifestObject[] = [tlsSecret];
  let ca: string | undefined;
  if (privateCA) {
    const caSecret: Secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: RANCHER_PRIVATE_CA_SECRET_NAME, namespace: RANCHER_NAMESPACE },
      type: 'Opaque',
      stringData: {},
    };
    objects.push(caSecret);
    ca = manifestsChartStringDataPath(caSecret, 'cacerts.pem');
  }
  return {
    objects,
    valuePaths: {
      certificate: manifestsChartStringDataPath(tlsSecret, 'tls.crt'),
      key: manifestsChartStringDataPath(tlsSecret, 'tls.key'),
      ca,
    },
  };
}
