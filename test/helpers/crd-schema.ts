/**
 * Validates custom resources against the openAPIV3Schema of a CRD, recorded in a chart fixture
 * (scripts/gen-chart-fixtures.ts) or read from an upstream CRD file in ../shared/reference. The
 * API server prunes fields its schema does not know, silently (Kubernetes
 * "CustomResourceDefinition" docs, field pruning); here they are errors, so that a misspelled
 * field fails a test instead of vanishing in a cluster.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { type ChartName, loadChartFixture } from './chart-values';

export const REFERENCE_DIR = path.resolve(__dirname, '..', '..', '..', 'shared', 'reference');

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

/**
 * A validator for version `version` of the one CRD in `file` (relative to the reference folder),
 * for charts whose fixture records no CRDs.
 */
export function referenceCrdValidator(file: string, version = 'v1'): ValidateFunction {
  const docs = parseAllDocuments(readFileSync(path.join(REFERENCE_DIR, file), 'utf8'))
    .map((d) => d.toJS() as Record<string, unknown> | null)
    .filter((d): d is Record<string, unknown> => d?.kind === 'CustomResourceDefinition');
  if (docs.length !== 1) throw new Error(`${file} holds ${docs.length} CRDs; expected one.`);
  const spec = docs[0].spec as {
    versions: { name: string; schema: { openAPIV3Schema: Schema } }[];
  };
  const found = spec.versions.find((v) => v.name === version);
  if (!found) throw new Error(`${file} has no version ${version}.`);
  const schema = closeStructuralSchema(found.schema.openAPIV3Schema) as Schema;
  // metadata is validated by the API server, not by the CRD schema.
  (schema.properties as Record<string, Schema>).metadata = { type: 'object' };
  const ajv = new Ajv({ allErrors: true, strict: false });
  // Kubernetes' integer width annotation; the type keyword already checks integers.
  ajv.addFormat('int64', true);
  return ajv.compile(schema);
}
