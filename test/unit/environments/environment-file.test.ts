import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  ENVIRONMENTS_DIR,
  resolveEnvironmentFile,
} from '../../../lib/environments/environment-file';

describe('resolveEnvironmentFile', () => {
  it('looks a bare name up in the environments directory', () => {
    assert.equal(
      resolveEnvironmentFile('pr-12', '/repo/environments'),
      '/repo/environments/pr-12.yaml',
    );
  });

  it('takes a path as given', () => {
    assert.equal(
      resolveEnvironmentFile('/tmp/x/pr-3.yaml', '/repo/environments'),
      '/tmp/x/pr-3.yaml',
    );
  });

  it('looks names up in the repository environments/ directory by default', () => {
    assert.equal(ENVIRONMENTS_DIR, path.resolve(__dirname, '..', '..', '..', 'environments'));
  });
});
