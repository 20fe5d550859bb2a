import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TerraformStack } from 'cdktf';
import {
  derivedNamesProblem,
  downstreamNames,
  managementNames,
} from '../../../lib/naming/environment-names';
import { buildEnvironment } from '../../../stacks';
import { awsNamesOf } from '../../helpers/aws-names';
import { environment, Json, Template, testApp } from '../../helpers/template';

describe('derivedNamesProblem', () => {
  // CreateLoadBalancer: the name "must not begin with \"internal-\"".
  it('names the load balancer name an environment called internal would make', () => {
    const names = managementNames({
      name: 'internal',
      target: 'aws',
      management: { distribution: 'eks' },
      state: { backend: 'local' },
      deployer: { enabled: true },
    });
    assert.equal(
      derivedNamesProblem(names),
      'makes the load balancer name "internal-ingress", which starts with internal- (reserved by AWS)',
    );
  });

  // CreateTargetGroup: "a maximum of 32 characters"; the longest RKE2 target group is <cluster>-rke2-join.
  it('reports the name furthest over its limit and by how much to shorten', () => {
    const names = downstreamNames('a'.repeat(20), { name: 'b'.repeat(12), distribution: 'rke2' });
    assert.equal(
      derivedNamesProblem(names),
      `makes the target group name "${'a'.repeat(20)}-${'b'.repeat(12)}-rke2-join", which is 43 characters (AWS allows 32); shorten it by 11`,
    );
  });

  it('accepts the longest names for an EKS downstream cluster', () => {
    assert.equal(
      derivedNamesProblem(
        downstreamNames('a'.repeat(20), { name: 'b'.repeat(12), distribution: 'eks' }),
      ),
      undefined,
    );
  });
});

/** Every AWS name in every stack of an environment. */
function synthesizedNames(overrides: Json) {
  const app = testApp();
  const config = environment(overrides);
  buildEnvironment(app, config);
  const stacks = app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack);
  return {
    config,
    names: stacks.flatMap((stack) => awsNamesOf(Template.fromStack(stack).json)),
  };
}

// The config check is only as good as the list: a name a construct adds must be in it.
describe('the derived names cover every AWS name the stacks set', () => {
  const cases: Record<string, Json> = {
    'eks with downstream eks and rke2, s3 state on aws': {
      name: 'covered',
      target: 'aws',
      accountId: '123456789012',
      state: { backend: 's3' },
      downstream: [
        { name: 'apps' },
        { name: 'edge', distribution: 'rke2', rke2: { workerCount: 1 } },
      ],
    },
    'rke2 ha with workers and a bastion, s3 state on the emulator': {
      name: 'covered',
      state: { backend: 's3' },
      management: {
        distribution: 'rke2',
        rke2: {
          profile: 'ha',
          workerCount: 2,
          bastion: true,
          bastionAllowedCidrs: ['203.0.113.0/24'],
        },
      },
    },
    'letsEncrypt dns01 (the cert-manager role)': {
      name: 'covered',
      rancher: {
        tls: { mode: 'letsEncrypt', letsEncrypt: { email: 'ops@example.com', challenge: 'dns01' } },
      },
    },
  };
  for (const [title, overrides] of Object.entries(cases)) {
    it(title, () => {
      const { config, names } = synthesizedNames(overrides);
      const listed = [
        ...managementNames(config),
        ...config.downstream.flatMap((cluster) => downstreamNames(config.name, cluster)),
      ];
      const missing = names.filter(
        (found) => !listed.some((l) => l.kind === found.kind && l.name === found.name),
      );
      assert.ok(names.length > 10, `only ${names.length} names found`);
      assert.deepEqual(
        missing.map((m) => `${m.where}: ${m.kind} ${m.name}`),
        [],
      );
    });
  }
});
