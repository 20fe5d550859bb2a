import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { environmentProblems } from '../../helpers/template';

// Rules of lib/config/tls.ts that the invalid-environment corpus does not reach.
describe('tls rules', () => {
  it('refuses a secret block when the mode is not secret, where it would be ignored', () => {
    assert.deepEqual(
      environmentProblems({
        rancher: {
          tls: { mode: 'rancher', secret: { certificateFile: 'tls.crt', keyFile: 'tls.key' } },
        },
      }),
      [
        'rancher.tls.secret: is only read when mode is secret (got {"certificateFile":"tls.crt","keyFile":"tls.key","privateCA":false})',
      ],
    );
  });
});
