/**
 * Derives the "upstream facts" fixtures in test/fixtures/charts/ from the pinned charts' values
 * files and values schemas. Only facts are written (value paths, types, enums); no upstream
 * comment or description ends up in a fixture.
 *
 * Usage:
 *   npx tsx scripts/gen-chart-fixtures.ts [referenceDir]
 *     [--rke2-traefik-values FILE --rke2-traefik-schema FILE] [--out DIR]
 *
 * referenceDir defaults to ../shared/reference (relative to the repository root) and must hold
 * SOURCES.yaml and the files it lists; each file's sha256 is checked against SOURCES.yaml first
 * where SOURCES.yaml records one (the fixture records the sha256 either way).
 * --out writes somewhere else than test/fixtures/charts (the unit test regenerates into a
 * temporary directory and compares bytes). Output is byte-identical for identical inputs: paths
 * are sorted, schema keys are sorted, and nothing time- or machine-dependent is recorded.
 *
 * Rules
 * - valuePaths: every dotted path of a map or leaf in values.yaml. Lists are leaves (their items
 *   are the user's own). Nothing below a free-form path is recorded: keys there are samples.
 *   A key that itself contains "." is written with "\." (Helm's --set escaping).
 * - schemaPaths: paths the values schema declares under `properties` (following local $refs)
 *   that values.yaml lacks, e.g. keys the values file only shows as comments. Helm validates
 *   against the schema, so these are real chart inputs.
 * - freeFormPaths: a path below which any key is accepted, when one of:
 *   (a) its default is a list, or the schema types it as an array only;
 *   (b) its default is an empty map `{}` and the schema lists no properties for it;
 *   (c) the schema declares it an open map: `additionalProperties` true or a schema,
 *       `patternProperties`, or an object type with no `properties` at all;
 *   (d) it is listed in FREE_FORM_OVERRIDES below with the template fact that makes it so.
 *   A null default (`key:` with nothing after it) is a leaf unless (c) or (d) applies. A map the
 *   schema leaves open only by omission (properties listed, no additionalProperties) is NOT
 *   free-form: Traefik's generated schema is like that for most maps, and `service.type` is
 *   exactly the kind of silently ignored key the checker must catch.
 * - defaults: the parsed values.yaml (data only; YAML comments do not survive parsing). Helm
 *   validates the schema against user values coalesced over these defaults, and so does the
 *   checker: conditional and `required` rules only make sense on the coalesced values.
 * - schema: the values schema reduced to validation keywords (types, enums, structure,
 *   combinators, refs); annotations such as description, title, default and examples are dropped.
 * - commentOnlyPaths: keys valid although they appear only as comments in values.yaml (Rancher:
 *   the ones VERSIONS.md lists; rancher-backup: `proxy`, read by its deployment template).
 * - crds: for the CRDs the project creates objects of (TargetGroupBinding), each version's
 *   served and storage flags and its openAPIV3Schema, reduced the same way.
 * - iamPolicy: the actions of the controller's upstream IAM policy, so that a role cut down from
 *   it can be checked against it.
 * - Charts without a values schema (the AWS Load Balancer Controller) are checked by path only:
 *   `schema` is null. Where the reference holds the chart's Chart.yaml, its version must be the
 *   pinned one, and its appVersion is recorded.
 *
 * rke2-traefik (provenance): RKE2 v1.36.3+rke2r1 and v1.35.7+rke2r1 bundle chart rke2-traefik
 * 40.1.009 (their charts/chart_versions.yaml), Rancher's repackaging of the upstream Traefik chart
 * 40.1.0 with RKE2 defaults (DaemonSet, host ports 80/443, ClusterIP Service, image and
 * `global.systemDefault*` keys) and without its values schema. Its values file is
 * rancher/rke2-charts charts/rke2-traefik/rke2-traefik/40.1.009/values.yaml at commit
 * d83185c93194808b7a4632ebda038100afe11f24 (branch main); the schema used is the upstream one it
 * was built from, traefik/traefik-helm-chart traefik/values.schema.json at tag v40.1.0 (commit
 * cb6cedfce0ae38aba44e1bc649906df0deb01cc4). Both were read through the project's search tool
 * (fetched repository snapshots). To regenerate, save both files outside the repository and pass
 * --rke2-traefik-values and --rke2-traefik-schema; their sha256 must match RKE2_TRAEFIK below.
 * Without them the existing rke2-traefik fixture is left as it is.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const repoRoot = path.resolve(__dirname, '..');
let outDir = path.join(repoRoot, 'test', 'fixtures', 'charts');

interface LocalChart {
  readonly chart: string;
  readonly version: string;
  readonly valuesFile: string;
  /** @default - the chart has no values schema */
  readonly schemaFile?: string;
  /** Chart.yaml, when the reference holds a parseable one. @default - none */
  readonly chartFile?: string;
  /** CRDs the project creates objects of, from the chart's CRD file. @default - none */
  readonly crds?: { readonly file: string; readonly names: readonly string[] };
  /** The controller's upstream IAM policy (every feature). @default - none */
  readonly iamPolicyFile?: string;
  /**
   * Text the chart's release tooling substitutes before packaging (the file in the repository is
   * not valid YAML until then), with the value it gets at this version. @default - none
   */
  readonly placeholders?: Readonly<Record<string, string>>;
}

const LOCAL_CHARTS: readonly LocalChart[] = [
  {
    chart: 'rancher',
    version: '2.15.0',
    valuesFile: 'rancher/chart-values-v2.15.0.yaml',
    schemaFile: 'rancher/values.schema-v2.15.0.json',
  },
  {
    chart: 'cert-manager',
    version: 'v1.21.1',
    valuesFile: 'cert-manager/values-v1.21.1.yaml',
    schemaFile: 'cert-manager/values.schema-v1.21.1.json',
  },
  {
    chart: 'traefik',
    version: '41.3.0',
    valuesFile: 'traefik/values-v41.3.0.yaml',
    schemaFile: 'traefik/values.schema-v41.3.0.json',
  },
  {
    chart: 'aws-load-balancer-controller',
    version: '3.5.0',
    valuesFile: 'aws-load-balancer-controller/values-3.5.0.yaml',
    chartFile: 'aws-load-balancer-controller/Chart-3.5.0.yaml',
    crds: {
      file: 'aws-load-balancer-controller/crds-3.5.0.yaml',
      names: ['targetgroupbindings.elbv2.k8s.aws'],
    },
    iamPolicyFile: 'aws-load-balancer-controller/iam_policy-v3.5.0.json',
  },
  {
    chart: 'rancher-backup',
    version: '11.0.1',
    valuesFile: 'rancher-backup/values-v11.0.1.yaml',
    // backup-restore-operator's release replaces %TAG% with the operator's image tag.
    placeholders: { '%TAG%': 'v11.0.1' },
  },
];

const RKE2_TRAEFIK = {
  chart: 'rke2-traefik',
  version: '40.1.009',
  values: {
    repo: 'rancher/rke2-charts',
    path: 'charts/rke2-traefik/rke2-traefik/40.1.009/values.yaml',
    commit: 'd83185c93194808b7a4632ebda038100afe11f24',
    sha256: 'b00365e84d49227f65a9ad882a2c9c5a321644a2f821f89ef09da1ba502032f9',
  },
  schema: {
    repo: 'traefik/traefik-helm-chart',
    path: 'traefik/values.schema.json',
    tag: 'v40.1.0',
    commit: 'cb6cedfce0ae38aba44e1bc649906df0deb01cc4',
    sha256: '3af8b533288a1ec53f40a218eb42dd69eefbae6c58eaf93cc0e448755469b268',
  },
} as const;

/** Paths below which any key is accepted, with the upstream fact that makes it so (rule d). */
const FREE_FORM_OVERRIDES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  rancher: {
    extraEnv: 'comment-only list of EnvVar objects appended to the Rancher container (VERSIONS.md)',
  },
  'cert-manager': {},
  'rancher-backup': {},
  traefik: {
    'service.spec': 'rendered verbatim (toYaml) into the Service spec by the service template',
  },
  'rke2-traefik': {
    'service.spec': 'rendered verbatim (toYaml) into the Service spec by the service template',
  },
  'aws-load-balancer-controller': {
    env: 'map of environment variables rendered into the controller container (null default)',
    extraVolumeMounts: 'list of volume mounts (null default)',
    extraVolumes: 'list of volumes (null default)',
    webhookNamespaceSelectors: 'list of label selector requirements (null default)',
    'objectSelector.matchExpressions': 'list of label selector requirements (null default)',
    'objectSelector.matchLabels': 'map of labels (null default)',
    'serviceAccount.imagePullSecrets': 'list of secret references (null default)',
    'serviceMutatorWebhookConfig.namespaceSelectors':
      'list of label selector requirements (null default)',
    'webhookConfig.ingressValidationObjectSelector.matchExpressions':
      'list of label selector requirements (null default)',
    'webhookConfig.ingressValidationObjectSelector.matchLabels': 'map of labels (null default)',
    'webhookConfig.ingressValidationNamespaceSelector.matchExpressions':
      'list of label selector requirements (null default)',
    'webhookConfig.ingressValidationNamespaceSelector.matchLabels': 'map of labels (null default)',
    'serviceMonitor.relabelings': 'list of relabel configs (null default)',
    'serviceMonitor.metricRelabelings': 'list of relabel configs (null default)',
  },
};

/** Valid Rancher keys that appear only as comments in its values.yaml (VERSIONS.md). */
const RANCHER_COMMENT_ONLY_PATHS = [
  'hostname',
  'letsEncrypt.email',
  'extraEnv',
  'proxy',
  'ingress.configurationSnippet',
  'image.registry',
  'rancherImage',
  'rancherImageTag',
  'rancherImagePullPolicy',
  'nameOverride',
  'noDefaultAdmin',
  'features',
  'busyboxImage',
  'hostPort',
  'cacheSyncTimeout',
  'aggregationRegistrationTimeout',
];

/** Valid keys that appear only as comments in a chart's values.yaml, by chart, with their source. */
const COMMENT_ONLY_PATHS: Readonly<
  Record<string, { readonly source: string; readonly paths: readonly string[] }>
> = {
  rancher: {
    source: 'reference/VERSIONS.md (keys valid although only commented in values.yaml)',
    paths: RANCHER_COMMENT_ONLY_PATHS,
  },
  'rancher-backup': {
    source:
      'rancher/backup-restore-operator v11.0.1 charts/rancher-backup/templates/deployment.yaml reads .Values.proxy (values.yaml has it only as a comment)',
    paths: ['proxy'],
  },
};

/** Keywords kept in the reduced schema; everything else (annotations) is dropped. */
const KEPT_KEYWORDS = new Set([
  '$schema',
  '$ref',
  '$defs',
  'definitions',
  'type',
  'properties',
  'patternProperties',
  'additionalProperties',
  'propertyNames',
  'required',
  'dependentRequired',
  'dependentSchemas',
  'items',
  'prefixItems',
  'contains',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'enum',
  'const',
  'pattern',
  'format',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'anyOf',
  'oneOf',
  'allOf',
  'not',
  'if',
  'then',
  'else',
  // CRD schemas: where the API server keeps fields it has no schema for.
  'x-kubernetes-preserve-unknown-fields',
]);
const SCHEMA_MAP_KEYWORDS = new Set([
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'dependentSchemas',
]);
const SCHEMA_LIST_KEYWORDS = new Set(['prefixItems', 'anyOf', 'oneOf', 'allOf']);
const SCHEMA_VALUE_KEYWORDS = new Set([
  'items',
  'additionalProperties',
  'propertyNames',
  'contains',
  'not',
  'if',
  'then',
  'else',
]);

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** JSON with object keys sorted at every level: stable output and a content hash. */
function sortKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isObject(value)) return value;
  const sorted: JsonObject = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortKeys(value[key]);
  return sorted;
}

function joinPath(prefix: string, key: string): string {
  const escaped = key.replace(/\./g, '\\.');
  return prefix ? `${prefix}.${escaped}` : escaped;
}

function reduceSchema(node: Json): Json {
  if (!isObject(node)) return node;
  const reduced: JsonObject = {};
  for (const key of Object.keys(node).sort()) {
    if (!KEPT_KEYWORDS.has(key)) continue;
    const value = node[key];
    if (SCHEMA_MAP_KEYWORDS.has(key) && isObject(value)) {
      const map: JsonObject = {};
      for (const name of Object.keys(value).sort()) map[name] = reduceSchema(value[name]);
      reduced[key] = map;
    } else if (SCHEMA_LIST_KEYWORDS.has(key) && Array.isArray(value)) {
      reduced[key] = value.map(reduceSchema);
    } else if (SCHEMA_VALUE_KEYWORDS.has(key)) {
      reduced[key] = Array.isArray(value) ? value.map(reduceSchema) : reduceSchema(value);
    } else {
      reduced[key] = value;
    }
  }
  return reduced;
}

class SchemaIndex {
  constructor(private readonly root: JsonObject) {}

  /** Follows local `$ref`s ("#/$defs/x", "#/definitions/x") to the schema they name. */
  resolve(node: Json | undefined): JsonObject | undefined {
    let current = node;
    for (let hops = 0; isObject(current) && typeof current.$ref === 'string'; hops++) {
      if (hops > 32) throw new Error(`$ref chain too long at ${current.$ref}`);
      const ref: string = current.$ref;
      if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported; got ${ref}`);
      let target: Json | undefined = this.root;
      for (const part of ref.slice(2).split('/')) {
        target = isObject(target)
          ? target[part.replace(/~1/g, '/').replace(/~0/g, '~')]
          : undefined;
      }
      current = target;
    }
    return isObject(current) ? current : undefined;
  }

  /** Schema of the value at `keys`, following `properties` only. */
  at(keys: readonly string[]): JsonObject | undefined {
    let node = this.resolve(this.root);
    for (const key of keys) {
      const props = node?.properties;
      node = isObject(props) ? this.resolve(props[key]) : undefined;
      if (!node) return undefined;
    }
    return node;
  }
}

function typesOf(schema: JsonObject): string[] {
  const type = schema.type;
  if (typeof type === 'string') return [type];
  return Array.isArray(type) ? type.filter((t): t is string => typeof t === 'string') : [];
}

/** Rule (c): the schema itself declares an open map. */
function schemaSaysOpenMap(schema: JsonObject | undefined): boolean {
  if (!schema) return false;
  const extra = schema.additionalProperties;
  if (extra === true || isObject(extra)) return true;
  if (isObject(schema.patternProperties)) return true;
  return typesOf(schema).includes('object') && !isObject(schema.properties);
}

function schemaSaysListOnly(schema: JsonObject | undefined): boolean {
  if (!schema) return false;
  const types = typesOf(schema).filter((t) => t !== 'null');
  return types.length === 1 && types[0] === 'array';
}

interface PathFacts {
  readonly valuePaths: string[];
  readonly schemaPaths: string[];
  readonly freeFormPaths: string[];
}

function derivePaths(
  chart: string,
  values: JsonObject,
  schema: SchemaIndex | undefined,
): PathFacts {
  const overrides = FREE_FORM_OVERRIDES[chart] ?? {};
  const valuePaths = new Set<string>();
  const schemaPaths = new Set<string>();
  const freeForm = new Set<string>();

  const isFreeForm = (p: string, keys: string[], value: Json | undefined): boolean => {
    if (p in overrides) return true;
    if (Array.isArray(value)) return true;
    const node = schema?.at(keys);
    if (isObject(value) && Object.keys(value).length === 0 && !isObject(node?.properties)) {
      return true;
    }
    if (value === undefined && schemaSaysListOnly(node)) return true;
    return schemaSaysOpenMap(node);
  };

  const walkValues = (node: JsonObject, prefix: string, keys: string[]): void => {
    for (const key of Object.keys(node)) {
      const p = joinPath(prefix, key);
      const childKeys = [...keys, key];
      const value = node[key];
      valuePaths.add(p);
      if (isFreeForm(p, childKeys, value)) {
        freeForm.add(p);
        continue;
      }
      if (isObject(value)) walkValues(value, p, childKeys);
    }
  };
  walkValues(values, '', []);

  const walkSchema = (node: JsonObject | undefined, prefix: string, keys: string[]): void => {
    const props = node?.properties;
    if (!isObject(props) || !schema) return;
    for (const key of Object.keys(props)) {
      const p = joinPath(prefix, key);
      const childKeys = [...keys, key];
      if (freeForm.has(p) || [...freeForm].some((f) => p.startsWith(`${f}.`))) continue;
      if (!valuePaths.has(p)) {
        schemaPaths.add(p);
        if (isFreeForm(p, childKeys, undefined)) {
          freeForm.add(p);
          continue;
        }
      }
      walkSchema(schema.resolve(props[key]), p, childKeys);
    }
  };
  if (schema) walkSchema(schema.at([]), '', []);

  const commentOnly = COMMENT_ONLY_PATHS[chart]?.paths ?? [];
  for (const p of Object.keys(overrides)) {
    if (commentOnly.includes(p)) freeForm.add(p);
    else if (!valuePaths.has(p) && !schemaPaths.has(p)) {
      throw new Error(
        `FREE_FORM_OVERRIDES names ${chart} path ${p}, which the chart does not have.`,
      );
    }
  }
  return {
    valuePaths: [...valuePaths].sort(),
    schemaPaths: [...schemaPaths].sort(),
    freeFormPaths: [...freeForm].sort(),
  };
}

interface SourceEntry {
  readonly path: string;
  readonly repo: string;
  readonly tag?: string;
  readonly commit?: string;
  readonly source_path: string;
  readonly sha256?: string;
}

function loadSources(referenceDir: string): Map<string, SourceEntry> {
  const doc = parse(readFileSync(path.join(referenceDir, 'SOURCES.yaml'), 'utf8')) as {
    files?: SourceEntry[];
  };
  return new Map((doc.files ?? []).map((entry) => [entry.path, entry]));
}

function writeFixture(name: string, fixture: JsonObject): string {
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(fixture, null, 2)}\n`);
  return path.relative(repoRoot, file);
}

function sourceEntry(sources: Map<string, SourceEntry>, file: string): SourceEntry {
  const entry = sources.get(file);
  if (!entry) throw new Error(`SOURCES.yaml must list ${file}.`);
  return entry;
}

/** The file's bytes, checked against the sha256 SOURCES.yaml records for it (when it records one). */
function readChecked(referenceDir: string, entry: SourceEntry): Buffer {
  const text = readFileSync(path.join(referenceDir, entry.path));
  const actual = sha256(text);
  if (entry.sha256 && entry.sha256 !== actual) {
    throw new Error(
      `${entry.path} has sha256 ${actual}, but SOURCES.yaml records ${entry.sha256}.`,
    );
  }
  return text;
}

/**
 * The chart's appVersion, after checking that its Chart.yaml is the pinned version. SOURCES.yaml
 * lists Chart.yaml under the values file's entry (same commit), not as an entry of its own.
 */
function checkedAppVersion(referenceDir: string, c: LocalChart): string | null {
  if (!c.chartFile) return null;
  const chart = parse(readFileSync(path.join(referenceDir, c.chartFile), 'utf8')) as {
    name?: unknown;
    version?: unknown;
    appVersion?: unknown;
  };
  if (chart.name !== c.chart || String(chart.version) !== c.version) {
    throw new Error(
      `${c.chartFile} is chart ${String(chart.name)} ${String(chart.version)}, not ${c.chart} ${c.version}.`,
    );
  }
  return typeof chart.appVersion === 'string' ? chart.appVersion : null;
}

/**
 * The named CRDs of a multi-document CRD file: group, kind, scope, and per version whether it is
 * served and stored, with its openAPIV3Schema reduced like a values schema.
 */
function crdFacts(referenceDir: string, crds: NonNullable<LocalChart['crds']>): JsonObject {
  const documents = parseAllDocuments(readFileSync(path.join(referenceDir, crds.file), 'utf8'));
  const byName = new Map<string, JsonObject>();
  for (const document of documents) {
    const crd = document.toJS() as JsonObject | null;
    const metadata = crd?.metadata;
    if (crd?.kind === 'CustomResourceDefinition' && isObject(metadata)) {
      byName.set(String(metadata.name), crd);
    }
  }
  const facts: JsonObject = {};
  for (const name of crds.names) {
    const crd = byName.get(name);
    const spec = crd?.spec;
    if (!isObject(spec) || !isObject(spec.names) || !Array.isArray(spec.versions)) {
      throw new Error(`${crds.file} has no CustomResourceDefinition ${name}.`);
    }
    facts[name] = {
      group: spec.group,
      kind: spec.names.kind,
      scope: spec.scope,
      versions: spec.versions.filter(isObject).map((version) => {
        const schema = isObject(version.schema) ? version.schema.openAPIV3Schema : undefined;
        return {
          name: version.name,
          served: version.served,
          storage: version.storage,
          schema: schema === undefined ? null : sortKeys(reduceSchema(schema)),
        };
      }),
    };
  }
  return facts;
}

/** Every action an IAM policy document allows, sorted and without duplicates. */
function policyActions(document: JsonObject): string[] {
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  const actions = new Set<string>();
  for (const statement of statements) {
    if (!isObject(statement)) continue;
    const action = statement.Action;
    for (const a of Array.isArray(action) ? action : [action]) {
      if (typeof a === 'string') actions.add(a);
    }
  }
  return [...actions].sort();
}

function localFixture(referenceDir: string, sources: Map<string, SourceEntry>, c: LocalChart) {
  const valuesEntry = sourceEntry(sources, c.valuesFile);
  const valuesText = readChecked(referenceDir, valuesEntry);
  const schemaEntry = c.schemaFile ? sourceEntry(sources, c.schemaFile) : undefined;
  const schemaText = schemaEntry ? readChecked(referenceDir, schemaEntry) : undefined;
  let valuesYaml = valuesText.toString('utf8');
  for (const [placeholder, value] of Object.entries(c.placeholders ?? {})) {
    valuesYaml = valuesYaml.split(placeholder).join(value);
  }
  const values = parse(valuesYaml) as JsonObject;
  const rawSchema = schemaText
    ? (JSON.parse(schemaText.toString('utf8')) as JsonObject)
    : undefined;
  const facts = derivePaths(c.chart, values, rawSchema ? new SchemaIndex(rawSchema) : undefined);
  const source: JsonObject = {
    file: c.valuesFile,
    sha256: sha256(valuesText),
    repo: valuesEntry.repo,
    tag: valuesEntry.tag ?? null,
    commit: valuesEntry.commit ?? null,
    upstreamPath: valuesEntry.source_path,
    schemaFile: c.schemaFile ?? null,
    schemaSha256: schemaText ? sha256(schemaText) : null,
    schemaUpstreamPath: schemaEntry?.source_path ?? null,
  };
  if (c.chartFile) {
    source.chartFile = c.chartFile;
    source.appVersion = checkedAppVersion(referenceDir, c);
  }
  const fixture: JsonObject = {
    chart: c.chart,
    version: c.version,
    source,
    valuePaths: facts.valuePaths,
    schemaPaths: facts.schemaPaths,
    freeFormPaths: facts.freeFormPaths,
  };
  const commentOnly = COMMENT_ONLY_PATHS[c.chart];
  if (commentOnly) {
    fixture.commentOnlyPaths = { source: commentOnly.source, paths: [...commentOnly.paths].sort() };
  }
  fixture.defaults = sortKeys(values);
  fixture.schema = rawSchema ? sortKeys(reduceSchema(rawSchema)) : null;
  if (c.iamPolicyFile) {
    const entry = sourceEntry(sources, c.iamPolicyFile);
    const text = readChecked(referenceDir, entry);
    fixture.iamPolicy = {
      file: c.iamPolicyFile,
      sha256: sha256(text),
      repo: entry.repo,
      tag: entry.tag ?? null,
      upstreamPath: entry.source_path,
      actions: policyActions(JSON.parse(text.toString('utf8')) as JsonObject),
    };
  }
  if (c.crds) {
    fixture.crdSource = {
      file: c.crds.file,
      sha256: sha256(readFileSync(path.join(referenceDir, c.crds.file))),
    };
    fixture.crds = crdFacts(referenceDir, c.crds);
  }
  return writeFixture(`${c.chart}-${c.version}`, fixture);
}

function rke2TraefikFixture(valuesFile: string, schemaFile: string): string {
  const valuesText = readFileSync(valuesFile);
  const schemaText = readFileSync(schemaFile);
  for (const [file, text, want] of [
    [valuesFile, valuesText, RKE2_TRAEFIK.values],
    [schemaFile, schemaText, RKE2_TRAEFIK.schema],
  ] as const) {
    if (sha256(text) !== want.sha256) {
      throw new Error(
        `${file} has sha256 ${sha256(text)}, but ${want.repo} ${want.path} at ${want.commit} has ${want.sha256}; fetch that exact file.`,
      );
    }
  }
  const values = parse(valuesText.toString('utf8')) as JsonObject;
  const rawSchema = JSON.parse(schemaText.toString('utf8')) as JsonObject;
  const facts = derivePaths(RKE2_TRAEFIK.chart, values, new SchemaIndex(rawSchema));
  return writeFixture(`${RKE2_TRAEFIK.chart}-${RKE2_TRAEFIK.version}`, {
    chart: RKE2_TRAEFIK.chart,
    version: RKE2_TRAEFIK.version,
    source: {
      repo: RKE2_TRAEFIK.values.repo,
      commit: RKE2_TRAEFIK.values.commit,
      upstreamPath: RKE2_TRAEFIK.values.path,
      sha256: RKE2_TRAEFIK.values.sha256,
      schemaRepo: RKE2_TRAEFIK.schema.repo,
      schemaTag: RKE2_TRAEFIK.schema.tag,
      schemaCommit: RKE2_TRAEFIK.schema.commit,
      schemaUpstreamPath: RKE2_TRAEFIK.schema.path,
      schemaSha256: RKE2_TRAEFIK.schema.sha256,
      note: 'the chart ships no schema; the upstream Traefik chart 40.1.0 schema it repackages validates',
    },
    valuePaths: facts.valuePaths,
    schemaPaths: facts.schemaPaths,
    freeFormPaths: facts.freeFormPaths,
    defaults: sortKeys(values),
    schema: sortKeys(reduceSchema(rawSchema)),
  });
}

/** Removes `--name VALUE` from args and returns VALUE (undefined when absent). */
function takeOption(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const value = args[at + 1];
  if (!value) throw new Error(`${name} needs a value.`);
  args.splice(at, 2);
  return value;
}

function main(argv: readonly string[]): void {
  const args = [...argv];
  const rke2TraefikValues = takeOption(args, '--rke2-traefik-values');
  const rke2TraefikSchema = takeOption(args, '--rke2-traefik-schema');
  if ((rke2TraefikValues === undefined) !== (rke2TraefikSchema === undefined)) {
    throw new Error('--rke2-traefik-values and --rke2-traefik-schema go together.');
  }
  const out = takeOption(args, '--out');
  if (out !== undefined) outDir = path.resolve(out);
  const referenceDir = path.resolve(repoRoot, args[0] ?? '../shared/reference');
  if (!existsSync(path.join(referenceDir, 'SOURCES.yaml'))) {
    throw new Error(`referenceDir ${referenceDir} has no SOURCES.yaml.`);
  }
  const sources = loadSources(referenceDir);
  const written = LOCAL_CHARTS.map((c) => localFixture(referenceDir, sources, c));
  if (rke2TraefikValues && rke2TraefikSchema) {
    written.push(
      rke2TraefikFixture(path.resolve(rke2TraefikValues), path.resolve(rke2TraefikSchema)),
    );
  }
  for (const file of written)
    process.stdout.write(`wrote ${file}
`);
}

main(process.argv.slice(2));
