import assert from 'node:assert/strict';
import { App, TerraformStack, Testing } from 'cdktf';
import type { EnvironmentConfig, EnvironmentInput } from '../../lib/config/schema';
import { ConfigError, describeProblem, parseEnvironment } from '../../lib/config/load';
import { scratchDir } from './scratch';

/** A synthesized stack as JSON, with lookups by resource type (snake_case keys, as Terraform sees them). */
export type Json = Record<string, unknown>;

const PREPARED = new WeakSet<App>();

export class Template {
  readonly json: Json;

  private constructor(json: Json) {
    this.json = json;
  }

  /**
   * Synthesizes one stack as `cdktf synth` would: every stack of the app is prepared first (that
   * is when cross-stack references become remote-state lookups), then aspects and validations run.
   */
  static fromStack(stack: TerraformStack): Template {
    const app = App.of(stack);
    if (!PREPARED.has(app)) {
      PREPARED.add(app);
      for (const child of app.node.children) {
        if (child instanceof TerraformStack) child.prepareStack();
      }
    }
    return new Template(JSON.parse(Testing.synth(stack, true)) as Json);
  }

  /** Every resource of a type, by logical id. */
  resources(type: string): Record<string, Json> {
    const resources = (this.json.resource ?? {}) as Record<string, Record<string, Json>>;
    return resources[type] ?? {};
  }

  dataSources(type: string): Record<string, Json> {
    const data = (this.json.data ?? {}) as Record<string, Record<string, Json>>;
    return data[type] ?? {};
  }

  resourceList(type: string): Json[] {
    return Object.values(this.resources(type));
  }

  resourceCount(type: string): number {
    return this.resourceList(type).length;
  }

  /** The one resource of a type; fails when there are none or several. */
  single(type: string): Json {
    const list = this.resourceList(type);
    assert.equal(list.length, 1, `expected exactly one ${type}, found ${list.length}`);
    return list[0];
  }

  /** Resources of a type whose properties include `subset` (deep partial match). */
  find(type: string, subset: Json): Json[] {
    return this.resourceList(type).filter((resource) => matches(resource, subset));
  }

  hasResourceWithProperties(type: string, subset: Json): void {
    const found = this.find(type, subset);
    assert.ok(
      found.length > 0,
      `no ${type} matches ${JSON.stringify(subset)}; have ${JSON.stringify(this.resourceList(type), null, 1).slice(0, 2000)}`,
    );
  }

  outputs(): Record<string, Json> {
    return (this.json.output ?? {}) as Record<string, Json>;
  }

  output(name: string): Json {
    const output = this.outputs()[name];
    assert.ok(output, `no output ${name}; have ${Object.keys(this.outputs()).join(', ')}`);
    return output;
  }
}

function matches(actual: unknown, expected: unknown): boolean {
  if (expected === null || typeof expected !== 'object') return actual === expected;
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((item, i) => matches(actual[i], item))
    );
  }
  if (actual === null || typeof actual !== 'object') return false;
  return Object.entries(expected as Json).every(([key, value]) =>
    matches((actual as Json)[key], value),
  );
}

/** A valid minimal environment, with overrides merged on top (deeply for plain objects). */
export function environment(overrides: EnvironmentInput | Json = {}): EnvironmentConfig {
  const base: Json = {
    name: 'test',
    target: 'local',
    owner: 'platform-team',
    dns: { hostname: 'rancher.test.internal' },
  };
  return parseEnvironment(mergeDeep(base, overrides as Json), '<test>');
}

/** The report lines (`path: message (got value)`) of `environment(overrides)`; [] when valid. */
export function environmentProblems(overrides: EnvironmentInput | Json = {}): string[] {
  try {
    environment(overrides);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map(describeProblem);
    throw error;
  }
}

export function mergeDeep(base: Json, overrides: Json): Json {
  const result: Json = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    const current = result[key];
    result[key] =
      isPlainObject(current) && isPlainObject(value) ? mergeDeep(current, value) : value;
  }
  return result;
}

function isPlainObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * A fresh app for a synth test. `Testing.synth` writes nothing, but `Testing.app()` would leave a
 * new empty directory in the system's temp directory for every app.
 */
export function testApp(): App {
  return Testing.app({ outdir: scratchDir('app') });
}
