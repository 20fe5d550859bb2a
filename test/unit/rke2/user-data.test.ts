import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import {
  compressedUserDataBytes,
  EC2_USER_DATA_LIMIT_BYTES,
  RKE2_BOOTSTRAP_PATH,
  RKE2_CONFIG_PATH,
  renderRke2BootstrapScript,
  renderRke2Config,
  renderRke2UserData,
  type Rke2UserDataOptions,
} from '../../../lib/rke2/user-data';

const NLB = 'dev-rke2-0123456789abcdef.elb.eu-west-1.amazonaws.com';
const TOKEN_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:dev-rke2-token-AbCdEf';
const KUBECONFIG_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:dev-kubeconfig-AbCdEf';

function testFixture(overrides: Partial<Rke2UserDataOptions> = {}): Rke2UserDataOptions {
  const role = overrides.role ?? 'seed';
  const isServer = role !== 'agent';
  return {
    role,
    clusterName: 'dev',
    registrationAddress: NLB,
    tokenSecretArn: TOKEN_ARN,
    ...(role === 'seed' ? { kubeconfigSecretArn: KUBECONFIG_ARN } : {}),
    ...(isServer
      ? {
          tlsSans: ['rancher.example.com'],
          taintServers: true,
          etcdSnapshots: { bucket: 'dev-etcd-snapshots', region: 'eu-west-1' },
        }
      : {}),
    ...overrides,
  };
}

interface WriteFile {
  readonly path: string;
  readonly owner: string;
  readonly permissions: string;
  readonly content: string;
}

interface CloudConfig {
  readonly write_files: WriteFile[];
  readonly runcmd: string[][];
}

function cloudConfig(userData: string): CloudConfig {
  assert.ok(userData.startsWith('#cloud-config\n'), 'user data must start with #cloud-config');
  return parse(userData) as CloudConfig;
}

function file(config: CloudConfig, filePath: string): WriteFile {
  const found = config.write_files.find((f) => f.path === filePath);
  assert.ok(found, `no write_files entry for ${filePath}`);
  return found;
}

const ROLES = ['seed', 'server', 'agent'] as const;

describe('renderRke2Config', () => {
  it('seed: initialises (no server:, no cluster-init), with tls-san, taint and etcd snapshots to S3', () => {
    const config = renderRke2Config(testFixture({ nodeLabels: { 'example.com/pool': 'servers' } }));
    assert.deepEqual(config, {
      'token-file': '/etc/rancher/rke2/join-token',
      'write-kubeconfig-mode': '0600',
      'tls-san': [NLB, 'rancher.example.com'],
      'ingress-controller': 'traefik',
      'node-taint': ['CriticalAddonsOnly=true:NoExecute'],
      'node-label': ['example.com/pool=servers'],
      'etcd-s3': true,
      'etcd-s3-bucket': 'dev-etcd-snapshots',
      'etcd-s3-region': 'eu-west-1',
      'etcd-s3-folder': 'dev',
      'etcd-snapshot-schedule-cron': '0 */6 * * *',
      'etcd-snapshot-retention': 28,
    });
  });

  it('server: joins through the registration address on 9345', () => {
    const config = renderRke2Config(testFixture({ role: 'server' }));
    assert.equal(config.server, `https://${NLB}:9345`);
    assert.equal(config['etcd-s3'], true);
    assert.deepEqual(config['node-taint'], ['CriticalAddonsOnly=true:NoExecute']);
  });

  it('agent: joins, carries no server-only settings', () => {
    const config = renderRke2Config(
      testFixture({ role: 'agent', nodeLabels: { pool: 'workers' } }),
    );
    assert.deepEqual(config, {
      server: `https://${NLB}:9345`,
      'token-file': '/etc/rancher/rke2/join-token',
      'node-label': ['pool=workers'],
    });
    assert.equal(
      Object.keys(config).some((key) => key.startsWith('etcd-')),
      false,
    );
  });

  it('keeps servers untainted unless asked, and takes snapshot settings as given', () => {
    const config = renderRke2Config(
      testFixture({
        taintServers: false,
        tlsSans: [NLB, 'rancher.example.com', '10.0.0.10'],
        etcdSnapshots: {
          bucket: 'b-1',
          region: 'us-east-1',
          folder: 'clusters/dev',
          schedule: '15 */2 * * *',
          retention: 5,
        },
      }),
    );
    assert.equal(config['node-taint'], undefined);
    assert.deepEqual(config['tls-san'], [NLB, 'rancher.example.com', '10.0.0.10']);
    assert.equal(config['etcd-s3-folder'], 'clusters/dev');
    assert.equal(config['etcd-snapshot-schedule-cron'], '15 */2 * * *');
    assert.equal(config['etcd-snapshot-retention'], 5);
  });

  it('rejects invalid options with sentences naming the field', () => {
    assert.throws(
      () => renderRke2Config(testFixture({ kubeconfigSecretArn: undefined })),
      /^Error: kubeconfigSecretArn is required for the seed role/,
    );
    assert.throws(
      () => renderRke2Config(testFixture({ role: 'server', kubeconfigSecretArn: KUBECONFIG_ARN })),
      /kubeconfigSecretArn is only read by the seed role; remove it for role server\./,
    );
    assert.throws(
      () => renderRke2Config(testFixture({ role: 'agent', taintServers: true })),
      /taintServers applies to servers only \(roles seed and server\); remove it for role agent\./,
    );
    assert.throws(
      () => renderRke2Config(testFixture({ registrationAddress: `https://${NLB}:9345` })),
      /registrationAddress must be the DNS name of the load balancer, without scheme or port; got "https:/,
    );
    assert.throws(
      () => renderRke2Config(testFixture({ rke2Version: '1.36.3' })),
      /rke2Version must be an RKE2 release such as v1\.36\.3\+rke2r1; got "1\.36\.3"\./,
    );
    assert.throws(
      () => renderRke2Config(testFixture({ tokenSecretArn: 'dev-rke2-token' })),
      /tokenSecretArn must be a Secrets Manager secret ARN; got "dev-rke2-token"\./,
    );
    assert.throws(
      () => renderRke2Config(testFixture({ nodeLabels: { pool: 'a b' } })),
      /nodeLabels\["pool"\] must be a Kubernetes label value/,
    );
    assert.throws(
      () => renderRke2Config(testFixture({ waitTimeoutSeconds: 5 })),
      /waitTimeoutSeconds must be a whole number of seconds from 60 to 86400; got 5\./,
    );
  });

  it('copies unresolved cdktf tokens verbatim instead of validating them', () => {
    const dns = '${TfToken[TOKEN.41]}';
    const config = renderRke2Config(testFixture({ role: 'server', registrationAddress: dns }));
    assert.equal(config.server, `https://${dns}:9345`);
    assert.deepEqual(config['tls-san'], [dns, 'rancher.example.com']);
  });
});

describe('renderRke2UserData', () => {
  for (const role of ROLES) {
    it(`${role}: a cloud-config that writes the config (0600) and the script (0700) and runs it`, () => {
      const options = testFixture({ role });
      const doc = cloudConfig(renderRke2UserData(options));
      const config = file(doc, RKE2_CONFIG_PATH);
      assert.equal(config.permissions, '0600');
      assert.deepEqual(parse(config.content), renderRke2Config(options));
      const script = file(doc, RKE2_BOOTSTRAP_PATH);
      assert.equal(script.permissions, '0700');
      assert.equal(script.content, renderRke2BootstrapScript(options));
      assert.match(script.content, new RegExp(`^readonly RKE2_ROLE='${role}'$`, 'm'));
      assert.match(script.content, /^readonly RKE2_VERSION='v1\.36\.3\+rke2r1'$/m);
      assert.deepEqual(doc.runcmd, [[RKE2_BOOTSTRAP_PATH]]);
    });
  }

  it('every script passes bash -n and shellcheck', () => {
    const version = spawnSync('shellcheck', ['--version'], { encoding: 'utf8' });
    if (version.error || version.status !== 0) {
      assert.fail(
        'shellcheck is not installed; install it (apt-get update && apt-get install -y shellcheck) ' +
          'so the bootstrap scripts can be checked.',
      );
    }
    for (const role of ROLES) {
      const doc = cloudConfig(renderRke2UserData(testFixture({ role })));
      const scripts = doc.write_files.filter((f) => f.content.startsWith('#!'));
      assert.equal(scripts.length, 1, `${role}: expected one script`);
      for (const script of scripts) {
        const syntax = spawnSync('bash', ['-n'], { input: script.content, encoding: 'utf8' });
        assert.equal(syntax.status, 0, `${role} ${script.path}: bash -n: ${syntax.stderr}`);
        const lint = spawnSync('shellcheck', ['-s', 'bash', '-'], {
          input: script.content,
          encoding: 'utf8',
        });
        assert.equal(lint.status, 0, `${role} ${script.path}: shellcheck:\n${lint.stdout}`);
      }
    }
  });

  it('reads instance metadata through IMDSv2 only', () => {
    const script = renderRke2BootstrapScript(testFixture());
    const lines = script.split('\n');
    assert.deepEqual(
      lines.filter((l) => l.includes('169.254.169.254')),
      ['readonly IMDS_URL=http://169.254.169.254'],
    );
    // A command may continue on the next line (trailing backslash).
    const commands = script.replace(/\\\n\s*/g, ' ').split('\n');
    const imdsCalls = commands.filter((l) => l.includes('$IMDS_URL'));
    assert.equal(imdsCalls.length, 2, imdsCalls.join('\n'));
    for (const call of imdsCalls) {
      assert.match(call, /^\s*curl /, call);
      const isTokenRequest =
        call.includes('-X PUT "$IMDS_URL/latest/api/token"') &&
        call.includes("-H 'X-aws-ec2-metadata-token-ttl-seconds: 300'");
      const carriesToken = call.includes('-H "X-aws-ec2-metadata-token: $token"');
      assert.ok(isTokenRequest || carriesToken, `metadata call without a token: ${call}`);
    }
    assert.doesNotMatch(script, /\bwget\b/);
  });

  it('never traces commands, and secrets only travel through files', () => {
    const script = renderRke2BootstrapScript(testFixture());
    assert.doesNotMatch(script, /set -[a-z]*x/);
    assert.match(script, /--query SecretString --output text >"\$2"/);
    assert.match(script, /--secret-string "file:\/\/\$1"/);
    assert.match(script, /^umask 077$/m);
  });

  it('stays inside the EC2 user data limit for every role with long real-world values', () => {
    const longDns = `${'a'.repeat(32)}-${'b'.repeat(16)}.elb.ap-southeast-2.amazonaws.com`;
    for (const role of ROLES) {
      const options = testFixture({
        role,
        clusterName: 'x'.repeat(63),
        registrationAddress: longDns,
        tokenSecretArn: `arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:${'t'.repeat(200)}`,
        ...(role === 'seed'
          ? {
              kubeconfigSecretArn: `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${'k'.repeat(200)}`,
            }
          : {}),
        ...(role !== 'agent' ? { tlsSans: ['r'.repeat(60) + '.example.com', '10.0.0.10'] } : {}),
        nodeLabels: {
          'node.example.com/pool': 'p'.repeat(63),
          'node.example.com/zone': 'z'.repeat(63),
        },
      });
      const size = compressedUserDataBytes(renderRke2UserData(options));
      // Half the limit: room to grow, and for Terraform's gzip output differing from Node's.
      assert.ok(size <= 8 * 1024, `${role}: ${size} bytes compressed leaves under half of 16 KB`);
    }
  });

  it('refuses to render user data over the limit once compressed', () => {
    // Hash-derived values barely compress: 800 of them exceed 16 KB after gzip.
    const nodeLabels = Object.fromEntries(
      Array.from({ length: 800 }, (_, i) => [
        `example.com/label-${i}`,
        createHash('sha256').update(String(i)).digest('hex').slice(0, 63),
      ]),
    );
    assert.throws(
      () => renderRke2UserData(testFixture({ nodeLabels })),
      new RegExp(
        `The RKE2 user data for role seed is \\d+ bytes gzip-compressed; EC2 accepts at most ${EC2_USER_DATA_LIMIT_BYTES}\\.`,
      ),
    );
  });

  it('contains no Terraform template syntax of its own, and keeps tokens intact', () => {
    for (const role of ROLES) {
      const userData = renderRke2UserData(testFixture({ role }));
      assert.doesNotMatch(userData, /\$\{|%\{/, `${role}: Terraform would interpolate this`);
    }
    const token = '${TfToken[TOKEN.7]}';
    const userData = renderRke2UserData(
      testFixture({ registrationAddress: token, tokenSecretArn: token }),
    );
    assert.ok(userData.includes(`readonly REGISTRATION_ADDRESS='${token}'`));
    assert.ok(userData.includes(`- ${token}`));
  });
});

// Runs the rendered script with stub commands (curl, aws, snap, systemctl, sh, sleep, kubectl)
// under a temporary root, to check the seed/joiner decisions end to end.
const JOIN_TOKEN = 'K10join-token-must-not-leak::server:abc123';
const ADMIN_KUBECONFIG = [
  'apiVersion: v1',
  'clusters:',
  '- cluster:',
  '    certificate-authority-data: Q0EK',
  '    server: https://127.0.0.1:6443',
  '  name: default',
  'users:',
  '- name: default',
  '  user:',
  '    client-key-data: S0VZLW11c3Qtbm90LWxlYWsK',
  '',
].join('\n');

const STUBS: Record<string, string> = {
  curl: [
    'printf "curl %s\\n" "$*" >>"$WORLD/calls"',
    'out=""; prev=""',
    'for a in "$@"; do if [ "$prev" = -o ]; then out=$a; fi; prev=$a; done',
    'case "$*" in',
    '  *api/token*) [[ "$*" == *"-X PUT"* ]] || exit 22; echo imds-session ;;',
    '  *placement/region*) [[ "$*" == *"X-aws-ec2-metadata-token: imds-session"* ]] || exit 22; echo eu-west-1 ;;',
    '  */ping*)',
    '    if [ -f "$WORLD/ping-fails-left" ]; then',
    '      n=$(cat "$WORLD/ping-fails-left")',
    '      if [ "$n" -gt 0 ]; then echo $((n - 1)) >"$WORLD/ping-fails-left"; exit 7; fi',
    '      exit 0',
    '    fi',
    '    exit 7 ;;',
    '  *get.rke2.io*) echo "exit 0" >"$out" ;;',
    '  *) exit 6 ;;',
    'esac',
  ].join('\n'),
  aws: [
    'printf "aws %s\\n" "$*" >>"$WORLD/calls"',
    'case "$*" in',
    '  *put-secret-value*)',
    '    for a in "$@"; do case "$a" in file://*) cp "$(echo "$a" | sed "s#^file://##")" "$WORLD/kubeconfig" ;; esac; done ;;',
    '  *"length(SecretString)"*)',
    '    if [ -f "$WORLD/kubeconfig-denied" ]; then echo "An error occurred (AccessDeniedException) when calling the GetSecretValue operation" >&2; exit 254; fi',
    '    if [ -f "$WORLD/kubeconfig" ]; then wc -c <"$WORLD/kubeconfig" | tr -d " "; exit 0; fi',
    '    echo "An error occurred (ResourceNotFoundException) when calling the GetSecretValue operation" >&2; exit 254 ;;',
    '  *"--query SecretString"*) cat "$WORLD/token" ;;',
    '  *) exit 255 ;;',
    'esac',
  ].join('\n'),
  snap: 'printf "snap %s\\n" "$*" >>"$WORLD/calls"',
  systemctl: 'printf "systemctl %s\\n" "$*" >>"$WORLD/calls"',
  sh: 'printf "install %s %s\\n" "$INSTALL_RKE2_VERSION" "$INSTALL_RKE2_TYPE" >>"$WORLD/calls"',
  sleep: 'true',
  kubectl: 'true',
};

interface World {
  /** Seed the kubeconfig secret with a value (the cluster exists). */
  readonly published?: boolean;
  /** Reading the kubeconfig secret is denied. */
  readonly denied?: boolean;
  /** The registration address fails this many pings, then answers; undefined: never answers. */
  readonly pingFailures?: number;
}

interface Outcome {
  readonly code: number | null;
  readonly output: string;
  readonly calls: string;
  readonly config: string;
  readonly published?: string;
  readonly root: string;
}

function runBootstrap(options: Rke2UserDataOptions, world: World): Outcome {
  const root = mkdtempSync(path.join(tmpdir(), 'rke2-bootstrap-'));
  const stubs = path.join(root, 'stubs');
  const worldDir = path.join(root, 'world');
  const rke2Dir = path.join(root, 'etc', 'rancher', 'rke2');
  for (const dir of [stubs, worldDir, rke2Dir]) mkdirSync(dir, { recursive: true });
  for (const [name, body] of Object.entries(STUBS)) {
    writeFileSync(path.join(stubs, name), `#!/bin/bash\n${body}\n`);
    chmodSync(path.join(stubs, name), 0o755);
  }
  writeFileSync(path.join(worldDir, 'token'), `${JOIN_TOKEN}\n`);
  writeFileSync(path.join(worldDir, 'calls'), '');
  if (world.published) writeFileSync(path.join(worldDir, 'kubeconfig'), 'an earlier kubeconfig');
  if (world.denied) writeFileSync(path.join(worldDir, 'kubeconfig-denied'), '');
  if (world.pingFailures !== undefined) {
    writeFileSync(path.join(worldDir, 'ping-fails-left'), String(world.pingFailures));
  }
  writeFileSync(
    path.join(rke2Dir, 'config.yaml'),
    file(cloudConfig(renderRke2UserData(options)), RKE2_CONFIG_PATH).content,
  );
  writeFileSync(path.join(rke2Dir, 'rke2.yaml'), ADMIN_KUBECONFIG);

  let script = renderRke2BootstrapScript(options);
  const replacements: Array<[string, string]> = [
    ['/var/lib/rancher/rke2/bin/kubectl', path.join(stubs, 'kubectl')],
    ['/etc/rancher/rke2', rke2Dir],
    ['/var/lib/rke2-bootstrap', path.join(root, 'state')],
    [
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/snap/bin',
      `PATH=${stubs}:/usr/bin:/bin`,
    ],
  ];
  for (const [from, to] of replacements) {
    assert.ok(script.includes(from), `the script no longer mentions ${from}; update this test`);
    script = script.split(from).join(to);
  }
  const scriptPath = path.join(root, 'rke2-bootstrap');
  writeFileSync(scriptPath, script);
  const result = spawnSync('/bin/bash', [scriptPath], {
    env: { WORLD: worldDir, HOME: root },
    encoding: 'utf8',
    timeout: 30_000,
  });
  const publishedPath = path.join(worldDir, 'kubeconfig');
  return {
    code: result.status,
    output: `${result.stdout}${result.stderr}`,
    calls: readFileSync(path.join(worldDir, 'calls'), 'utf8'),
    config: readFileSync(path.join(rke2Dir, 'config.yaml'), 'utf8'),
    published: existsSync(publishedPath) ? readFileSync(publishedPath, 'utf8') : undefined,
    root,
  };
}

function assertNoSecretsIn(outcome: Outcome): void {
  assert.ok(!outcome.output.includes('join-token-must-not-leak'), 'the join token reached the log');
  assert.ok(!outcome.output.includes('S0VZLW11c3Qtbm90LWxlYWsK'), 'the kubeconfig reached the log');
  assert.ok(
    !outcome.calls.includes('join-token-must-not-leak'),
    'the join token was a command argument',
  );
}

describe('bootstrap script behaviour (stubbed commands)', () => {
  it('seed on a fresh cluster: initialises, then publishes the kubeconfig pointed at the load balancer', () => {
    const outcome = runBootstrap(testFixture(), {});
    try {
      assert.equal(outcome.code, 0, outcome.output);
      assert.match(outcome.output, /this seed initialises the cluster/);
      assert.doesNotMatch(outcome.config, /^server:/m);
      assert.match(outcome.calls, /^install v1\.36\.3\+rke2r1 server$/m);
      assert.match(outcome.calls, /^systemctl start --no-block rke2-server\.service$/m);
      assert.ok(outcome.published, 'nothing was published');
      assert.match(
        outcome.published,
        new RegExp(`server: https://${NLB.replace(/\./g, '\\.')}:6443`),
      );
      assert.doesNotMatch(outcome.published, /127\.0\.0\.1/);
      const tokenFile = path.join(outcome.root, 'etc', 'rancher', 'rke2', 'join-token');
      assert.equal(readFileSync(tokenFile, 'utf8').trim(), JOIN_TOKEN);
      assert.equal(statSync(tokenFile).mode & 0o777, 0o600);
      assert.ok(existsSync(path.join(outcome.root, 'state', 'done')));
      assertNoSecretsIn(outcome);
    } finally {
      rmSync(outcome.root, { recursive: true, force: true });
    }
  });

  it('replaced seed while servers answer: joins and publishes nothing', () => {
    const outcome = runBootstrap(testFixture(), { pingFailures: 0, published: true });
    try {
      assert.equal(outcome.code, 0, outcome.output);
      assert.match(outcome.output, /answers: the cluster exists, this replaced seed joins it/);
      assert.match(
        outcome.config,
        new RegExp(`^server: https://${NLB.replace(/\./g, '\\.')}:9345$`, 'm'),
      );
      assert.doesNotMatch(outcome.calls, /put-secret-value/);
      assert.equal(outcome.published, 'an earlier kubeconfig');
      assertNoSecretsIn(outcome);
    } finally {
      rmSync(outcome.root, { recursive: true, force: true });
    }
  });

  it('replaced seed with a published kubeconfig: waits for the registration address, then joins', () => {
    const outcome = runBootstrap(testFixture(), { pingFailures: 3, published: true });
    try {
      assert.equal(outcome.code, 0, outcome.output);
      assert.match(outcome.output, /a kubeconfig is already published: the cluster exists/);
      assert.match(
        outcome.output,
        /waiting for the registration address https:\/\/\S+:9345\/ping to answer \(10\/1800 s\)/,
      );
      assert.match(outcome.config, /^server: https:\/\/\S+:9345$/m);
      assert.doesNotMatch(outcome.calls, /put-secret-value/);
    } finally {
      rmSync(outcome.root, { recursive: true, force: true });
    }
  });

  it('seed that cannot read the kubeconfig secret: never initialises', () => {
    const outcome = runBootstrap(testFixture({ waitTimeoutSeconds: 60 }), { denied: true });
    try {
      assert.equal(outcome.code, 1);
      assert.match(outcome.output, /AccessDeniedException/);
      assert.match(
        outcome.output,
        /ERROR: gave up waiting for a readable answer from \S+ after 60 s; the seed will not initialise a cluster while it cannot tell whether one exists/,
      );
      assert.doesNotMatch(outcome.calls, /systemctl (enable|start)/);
    } finally {
      rmSync(outcome.root, { recursive: true, force: true });
    }
  });

  it('joining server: gives up after the bounded wait when the registration address never answers', () => {
    const outcome = runBootstrap(testFixture({ role: 'server', waitTimeoutSeconds: 60 }), {});
    try {
      assert.equal(outcome.code, 1);
      assert.equal(
        outcome.output.match(/rke2-bootstrap: waiting for the registration address/g)?.length,
        6,
      );
      assert.match(
        outcome.output,
        /ERROR: gave up waiting for the registration address https:\/\/\S+:9345\/ping to answer after 60 s; check the seed server's cloud-init log/,
      );
      assert.doesNotMatch(outcome.calls, /systemctl (enable|start)/);
      assert.doesNotMatch(outcome.calls, /kubeconfig/);
    } finally {
      rmSync(outcome.root, { recursive: true, force: true });
    }
  });

  it('agent: installs the agent type and starts rke2-agent once the registration address answers', () => {
    const outcome = runBootstrap(testFixture({ role: 'agent' }), { pingFailures: 1 });
    try {
      assert.equal(outcome.code, 0, outcome.output);
      assert.match(outcome.calls, /^install v1\.36\.3\+rke2r1 agent$/m);
      assert.match(outcome.calls, /^systemctl start --no-block rke2-agent\.service$/m);
      assert.doesNotMatch(outcome.calls, /rke2-server/);
      assert.equal(
        outcome.calls.match(/^aws /gm)?.length,
        1,
        'the agent reads the join token only',
      );
      assertNoSecretsIn(outcome);
    } finally {
      rmSync(outcome.root, { recursive: true, force: true });
    }
  });
});
