/**
 * Tier-2 "upstream facts" check: do Helm values fit the pinned chart? Reads the fixtures that
 * scripts/gen-chart-fixtures.ts derives from the upstream values files and schemas.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { AWS_LOAD_BALANCER_CONTROLLER_CHART } from '../../lib/addons/aws-load-balancer-controller-values';
import {
  CERT_MANAGER_CHART,
  DEFAULT_RANCHER_VERSION,
  DEFAULT_RKE2_VERSION,
  RKE2_BUNDLED_TRAEFIK_CHART,
  RANCHER_BACKUP_CHARTS,
  TRAEFIK_CHART,
} from '../../lib/versions';

export type ChartName =
  | 'rancher'
  | 'cert-manager'
  | 'traefik'
  | 'aws-load-balancer-controller'
  | 'rke2-traefik'
  | 'rancher-backup';

/** The chart versions the project pins; the checker reads their fixtures. */
export const PINNED_CHART_VERSIONS: Readonly<Record<ChartName, string>> = {
  rancher: DEFAULT_RANCHER_VERSION,
  'cert-manager': CERT_MANAGER_CHART.version,
  traefik: TRAEFIK_CHART.version,
  'aws-load-balancer-controller': AWS_LOAD_BALANCER_CONTROLLER_CHART.version,
  'rke2-traefik': RKE2_BUNDLED_TRAEFIK_CHART[DEFAULT_RKE2_VERSION],
  // The fixture comes from the operator's repository at the tag of the chart's app version.
  'rancher-backup': RANCHER_BACKUP_CHARTS.appVersion,
};

export interface ChartFixture {
  readonly chart: string;
  readonly version: string;
  readonly valuePaths: readonly string[];
  readonly schemaPaths: readonly string[];
  readonly freeFormPaths: readonly string[];
  readonly commentOnlyPaths?: { readonly source: string; readonly paths: readonly string[] };
  readonly defaults: Record<string, unknown>;
  readonly schema: Record<string, unknown> | null;
  /** CRDs the project creates objects of (AWS Load Balancer Controller: TargetGroupBinding). */
  readonly crds?: Readonly<Record<string, CrdFacts>>;
  /** The upstream IAM policy's actions (AWS Load Balancer Controller). */
  readonly iamPolicy?: { readonly file: string; readonly actions: readonly string[] };
}

export interface CrdFacts {
  readonly group: string;
  readonly kind: string;
  readonly scope: string;
  readonly versions: readonly {
    readonly name: string;
    readonly served: boolean;
    readonly storage: boolean;
    readonly schema: Record<string, unknown> | null;
  }[];
}

const FIXTURE_DIR = path.resolve(__dirname, '..', 'fixtures', 'charts');

export interface LoadedChart {
  readonly fixture: ChartFixture;
  readonly known: ReadonlySet<string>;
  readonly freeForm: ReadonlySet<string>;
  readonly validate?: ValidateFunction;
}

const cache = new Map<string, LoadedChart>();

export function loadChartFixture(
  chart: ChartName,
  version = PINNED_CHART_VERSIONS[chart],
): LoadedChart {
  const key = `${chart}-${version}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const file = path.join(FIXTURE_DIR, `${key}.json`);
  let fixture: ChartFixture;
  try {
    fixture = JSON.parse(readFileSync(file, 'utf8')) as ChartFixture;
  } catch (error) {
    throw new Error(
      `No readable fixture for ${chart} ${version} at ${file}; run scripts/gen-chart-fixtures.ts.`,
      { cause: error },
    );
  }
  const loaded: LoadedChart = {
    fixture,
    known: new Set([
      ...fixture.valuePaths,
      ...fixture.schemaPaths,
      ...(fixture.commentOnlyPaths?.paths ?? []),
    ]),
    freeForm: new Set(fixture.freeFormPaths),
    validate: fixture.schema ? compileSchema(fixture.schema) : undefined,
  };
  cache.set(key, loaded);
  return loaded;
}

function compileSchema(schema: Record<string, unknown>): ValidateFunction {
  const draft2020 = String(schema.$schema ?? '').includes('2020-12');
  // strict: false because upstream schemas use union types and keywords ajv's strict mode flags.
  const options = { allErrors: true, strict: false } as const;
  const ajv = draft2020 ? new Ajv2020(options) : new Ajv(options);
  addFormats(ajv);
  return ajv.compile(schema);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function joinPath(prefix: string, key: string): string {
  const escaped = key.replace(/\./g, '\\.');
  return prefix ? `${prefix}.${escaped}` : escaped;
}

/** `/service/spec/type` (JSON pointer) as `service.spec.type`; `(root)` for the top. */
function pointerToPath(pointer: string): string {
  if (!pointer) return '(root)';
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~').replace(/\./g, '\\.'))
    .join('.');
}

function describeSchemaError(error: ErrorObject): string {
  const at = pointerToPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `${joinPath(at === '(root)' ? '' : at, String(params.additionalProperty))} is not allowed by the schema`;
    case 'enum':
      return `${at} must be one of ${JSON.stringify(params.allowedValues)}`;
    case 'const':
      return `${at} must be ${JSON.stringify(params.allowedValue)}`;
    default:
      return `${at} ${error.message ?? `fails ${error.keyword}`}`;
  }
}

/**
 * User values over chart defaults as Helm coalesces them: maps merge, anything else replaces,
 * and a null user value removes the default key.
 */
export function coalesce(
  defaults: Record<string, unknown>,
  values: Record<string, unknown>,
): Record<string, unknown> {
  const result: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(values)) {
    const base = result[key];
    if (value === null) delete result[key];
    else if (isPlainObject(value) && isPlainObject(base)) result[key] = coalesce(base, value);
    else result[key] = value;
  }
  return result;
}

/**
 * Problems with `values` for the pinned version of `chart`, as sentences: every value path the
 * chart does not have (paths below free-form maps and inside lists are the user's), and every
 * error of the chart's values schema. An empty list means the values fit.
 *
 * Like Helm, the schema sees `values` coalesced over the chart's defaults.
 */
export function checkChartValues(
  chart: ChartName,
  values: Record<string, unknown>,
  version = PINNED_CHART_VERSIONS[chart],
): string[] {
  const { fixture, known, freeForm, validate } = loadChartFixture(chart, version);
  const label = `${fixture.chart} chart ${fixture.version}`;
  const problems: string[] = [];

  const walk = (node: Record<string, unknown>, prefix: string): void => {
    for (const [key, value] of Object.entries(node)) {
      const p = joinPath(prefix, key);
      if (!known.has(p)) {
        problems.push(
          `${p} is not a value of the ${label}: neither its values.yaml nor its values schema ` +
            'has it.',
        );
        continue;
      }
      if (!freeForm.has(p) && isPlainObject(value)) walk(value, p);
    }
  };
  walk(values, '');

  if (validate && !validate(coalesce(fixture.defaults, values))) {
    for (const error of validate.errors ?? []) {
      // An `if` error only says which branch failed; the branch's own errors name the value.
      if (error.keyword === 'if') continue;
      problems.push(`${label} schema: ${describeSchemaError(error)}.`);
    }
  }
  return problems;
}
