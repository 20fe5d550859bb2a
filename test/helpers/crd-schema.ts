/**
 * Validates custom resources against the openAPIV3Schema of a CRD the chart fixtures record
 * (scripts/gen-chart-fixtures.ts). The API server prunes fields its schema does not know, silently;
 * here they are errors, so that a misspelled field fails a test instead of vanishing in a cluster.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import { type ChartName, loadChartFixture } from './chart-values';

type Schema = Record<string, unknown>;

function isPlainObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The schema with `additionalProperties: false` wherever the API server would prune. */
export function closeStructuralSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeStructuralSchema);
  if (!isPlainObject(schema)) return schema;
  const closed: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    // Under `properties` the keys are field names, not keywords.
    closed[key] =
      key === 'properties' && isPlainObject(value)
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, closeStructuralSchema(v)]))
        : closeStructuralSchema(value);
  }
  if (
    isPlainObject(schema.properties) &&
    schema.additionalProperties === undefined &&
    schema['x-kubernetes-preserve-unknown-fields'] !== true
  ) {
    closed.additionalProperties = false;
  }
  return closed;
}

export interface CrdVersionFacts {
  readonly group: string;
  readonly kind: string;
  /** Versions the API serves, in the CRD's order. */
  readonly served: readonly string[];
  /** The version objects are stored in. */
  readonly storage: string;
}

export function crdFacts(chart: ChartName, crdName: string): CrdVersionFacts {
  const crd = loadChartFixture(chart).fixture.crds?.[crdName];
  if (!crd) throw new Error(`The ${chart} fixture records no CRD ${crdName}.`);
  const storage = crd.versions.find((v) => v.storage);
  if (!storage) throw new Error(`CRD ${crdName} has no storage version.`);
  return {
    group: crd.group,
    kind: crd.kind,
    served: crd.versions.filter((v) => v.served).map((v) => v.name),
    storage: storage.name,
  };
}

/** A validator for objects of one version of a CRD from the chart's fixture. */
export function crdValidator(chart: ChartName, crdName: string, version: string): ValidateFunction {
  const crd = loadChartFixture(chart).fixture.crds?.[crdName];
  const schema = crd?.versions.find((v) => v.name === version)?.schema;
  if (!schema) throw new Error(`No schema for ${crdName} ${version} in the ${chart} fixture.`);
  // strict: false: Kubernetes schemas carry keywords (x-kubernetes-*) ajv does not know.
  return new Ajv({ allErrors: true, strict: false }).compile(
    closeStructuralSchema(schema) as Schema,
  );
}
