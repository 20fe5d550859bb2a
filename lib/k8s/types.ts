/**
 * Minimal typed Kubernetes objects: only the fields this project writes. The full schemas live in
 * the `kubernetes-models` dev dependency, which the unit tests validate every object against; the
 * library keeps its own small types so nothing at synth time depends on a dev package.
 */

export interface ObjectMeta {
  readonly name: string;
  /** @default - cluster-scoped, or the release namespace for namespaced kinds */
  readonly namespace?: string;
  /** @default - no labels */
  readonly labels?: Readonly<Record<string, string>>;
  /** @default - no annotations */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** The envelope every Kubernetes object shares. */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ObjectMeta;
}

/**
 * An object whose body is not typed here (cert-manager issuers, TargetGroupBindings, ...): the
 * envelope is checked, the rest passes through as data.
 */
export type UntypedKubernetesObject = KubernetesObject & { readonly [field: string]: unknown };

export interface Namespace extends KubernetesObject {
  readonly apiVersion: 'v1';
  readonly kind: 'Namespace';
}

export interface ServiceAccount extends KubernetesObject {
  readonly apiVersion: 'v1';
  readonly kind: 'ServiceAccount';
}

export interface Secret extends KubernetesObject {
  readonly apiVersion: 'v1';
  readonly kind: 'Secret';
  readonly type: string;
  /** Plain values; the API server stores them base64-encoded under `data`. */
  readonly stringData: Readonly<Record<string, string>>;
}

export interface PolicyRule {
  /** @default - none (non-resource rule) */
  readonly apiGroups?: readonly string[];
  /** @default - none (non-resource rule) */
  readonly resources?: readonly string[];
  /** @default - none (resource rule) */
  readonly nonResourceURLs?: readonly string[];
  readonly verbs: readonly string[];
}

export interface ClusterRole extends KubernetesObject {
  readonly apiVersion: 'rbac.authorization.k8s.io/v1';
  readonly kind: 'ClusterRole';
  readonly rules: readonly PolicyRule[];
}

export interface Subject {
  readonly kind: 'User' | 'Group' | 'ServiceAccount';
  readonly name: string;
  /** @default - none; required for ServiceAccount subjects */
  readonly namespace?: string;
  /** @default - none; `rbac.authorization.k8s.io` for User and Group subjects */
  readonly apiGroup?: string;
}

export interface ClusterRoleBinding extends KubernetesObject {
  readonly apiVersion: 'rbac.authorization.k8s.io/v1';
  readonly kind: 'ClusterRoleBinding';
  readonly roleRef: {
    readonly apiGroup: 'rbac.authorization.k8s.io';
    readonly kind: 'ClusterRole';
    readonly name: string;
  };
  readonly subjects: readonly Subject[];
}

export interface EnvVar {
  readonly name: string;
  readonly value: string;
}

export interface Toleration {
  readonly key: string;
  readonly operator: 'Equal' | 'Exists';
  /** @default - none; only with operator Equal */
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  /** @default - none; required for In and NotIn */
  readonly values?: readonly string[];
}

export interface NodeSelectorTerm {
  readonly matchExpressions: readonly LabelSelectorRequirement[];
}

export interface Affinity {
  readonly nodeAffinity: {
    readonly requiredDuringSchedulingIgnoredDuringExecution: {
      readonly nodeSelectorTerms: readonly NodeSelectorTerm[];
    };
    readonly preferredDuringSchedulingIgnoredDuringExecution: readonly {
      readonly weight: number;
      readonly preference: NodeSelectorTerm;
    }[];
  };
  readonly podAntiAffinity: {
    readonly preferredDuringSchedulingIgnoredDuringExecution: readonly {
      readonly weight: number;
      readonly podAffinityTerm: {
        readonly labelSelector: { readonly matchExpressions: readonly LabelSelectorRequirement[] };
        readonly topologyKey: string;
      };
    }[];
  };
}

export interface Container {
  readonly name: string;
  readonly image: string;
  readonly imagePullPolicy: 'Always' | 'IfNotPresent' | 'Never';
  readonly env: readonly EnvVar[];
  readonly volumeMounts: readonly {
    readonly name: string;
    readonly mountPath: string;
    readonly readOnly: boolean;
  }[];
}

export interface SecretVolume {
  readonly name: string;
  readonly secret: { readonly secretName: string; readonly defaultMode: number };
}

export interface Deployment extends KubernetesObject {
  readonly apiVersion: 'apps/v1';
  readonly kind: 'Deployment';
  readonly spec: {
    readonly selector: { readonly matchLabels: Readonly<Record<string, string>> };
    readonly strategy: {
      readonly type: 'RollingUpdate';
      readonly rollingUpdate: { readonly maxUnavailable: number; readonly maxSurge: number };
    };
    readonly template: {
      readonly metadata: { readonly labels: Readonly<Record<string, string>> };
      readonly spec: {
        readonly serviceAccountName: string;
        readonly affinity: Affinity;
        readonly tolerations: readonly Toleration[];
        readonly containers: readonly Container[];
        readonly volumes: readonly SecretVolume[];
      };
    };
  };
}

export interface ServicePort {
  readonly name: string;
  readonly port: number;
  readonly targetPort: number;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
}

export interface Service extends KubernetesObject {
  readonly apiVersion: 'v1';
  readonly kind: 'Service';
  readonly spec: {
    readonly selector: Readonly<Record<string, string>>;
    readonly ports: readonly ServicePort[];
  };
}

export interface ValidatingAdmissionPolicy extends KubernetesObject {
  readonly apiVersion: 'admissionregistration.k8s.io/v1';
  readonly kind: 'ValidatingAdmissionPolicy';
  readonly spec: {
    readonly failurePolicy: 'Fail' | 'Ignore';
    readonly matchConstraints: {
      readonly resourceRules: readonly {
        readonly apiGroups: readonly string[];
        readonly apiVersions: readonly string[];
        readonly operations: readonly ('CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT')[];
        readonly resources: readonly string[];
      }[];
    };
    readonly validations: readonly {
      /** A CEL expression over `object` (and `oldObject`) that must be true. */
      readonly expression: string;
      readonly message: string;
      readonly reason: 'Unauthorized' | 'Forbidden' | 'Invalid' | 'RequestEntityTooLarge';
    }[];
  };
}

export interface ValidatingAdmissionPolicyBinding extends KubernetesObject {
  readonly apiVersion: 'admissionregistration.k8s.io/v1';
  readonly kind: 'ValidatingAdmissionPolicyBinding';
  readonly spec: {
    readonly policyName: string;
    readonly validationActions: readonly ('Deny' | 'Warn' | 'Audit')[];
    /** @default - every resource the policy matches */
    readonly matchResources?: {
      readonly namespaceSelector: {
        readonly matchExpressions: readonly LabelSelectorRequirement[];
      };
    };
  };
}
