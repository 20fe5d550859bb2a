import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deployOrder, destroyOrder, StackManifest } from '../../../lib/environments/stack-order';

function manifest(stacks: Record<string, string[]>): StackManifest {
  return {
    stacks: Object.fromEntries(
      Object.entries(stacks).map(([name, dependencies]) => [
        name,
        { name, dependencies, workingDirectory: `stacks/${name}` },
      ]),
    ),
  };
}

const FULL = manifest({
  'dev-bootstrap': [],
  'dev-management': [],
  'dev-rancher': ['dev-management'],
  'dev-a-cluster': [],
  'dev-a-agent': ['dev-rancher', 'dev-a-cluster'],
});

describe('stack order', () => {
  it('deploys every stack after its dependencies, otherwise in manifest order', () => {
    assert.deepEqual(deployOrder(FULL), [
      'dev-bootstrap',
      'dev-management',
      'dev-rancher',
      'dev-a-cluster',
      'dev-a-agent',
    ]);
  });

  it('deploys a dependency listed later in the manifest first', () => {
    const order = deployOrder(
      manifest({ 'x-agent': ['x-rancher'], 'x-rancher': ['x-management'], 'x-management': [] }),
    );
    assert.deepEqual(order, ['x-management', 'x-rancher', 'x-agent']);
  });

  it('destroys in reverse, with the bootstrap stack last', () => {
    assert.deepEqual(destroyOrder(FULL, { last: 'dev-bootstrap' }), [
      'dev-a-agent',
      'dev-a-cluster',
      'dev-rancher',
      'dev-management',
      'dev-bootstrap',
    ]);
  });

  it('keeps the bootstrap stack last even when other stacks depend on it', () => {
    const withDependency = manifest({ 'p-bootstrap': [], 'p-management': ['p-bootstrap'] });
    assert.deepEqual(destroyOrder(withDependency, { last: 'p-bootstrap' }), [
      'p-management',
      'p-bootstrap',
    ]);
    assert.deepEqual(destroyOrder(manifest({ 'p-management': [] }), { last: 'p-bootstrap' }), [
      'p-management',
    ]);
  });

  it('moves the bootstrap stack last even when reversing the deploy order would not', () => {
    // Stacks that do not depend on the bootstrap stack may come before it in the manifest; their
    // state is in its bucket all the same, so it must outlive them.
    const order = manifest({
      'q-management': [],
      'q-bootstrap': [],
      'q-rancher': ['q-management'],
    });
    assert.deepEqual(destroyOrder(order, { last: 'q-bootstrap' }), [
      'q-rancher',
      'q-management',
      'q-bootstrap',
    ]);
  });

  it('names a dependency that is not in the manifest', () => {
    assert.throws(
      () => deployOrder(manifest({ 'a-rancher': ['a-management'] })),
      /Stack "a-rancher" depends on "a-management", which is not in the manifest \(stacks: a-rancher\)\./,
    );
  });

  it('names the stacks of a cycle', () => {
    assert.throws(
      () => deployOrder(manifest({ a: ['b'], b: ['a'], c: [] })),
      /The stacks a, b depend on each other in a cycle\./,
    );
  });
});
