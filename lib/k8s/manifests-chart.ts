/**
 * The local `manifests` chart (charts/manifests): its only template prints every object in
 * `.Values.objects` as a YAML document. Typed objects built in TypeScript go in as values, so
 * Helm owns them (install order by kind, upgrades, uninstall) while every object stays testable
 * here. Pure: no cdktf imports.
 */
import path from 'node:path';
import type { KubernetesObject, Secret, UntypedKubernetesObject } from './types';

/** Absolute path of the chart directory, for a Terraform asset or `helm_release.chart`. */
export const MANIFESTS_CHART_PATH = path.resolve(__dirname, '..', '..', 'charts', 'manifests');
export const MANIFESTS_CHART_NAME = 'manifests';
export const MANIFESTS_CHART_VERSION = '0.1.0';

/** An object for the chart: a typed one from lib/k8s/types.ts, or any object literal. */
export type ManifestObject = KubernetesObject | UntypedKubernetesObject;

export interface ManifestsChartValues {
  /** Objects keyed by `manifestKey()`; Helm renders them in key order and installs them by kind. */
  readonly objects: Readonly<Record<string, ManifestObject>>;
}

const KEY_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;
const FIELD_PATH_PATTERN = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/**
 * The stable id of an object in the values map: `<kind>_[<namespace>_]<name>`, lowercase, dots
 * as `-` (a dot separates keys in a Helm `set` path; `_` is in no Kubernetes name, so the parts
 * stay apart). Needs names known at synth time.
 */
export function manifestKey(object: KubernetesObject): string {
  const { kind, metadata } = object;
  const parts = [kind, metadata.namespace, metadata.name].filter((part) => part !== undefined);
  const key = parts.join('_').toLowerCase().replace(/\./g, '-');
  if (!KEY_PATTERN.test(key)) {
    throw new Error(
      `A manifests chart object needs a kind, namespace and name known at synth time (letters, digits, "-" and "."); got kind "${kind}", namespace "${metadata.namespace ?? ''}", name "${metadata.name}".`,
    );
  }
  return key;
}

/**
 * Values for the `manifests` chart. Throws when two objects get the same key: the same kind,
 * namespace and name (Helm would reject the duplicate), or names differing only by `.` and `-`.
 */
export function manifestsChartValues(objects: readonly ManifestObject[]): ManifestsChartValues {
  const keyed: Record<string, ManifestObject> = {};
  for (const object of objects) {
    const key = manifestKey(object);
    if (key in keyed) {
      throw new Error(
        `objects must be unique by kind, namespace and name; ${object.kind} "${object.metadata.name}" appears twice (key "${key}").`,
      );
    }
    keyed[key] = object;
  }
  return { objects: keyed };
}

/**
 * The Helm `set` path of one field of one object, e.g.
 * `objects.secret_cattle-system_cattle-credentials-0123456789.stringData.token`, for
 * `helm_release.set_sensitive` (use `type = "string"`) so a secret stays out of the plain values.
 */
export function manifestsChartValuePath(object: KubernetesObject, fieldPath: string): string {
  if (!FIELD_PATH_PATTERN.test(fieldPath)) {
    throw new Error(
      `fieldPath must be dot-separated field names of letters, digits, "_" and "-", like stringData.token; got "${fieldPath}".`,
    );
  }
  return `objects.${manifestKey(object)}.${fieldPath}`;
}

/** Keys of a Secret's data: letters, digits, `-`, `_` and `.` (Kubernetes' rule for them). */
const DATA_KEY_PATTERN = /^[-._a-zA-Z0-9]+$/;

/**
 * The Helm `set` path of one `stringData` key of a Secret, such as `tls.crt`: dots inside the key
 * are escaped (`tls\.crt`), as Helm reads an unescaped dot as the next level.
 */
export function manifestsChartStringDataPath(secret: Secret, key: string): string {
  if (!DATA_KEY_PATTERN.test(key)) {
    throw new Error(
      `A Secret data key must be letters, digits, "-", "_" and "."; got "${key}" for Secret "${secret.metadata.name}".`,
    );
  }
  return `objects.${manifestKey(secret)}.stringData.${key.replace(/\./g, '\\.')}`;
}
