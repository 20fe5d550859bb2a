import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  directPathProblems,
  environmentStackRoles,
  inVpcPathProblems,
  unroutedDownstreams,
} from '../../../lib/environments/reach';
import { environment } from '../../helpers/template';

const PUBLIC = { endpointAccess: 'both', publicAccessCidrs: ['203.0.113.0/24'] };

describe('environmentStackRoles', () => {
  it('puts the AWS-only stacks apart from the in-cluster ones, each in deployment order', () => {
    const roles = environmentStackRoles(
      environment({
        name: 'prod',
        state: { backend: 's3' },
        downstream: [{ name: 'aa' }, { name: 'bb' }],
      }),
    );
    assert.equal(roles.bootstrap, 'prod-bootstrap');
    assert.deepEqual(roles.awsOnly, ['prod-management', 'prod-aa-cluster', 'prod-bb-cluster']);
    assert.deepEqual(
      roles.inCluster.map((s) => s.name),
      ['prod-rancher', 'prod-aa-agent', 'prod-bb-agent'],
    );
  });

  it('has no bootstrap stack with local state', () => {
    assert.equal(environmentStackRoles(environment({})).bootstrap, undefined);
  });

  it('says why each in-cluster stack needs the VPC: its own clusters only', () => {
    const roles = environmentStackRoles(
      environment({
        management: { eks: PUBLIC },
        downstream: [
          { name: 'aa' },
          { name: 'bb', eks: PUBLIC },
          { name: 'cc', distribution: 'rke2' },
        ],
      }),
    );
    assert.deepEqual(
      roles.inCluster.map((s) => [s.name, s.privateApis.length, s.rke2]),
      [
        ['test-rancher', 0, false],
        ['test-aa-agent', 1, false],
        ['test-bb-agent', 0, false],
        ['test-cc-agent', 1, true],
      ],
    );
    assert.match(
      roles.inCluster[1].privateApis[0],
      /^downstream\[0\]\.eks\.endpointAccess is private/,
    );
    assert.match(roles.inCluster[3].privateApis[0], /^downstream\[2\] \(cc\) is rke2/);
  });

  it('counts the management cluster for every agent stack too (registration goes there)', () => {
    const roles = environmentStackRoles(environment({ downstream: [{ name: 'aa', eks: PUBLIC }] }));
    assert.deepEqual(
      roles.inCluster.map((s) => s.privateApis.map((p) => p.split(':')[0])),
      [['management.eks.endpointAccess is private'], ['management.eks.endpointAccess is private']],
    );
  });
});

describe('directPathProblems', () => {
  it('is empty when every cluster API is public with CIDRs', () => {
    const config = environment({
      management: { eks: PUBLIC },
      downstream: [
        { name: 'aa', eks: { endpointAccess: 'both', publicAccessCidrs: ['198.51.100.0/24'] } },
      ],
    });
    assert.deepEqual(directPathProblems(config), []);
  });

  it('names each private setting once', () => {
    const problems = directPathProblems(
      environment({ downstream: [{ name: 'aa' }, { name: 'bb', eks: PUBLIC }] }),
    );
    assert.deepEqual(
      problems.map((p) => p.split(':')[0]),
      ['management.eks.endpointAccess is private', 'downstream[0].eks.endpointAccess is private'],
    );
  });

  it('refuses RKE2, whose API sits behind an internal load balancer', () => {
    const problems = directPathProblems(
      environment({ management: { distribution: 'rke2', rke2: {} } }),
    );
    assert.match(problems[0], /^management\.distribution is rke2: /);
  });
});

describe('inVpcPathProblems', () => {
  it('is empty for S3 state and the deployer on', () => {
    assert.deepEqual(inVpcPathProblems(environment({ state: { backend: 's3' } })), []);
  });

  it('refuses local state, a disabled deployer and certificate files, naming each field', () => {
    const problems = inVpcPathProblems(
      environment({
        deployer: { enabled: false },
        rancher: {
          tls: { mode: 'secret', secret: { certificateFile: 'a.crt', keyFile: 'a.key' } },
        },
      }),
    );
    assert.equal(problems.length, 3);
    assert.match(problems[0], /^deployer\.enabled is false/);
    assert.match(
      problems[1],
      /^state\.backend is local: .*set state\.backend: s3 and deploy test-bootstrap once$/,
    );
    assert.match(
      problems[2],
      /^rancher\.tls\.secret\.certificateFile\/keyFile .*set rancher\.tls\.secret\.secretsManagerArn instead$/,
    );
  });
});

describe('unroutedDownstreams', () => {
  const existingVpc = { vpcId: 'vpc-0abc', privateSubnetIds: ['subnet-0a', 'subnet-0b'] };

  it('names a private downstream in an existing VPC without route tables', () => {
    const notes = unroutedDownstreams(
      environment({ downstream: [{ name: 'legacy', existingVpc }] }),
    );
    assert.equal(notes.length, 1);
    assert.match(
      notes[0],
      /^downstream\[0\] \(legacy\) is in existing VPC vpc-0abc without existingVpc\.routeTableIds/,
    );
  });

  it('is quiet with route tables, a public endpoint, or an own VPC', () => {
    const config = environment({
      downstream: [
        { name: 'aa', existingVpc: { ...existingVpc, routeTableIds: ['rtb-0a'] } },
        { name: 'bb', existingVpc, eks: PUBLIC },
        { name: 'cc' },
      ],
    });
    assert.deepEqual(unroutedDownstreams(config), []);
  });
});
