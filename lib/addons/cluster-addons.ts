import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { CERT_MANAGER_CHART, TRAEFIK_CHART } from '../versions';
import { ChartRelease, ChartReleaseOptions } from '../helm/chart-release';
import { MANIFESTS_CHART_PATH, manifestsChartValues, ManifestObject } from '../k8s/manifests-chart';
import type { KubernetesObject, Namespace } from '../k8s/types';
import {
  AWS_LOAD_BALANCER_CONTROLLER_CHART,
  AWS_LOAD_BALANCER_CONTROLLER_NAMESPACE,
  AWS_LOAD_BALANCER_CONTROLLER_RELEASE_NAME,
  awsLoadBalancerControllerChartValues,
  AwsLoadBalancerControllerValuesOptions,
  POD_READINESS_GATE_INJECT_LABEL,
} from './aws-load-balancer-controller-values';
import {
  CERT_MANAGER_NAMESPACE,
  CERT_MANAGER_RELEASE_NAME,
  certManagerChartValues,
  CertManagerValuesOptions,
} from './cert-manager-values';
import {
  RANCHER_BACKUP_CHARTS,
  RANCHER_BACKUP_CRD_RELEASE_NAME,
  RANCHER_BACKUP_NAMESPACE,
  RANCHER_BACKUP_RELEASE_NAME,
  rancherBackupChartValues,
  RancherBackupValuesOptions,
} from './rancher-backup-values';
import {
  TRAEFIK_NAMESPACE,
  TRAEFIK_RELEASE_NAME,
  TRAEFIK_SERVICE,
  traefikChartValues,
  TraefikValuesOptions,
} from './traefik-values';

/** Every add-on installs into one cluster through that cluster's helm provider. */
interface AddOnProps {
  readonly provider: TerraformProvider;
  readonly dependsOn?: ChartReleaseOptions['dependsOn'];
}

/** AWS Load Balancer Controller, only to serve TargetGroupBindings (see its IRSA role). */
export class AwsLoadBalancerControllerAddOn extends ChartRelease {
  constructor(
    scope: Construct,
    id: string,
    props: AddOnProps & AwsLoadBalancerControllerValuesOptions,
  ) {
    super(scope, id, {
      provider: props.provider,
      dependsOn: props.dependsOn,
      releaseName: AWS_LOAD_BALANCER_CONTROLLER_RELEASE_NAME,
      namespace: AWS_LOAD_BALANCER_CONTROLLER_NAMESPACE,
      createNamespace: false,
      source: AWS_LOAD_BALANCER_CONTROLLER_CHART,
      values: awsLoadBalancerControllerChartValues(props),
    });
  }
}

export interface TraefikAddOnProps extends AddOnProps, TraefikValuesOptions {
  /** The release that creates Traefik's namespace, labelled for readiness gates. */
  readonly namespace: TraefikNamespace;
}

/** Traefik, the ingress controller on EKS, behind the Terraform-owned NLB. */
export class TraefikAddOn extends ChartRelease {
  constructor(scope: Construct, id: string, props: TraefikAddOnProps) {
    super(scope, id, {
      provider: props.provider,
      dependsOn: [props.namespace.release, ...(props.dependsOn ?? [])],
      releaseName: TRAEFIK_RELEASE_NAME,
      namespace: TRAEFIK_NAMESPACE,
      createNamespace: false,
      source: TRAEFIK_CHART,
      values: traefikChartValues(props),
    });
  }
}

/** cert-manager with its CRDs (`crds.enabled`), for Rancher's issuers and our certificates. */
export class CertManagerAddOn extends ChartRelease {
  constructor(scope: Construct, id: string, props: AddOnProps & CertManagerValuesOptions) {
    super(scope, id, {
      provider: props.provider,
      dependsOn: props.dependsOn,
      releaseName: CERT_MANAGER_RELEASE_NAME,
      namespace: CERT_MANAGER_NAMESPACE,
      source: CERT_MANAGER_CHART,
      values: certManagerChartValues(props),
    });
  }
}

/** The CRDs of rancher-backup (Backup, Restore, ResourceSet); the operator's chart needs them. */
export class RancherBackupCrdAddOn extends ChartRelease {
  constructor(scope: Construct, id: string, props: AddOnProps) {
    super(scope, id, {
      provider: props.provider,
      dependsOn: props.dependsOn,
      releaseName: RANCHER_BACKUP_CRD_RELEASE_NAME,
      namespace: RANCHER_BACKUP_NAMESPACE,
      source: {
        repository: RANCHER_BACKUP_CHARTS.repository,
        name: RANCHER_BACKUP_CHARTS.crds,
        version: RANCHER_BACKUP_CHARTS.version,
      },
    });
  }
}

/** The rancher-backup operator, after its CRDs (Rancher's documented install order). */
export class RancherBackupAddOn extends ChartRelease {
  constructor(scope: Construct, id: string, props: AddOnProps & RancherBackupValuesOptions) {
    super(scope, id, {
      provider: props.provider,
      dependsOn: props.dependsOn,
      releaseName: RANCHER_BACKUP_RELEASE_NAME,
      namespace: RANCHER_BACKUP_NAMESPACE,
      // The CRD release created the namespace.
      createNamespace: false,
      source: {
        repository: RANCHER_BACKUP_CHARTS.repository,
        name: RANCHER_BACKUP_CHARTS.operator,
        version: RANCHER_BACKUP_CHARTS.version,
      },
      values: rancherBackupChartValues(props),
    });
  }
}

export interface ManifestsReleaseProps extends AddOnProps {
  readonly releaseName: string;
  readonly namespace: string;
  readonly objects: readonly ManifestObject[];
  readonly writeOnlyValues?: ChartReleaseOptions['writeOnlyValues'];
  /** Bump to push changed write-only values. @default 1 */
  readonly writeOnlyRevision?: number;
}

/** Kubernetes objects built in TypeScript, installed through the local `manifests` chart. */
export class ManifestsRelease extends ChartRelease {
  constructor(scope: Construct, id: string, props: ManifestsReleaseProps) {
    super(scope, id, {
      provider: props.provider,
      dependsOn: props.dependsOn,
      releaseName: props.releaseName,
      namespace: props.namespace,
      source: { localPath: MANIFESTS_CHART_PATH },
      values: manifestsChartValues(props.objects) as unknown as Record<string, unknown>,
      writeOnlyValues: props.writeOnlyValues,
      writeOnlyRevision: props.writeOnlyRevision,
    });
  }
}

/**
 * Traefik's namespace, labelled so that the Load Balancer Controller injects target-health
 * readiness gates into Traefik's pods. Pure data; installed with the manifests chart.
 */
export function traefikNamespaceObject(): Namespace {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: TRAEFIK_NAMESPACE, labels: { ...POD_READINESS_GATE_INJECT_LABEL } },
  };
}

/** Traefik's namespace as a release of its own (in kube-system), so it exists, labelled, first. */
export class TraefikNamespace extends ManifestsRelease {
  constructor(scope: Construct, id: string, props: AddOnProps) {
    super(scope, id, {
      provider: props.provider,
      dependsOn: props.dependsOn,
      releaseName: 'traefik-namespace',
      namespace: 'kube-system',
      objects: [traefikNamespaceObject()],
    });
  }
}

export interface TargetGroupBindingSpec {
  readonly name: string;
  readonly targetGroupArn: string;
  /** Port of the Traefik Service whose pods become targets. */
  readonly servicePort: number;
}

/**
 * TargetGroupBindings: the AWS Load Balancer Controller registers Traefik's pod IPs into the
 * Terraform-owned target groups. `v1beta1` is the newest version the controller's CRD serves (and
 * its storage version). Pure data; installed with the manifests chart.
 */
export interface TargetGroupBinding extends KubernetesObject {
  readonly apiVersion: 'elbv2.k8s.aws/v1beta1';
  readonly kind: 'TargetGroupBinding';
  readonly spec: {
    readonly serviceRef: { readonly name: string; readonly port: number };
    readonly targetGroupARN: string;
    readonly targetType: 'ip';
  };
}

export function targetGroupBindingObjects(
  bindings: readonly TargetGroupBindingSpec[],
): TargetGroupBinding[] {
  return bindings.map((binding) => ({
    apiVersion: 'elbv2.k8s.aws/v1beta1',
    kind: 'TargetGroupBinding',
    metadata: { name: `traefik-${binding.name}`, namespace: TRAEFIK_SERVICE.namespace },
    spec: {
      serviceRef: { name: TRAEFIK_SERVICE.name, port: binding.servicePort },
      targetGroupARN: binding.targetGroupArn,
      targetType: 'ip',
    },
  }));
}
