import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { redirectPaths, writeStubCommands } from '../../helpers/stub-commands';
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
import { renderRke2LeaveScript, RKE2_LEAVE_SCRIPT_PATH } from '../../../lib/rke2/leave';
import { proxySettings } from '../../../lib/airgap/proxy';

const NLB = 'dev-rke2-0123456789abcdef.elb.eu-west-1.amazonaws.com';
const TOKEN_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:dev-rke2-token-AbCdEf';
const KUBECONFIG_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:dev-kubeconfig-AbCdEf';
const FULL_TOKEN_ARN =
  'arn:aws:secretsmanager:eu-west-1:123456789012:secret:dev-rke2-full-token-AbCdEf';

function testFixture(overrides: Partial<Rke2UserDataOptions> = {}): Rke2UserDataOptions {
  const role = overrides.role ?? 'seed';
  const isServer = role !== 'agent';
  return {
    role,
    clusterName: 'dev',
    registrationAddress: NLB,
    tokenSecretArn: TOKEN_ARN,
    fullTokenSecretArn: FULL_TOKEN_ARN,
    ...(role === 'seed' ? { kubeconfigSecretArn: KUBECONFIG_ARN } : {}),
    ...(isServer
      ? {
          terminationHook: { autoScalingGroupName: `dev-${role}` },
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
      // rke2 v1.36.3+rke2r1 pkg/cli/cmds/server.go passes etcd-s3-retention to k3s, whose
      // default (5, k3s pkg/cli/cmds) would otherwise prune S3 below the configured count.
      'etcd-s3-retention': 28,
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
    assert.equal(config['etcd-s3-retention'], 5);
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
      // Servers also carry the leave-on-termination script.
      assert.equal(scripts.length, role === 'agent' ? 1 : 2, `${role}: scripts`);
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
    assert.match(script, /--secret-string "file:\/\/\$2"/);
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
// under a temporary root, to check the seed/joiner decisions and the credential commands end to
// end; openssl, flock, timeout and date are the real ones.
const JOIN_TOKEN = 'join-token-must-not-leak-abc123';
// What RKE2 writes to /var/lib/rancher/rke2/server/token once it runs (k3s: <data-dir>/server/token).
const FULL_TOKEN = `K10cafe0123456789::server:${JOIN_TOKEN}`;
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
    '[ -z "$https_proxy" ] || printf "%s %s\\n" "$https_proxy" "$no_proxy" >>"$WORLD/curl-proxy"',
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
    '  *put-secret-value*full-token*)',
    '    for a in "$@"; do case "$a" in file://*) cp "$(echo "$a" | sed "s#^file://##")" "$WORLD/full-token" ;; esac; done ;;',
    '  *full-token*"--query SecretString"*)',
    '    if [ -f "$WORLD/full-token" ]; then cat "$WORLD/full-token"; exit 0; fi',
    '    echo "An error occurred (ResourceNotFoundException) when calling the GetSecretValue operation" >&2; exit 254 ;;',
    '  *put-secret-value*)',
    '    for a in "$@"; do case "$a" in file://*) cp "$(echo "$a" | sed "s#^file://##")" "$WORLD/kubeconfig" ;; esac; done ;;',
    '  *get-secret-value*kubeconfig*"--query SecretString --output text"*)',
    '    if [ -f "$WORLD/kubeconfig-denied" ]; then echo "An error occurred (AccessDeniedException) when calling the GetSecretValue operation" >&2; exit 254; fi',
    // The CLI's text output ends the value with a newline.
    '    if [ -f "$WORLD/kubeconfig" ]; then cat "$WORLD/kubeconfig"; echo; exit 0; fi',
    '    echo "An error occurred (ResourceNotFoundException) when calling the GetSecretValue operation" >&2; exit 254 ;;',
    '  *registry-credentials*"--query SecretString"*) cat "$WORLD/registry-credentials" ;;',
    '  *"--query SecretString"*) cat "$WORLD/token" ;;',
    '  *) exit 255 ;;',
    'esac',
  ].join('\n'),
  snap: 'printf "snap %s\\n" "$*" >>"$WORLD/calls"',
  systemctl: 'printf "systemctl %s\\n" "$*" >>"$WORLD/calls"',
  sh: 'printf "install %s %s\\n" "$INSTALL_RKE2_VERSION" "$INSTALL_RKE2_TYPE" >>"$WORLD/calls"',
  sleep: 'true',
  kubectl: [
    'case "$*" in',
    '  *"get --raw=/readyz"*) exit 0 ;;',
    'esac',
    'printf "kubectl %s\\n" "$*" >>"$WORLD/calls"',
    'case "$*" in',
    '  *"get nodes"*) cat "$WORLD/nodes" ;;',
    '  *"create -f -"*)',
    '    if [ -f "$WORLD/lease" ]; then echo "Error from server (AlreadyExists)" >&2; exit 1; fi',
    '    cat >"$WORLD/lease"; cp "$WORLD/lease" "$WORLD/lease-request" ;;',
    '  *"get lease"*) [ -f "$WORLD/lease" ] && cat "$WORLD/lease-created" ;;',
    '  *"delete lease"*) rm "$WORLD/lease" ;;',
    '  *) exit 3 ;;',
    'esac',
  ].join('\n'),
};

interface World {
  /** Seed the kubeconfig secret with a value (the cluster exists). */
  readonly published?: boolean;
  /** Reading the kubeconfig secret is denied. */
  readonly denied?: boolean;
  /** The registration address fails this many pings, then answers; undefined: never answers. */
  readonly pingFailures?: number;
  /** The kubeconfig secret holds exactly this. */
  readonly storedKubeconfig?: string;
  /** The node's client certificate (server: client-admin, agent: client-kubelet) expires in this many days. */
  readonly certificateDays?: number;
  /** What `kubectl get nodes -l node-role.kubernetes.io/etcd=true --no-headers` prints. */
  readonly etcdNodes?: string;
  /** A renewal Lease exists, created this many seconds ago. */
  readonly leaseAgeSeconds?: number;
  /** Arguments of the script (a credential unit's command). */
  readonly args?: string[];
  /** The full join token secret holds this value. */
  readonly fullToken?: string;
  /** The registry credentials secret holds this value. */
  readonly registryCredentials?: string;
}

interface Outcome {
  readonly code: number | null;
  readonly output: string;
  readonly calls: string;
  readonly config: string;
  readonly published?: string;
  /** The renewal Lease after the run, if any. */
  readonly lease?: string;
  /** What the script asked kubectl to create for the Lease (JSON), if anything. */
  readonly leaseRequest?: string;
  /** The value of the full join token secret after the run. */
  readonly fullToken?: string;
  /** The token file RKE2 starts with. */
  readonly tokenFile: string;
  readonly root: string;
}

function runBootstrap(options: Rke2UserDataOptions, world: World): Outcome {
  const root = mkdtempSync(path.join(tmpdir(), 'rke2-bootstrap-'));
  const stubs = path.join(root, 'stubs');
  const worldDir = path.join(root, 'world');
  const rke2Dir = path.join(root, 'etc', 'rancher', 'rke2');
  // The script's /var/lib/rancher/rke2/server (redirected below).
  const serverDir = path.join(root, 'rke2-data', 'server');
  const systemdDir = path.join(root, 'etc', 'systemd', 'system');
  for (const dir of [stubs, worldDir, rke2Dir, serverDir, systemdDir]) {
    mkdirSync(dir, { recursive: true });
  }
  // RKE2 has written its full token (the test does not wait for the service to do so).
  writeFileSync(path.join(serverDir, 'token'), `${FULL_TOKEN}\n`);
  if (world.fullToken) writeFileSync(path.join(worldDir, 'full-token'), world.fullToken);
  if (world.registryCredentials !== undefined) {
    writeFileSync(path.join(worldDir, 'registry-credentials'), world.registryCredentials);
  }
  const userData = cloudConfig(renderRke2UserData(options));
  for (const unit of userData.write_files.filter((f) => f.path.startsWith('/etc/systemd/'))) {
    writeFileSync(path.join(systemdDir, path.basename(unit.path)), unit.content);
  }
  writeStubCommands(stubs, STUBS);
  writeFileSync(path.join(worldDir, 'token'), `${JOIN_TOKEN}\n`);
  writeFileSync(path.join(worldDir, 'calls'), '');
  if (world.published) writeFileSync(path.join(worldDir, 'kubeconfig'), 'an earlier kubeconfig');
  if (world.denied) writeFileSync(path.join(worldDir, 'kubeconfig-denied'), '');
  if (world.pingFailures !== undefined) {
    writeFileSync(path.join(worldDir, 'ping-fails-left'), String(world.pingFailures));
  }
  if (world.storedKubeconfig !== undefined) {
    writeFileSync(path.join(worldDir, 'kubeconfig'), world.storedKubeconfig);
  }
  writeFileSync(path.join(worldDir, 'nodes'), world.etcdNodes ?? '');
  if (world.leaseAgeSeconds !== undefined) {
    writeFileSync(path.join(worldDir, 'lease'), '{}');
    const created = new Date(Date.now() - world.leaseAgeSeconds * 1000);
    writeFileSync(
      path.join(worldDir, 'lease-created'),
      created.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    );
  }
  const rke2Data = path.join(root, 'rke2-data');
  if (world.certificateDays !== undefined) {
    const certificate =
      options.role === 'agent'
        ? path.join(rke2Data, 'agent', 'client-kubelet.crt')
        : path.join(rke2Data, 'server', 'tls', 'client-admin.crt');
    mkdirSync(path.dirname(certificate), { recursive: true });
    const generated = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        path.join(root, 'client.key'),
        '-out',
        certificate,
        '-days',
        String(world.certificateDays),
        '-subj',
        '/CN=system:admin',
      ],
      { encoding: 'utf8' },
    );
    assert.equal(generated.status, 0, generated.stderr);
  }
  writeFileSync(
    path.join(rke2Dir, 'config.yaml'),
    file(cloudConfig(renderRke2UserData(options)), RKE2_CONFIG_PATH).content,
  );
  writeFileSync(path.join(rke2Dir, 'rke2.yaml'), ADMIN_KUBECONFIG);

  const script = redirectPaths(renderRke2BootstrapScript(options), [
    ['/var/lib/rancher/rke2/bin/kubectl', path.join(stubs, 'kubectl')],
    ['/etc/systemd/system', systemdDir],
    ['/etc/rancher/rke2', rke2Dir],
    ['/etc/default', path.join(root, 'etc', 'default')],
    ['/var/lib/rke2-bootstrap', path.join(root, 'state')],
    ['/var/lib/rancher/rke2/server', path.join(rke2Data, 'server')],
    ['/var/lib/rancher/rke2/agent', path.join(rke2Data, 'agent')],
    [
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/snap/bin',
      `PATH=${stubs}:/usr/bin:/bin`,
    ],
  ]);
  const scriptPath = path.join(root, 'rke2-bootstrap');
  writeFileSync(scriptPath, script);
  const result = spawnSync('/bin/bash', [scriptPath, ...(world.args ?? [])], {
    env: { WORLD: worldDir, HOME: root },
    encoding: 'utf8',
    timeout: 30_000,
  });
  const publishedPath = path.join(worldDir, 'kubeconfig');
  const leasePath = path.join(worldDir, 'lease');
  const fullTokenPath = path.join(worldDir, 'full-token');
  return {
    fullToken: existsSync(fullTokenPath) ? readFileSync(fullTokenPath, 'utf8') : undefined,
    tokenFile: existsSync(path.join(rke2Dir, 'join-token'))
      ? readFileSync(path.join(rke2Dir, 'join-token'), 'utf8')
      : '',
    code: result.status,
    output: `${result.stdout}${result.stderr}`,
    calls: readFileSync(path.join(worldDir, 'calls'), 'utf8'),
    config: readFileSync(path.join(rke2Dir, 'config.yaml'), 'utf8'),
    published: existsSync(publishedPath) ? readFileSync(publishedPath, 'utf8') : undefined,
    lease: existsSync(leasePath) ? readFileSync(leasePath, 'utf8') : undefined,
    leaseRequest: existsSync(`${leasePath}-request`)
      ? readFileSync(`${leasePath}-request`, 'utf8')
      : undefined,
    root,
  };
}

function assertNoSecretsIn(outcome: Outcome): void {
  assert.ok(!outcome.output.includes('join-token-must-not-leak'), 'the join token reached the log');
  assert.ok(!outcome.output.includes('K10cafe'), 'the full join token reached the log');
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
      // k3s/RKE2 write the full token K10<CA hash>::server:<token> to <data-dir>/server/token.
      assert.equal(outcome.fullToken?.trim(), FULL_TOKEN, 'the full join token was not published');
      assert.match(outcome.calls, /^systemctl enable --now rke2-leave\.service$/m);
      // Nodes have no key pair and no SSH: Session Manager is the only shell, and it needs a
      // running SSM agent (AWS Systems Manager docs; Ubuntu AMIs ship it as a snap).
      assert.match(outcome.calls, /^snap start --enable amazon-ssm-agent$/m);
      assert.ok(existsSync(path.join(outcome.root, 'state', 'done')));
      assertNoSecretsIn(outcome);
    } finally {
      rmSync(outcome.root, { recursive: true, force: true });
    }
  });

  it('replaced seed while servers answer: joins, then publishes its own kubeconfig', () => {
    // The stored kubeconfig carries the gone seed's certificate, which nobody would renew.
    const outcome = runBootstrap(testFixture(), { pingFailures: 0, published: true });
    try {
      assert.equal(outcome.code, 0, outcome.output);
      assert.match(outcome.output, /answers: the cluster exists, this replaced seed joins it/);
      assert.match(
        outcome.config,
        new RegExp(`^server: https://${NLB.replace(/\./g, '\\.')}:9345$`, 'm'),
      );
      assert.equal(outcome.calls.match(/put-secret-value .*kubeconfig/g)?.length, 1, outcome.calls);
      assert.match(
        outcome.published ?? '',
        new RegExp(`server: https://${NLB.replace(/\./g, '\\.')}:6443`),
      );
      // No full token was published (a cluster from before it was): joins with the plain one,
      // then publishes its own.
      assert.equal(outcome.tokenFile.trim(), JOIN_TOKEN);
      assert.match(
        outcome.output,
        /no full join token published yet; joining with the plain token/,
      );
      assert.equal(outcome.fullToken?.trim(), FULL_TOKEN);
      assertNoSecretsIn(outcome);
    } finally {
      rmSync(outcome.root, { recursive: true, force: true });
    }
  });

  it('replaced seed with a published kubeconfig: waits for the registration address, then joins', () => {
    const outcome = runBootstrap(testFixture(), {
      pingFailures: 3,
      published: true,
      fullToken: `${FULL_TOKEN}\n`,
    });
    try {
      assert.equal(outcome.code, 0, outcome.output);
      assert.match(outcome.output, /a kubeconfig is already published: the cluster exists/);
      assert.match(
        outcome.output,
        /waiting for the registration address https:\/\/\S+:9345\/ping to answer \(10\/1800 s\)/,
      );
      assert.match(outcome.config, /^server: https:\/\/\S+:9345$/m);
      assert.equal(outcome.calls.match(/put-secret-value .*kubeconfig/g)?.length, 1, outcome.calls);
      assert.doesNotMatch(outcome.calls, /put-secret-value .*full-token/);
      assert.equal(outcome.tokenFile.trim(), FULL_TOKEN.trim(), 'a published full token is used');
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

  it('joining server: joins with the full token, so RKE2 checks the cluster CA, and arms the leave unit', () => {
    const outcome = runBootstrap(testFixture({ role: 'server' }), {
      pingFailures: 0,
      fullToken: `${FULL_TOKEN}\n`,
    });
    try {
      assert.equal(outcome.code, 0, outcome.output);
      assert.equal(outcome.tokenFile.trim(), FULL_TOKEN);
      assert.match(outcome.output, /joining with the CA-pinned token from \S+full-token/);
      assert.match(outcome.calls, /^systemctl enable --now rke2-leave\.service$/m);
      assert.doesNotMatch(outcome.calls, /put-secret-value/);
      assertNoSecretsIn(outcome);
    } finally {
      rmSync(outcome.root, { recursive: true, force: true });
    }
  });

  it('joining server: gives up after the bounded wait when no full token is ever published', () => {
    const outcome = runBootstrap(testFixture({ role: 'server', waitTimeoutSeconds: 60 }), {
      pingFailures: 0,
    });
    try {
      assert.equal(outcome.code, 1);
      assert.match(
        outcome.output,
        /ERROR: gave up waiting for the full join token in \S+ after 60 s; the seed publishes it once the cluster is up/,
      );
      assert.doesNotMatch(outcome.calls, /systemctl (enable|start)/);
    } finally {
      rmSync(outcome.root, { recursive: true, force: true });
    }
  });

  it('agent: waits for the registration address before it starts rke2-agent', () => {
    const outcome = runBootstrap(testFixture({ role: 'agent' }), {
      pingFailures: 2,
      fullToken: `${FULL_TOKEN}\n`,
    });
    try {
      assert.equal(outcome.code, 0, outcome.output);
      const waited = outcome.output.indexOf('waiting for the registration address https://');
      const answered = outcome.output.search(/the registration address https:\/\/\S+:9345 answers/);
      assert.ok(waited >= 0, outcome.output);
      assert.ok(answered > waited, 'the address answers after the waits');
      assert.equal(
        outcome.output.match(/rke2-bootstrap: waiting for the registration address/g)?.length,
        2,
      );
    } finally {
      rmSync(outcome.root, { recursive: true, force: true });
    }
  });

  it('agent: never starts rke2-agent when the registration address never answers', () => {
    const outcome = runBootstrap(testFixture({ role: 'agent', waitTimeoutSeconds: 60 }), {
      fullToken: `${FULL_TOKEN}\n`,
    });
    try {
      assert.equal(outcome.code, 1);
      assert.match(
        outcome.output,
        /ERROR: gave up waiting for the registration address https:\/\/\S+:9345\/ping to answer after 60 s/,
      );
      assert.doesNotMatch(outcome.calls, /systemctl (enable|start)/);
      assert.doesNotMatch(outcome.calls, /rke2-agent/);
    } finally {
      rmSync(outcome.root, { recursive: true, force: true });
    }
  });

  it('agent: installs the agent type and starts rke2-agent once the registration address answers', () => {
    const outcome = runBootstrap(testFixture({ role: 'agent' }), {
      pingFailures: 1,
      fullToken: `${FULL_TOKEN}\n`,
    });
    try {
      assert.equal(outcome.code, 0, outcome.output);
      assert.match(outcome.calls, /^install v1\.36\.3\+rke2r1 agent$/m);
      assert.match(outcome.calls, /^systemctl start --no-block rke2-agent\.service$/m);
      assert.doesNotMatch(outcome.calls, /rke2-server/);
      assert.equal(
        outcome.calls.match(/^aws /gm)?.length,
        2,
        'the agent reads the join token and the full join token only',
      );
      assert.equal(outcome.tokenFile.trim(), FULL_TOKEN);
      assert.doesNotMatch(outcome.calls, /rke2-leave/);
      assertNoSecretsIn(outcome);
    } finally {
      rmSync(outcome.root, { recursive: true, force: true });
    }
  });
});

/** A systemd unit file as section -> key -> values (keys may repeat). */
function unitSections(content: string): Record<string, Record<string, string[]>> {
  const sections: Record<string, Record<string, string[]>> = {};
  let current: Record<string, string[]> | undefined;
  for (const line of content.split('\n')) {
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) {
      current = sections[header[1]] = {};
    } else if (line.trim() !== '') {
      const at = line.indexOf('=');
      assert.ok(current && at > 0, `not a key=value line inside a section: ${line}`);
      (current[line.slice(0, at)] ??= []).push(line.slice(at + 1));
    }
  }
  return sections;
}

function units(role: (typeof ROLES)[number]): Record<string, WriteFile> {
  const doc = cloudConfig(renderRke2UserData(testFixture({ role })));
  return Object.fromEntries(
    doc.write_files
      .filter((f) => f.path.startsWith('/etc/systemd/system/'))
      .map((f) => [f.path.slice('/etc/systemd/system/'.length), f]),
  );
}

describe('credential units in the user data (systemd)', () => {
  for (const role of ROLES) {
    it(`${role}: a daily timer with jitter runs "rke2-bootstrap maintain"`, () => {
      const found = units(role);
      const timer = unitSections(found['rke2-credentials.timer'].content);
      assert.deepEqual(timer.Timer, {
        OnCalendar: ['daily'],
        RandomizedDelaySec: ['4h'],
        Persistent: ['true'],
      });
      assert.deepEqual(timer.Install, { WantedBy: ['timers.target'] });
      const service = unitSections(found['rke2-credentials.service'].content);
      assert.deepEqual(service.Service, {
        Type: ['oneshot'],
        Environment: ['HOME=/root'],
        ExecStart: ['/usr/local/sbin/rke2-bootstrap maintain'],
      });
      for (const unit of Object.values(found)) {
        assert.equal(unit.permissions, '0644', unit.path);
        assert.equal(unit.owner, 'root:root', unit.path);
      }
    });
  }

  it('seed: republishes the kubeconfig after every rke2-server start; no other role does', () => {
    const publish = unitSections(units('seed')['rke2-kubeconfig-publish.service'].content);
    assert.deepEqual(publish.Unit.After, ['rke2-server.service']);
    assert.deepEqual(publish.Install, { WantedBy: ['rke2-server.service'] });
    assert.deepEqual(publish.Service, {
      Type: ['oneshot'],
      Environment: ['HOME=/root'],
      ExecStart: ['/usr/local/sbin/rke2-bootstrap publish-kubeconfig'],
    });
    assert.deepEqual(Object.keys(units('server')).sort(), [
      'rke2-credentials.service',
      'rke2-credentials.timer',
      'rke2-leave.service',
    ]);
    assert.deepEqual(Object.keys(units('agent')).sort(), [
      'rke2-credentials.service',
      'rke2-credentials.timer',
    ]);
  });

  it('the script enables the timer (and on the seed the publish unit), nothing else', () => {
    assert.match(
      renderRke2BootstrapScript(testFixture()),
      /^readonly CREDENTIAL_UNITS='rke2-credentials\.timer rke2-kubeconfig-publish\.service'$/m,
    );
    for (const role of ['server', 'agent'] as const) {
      assert.match(
        renderRke2BootstrapScript(testFixture({ role })),
        /^readonly CREDENTIAL_UNITS='rke2-credentials\.timer'$/m,
      );
    }
  });

  it('systemd-analyze verify accepts every unit', () => {
    const version = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
    // A skipped test fails the tier (scripts/run-tests.mjs): say what to install instead.
    assert.equal(
      version.status,
      0,
      'systemd-analyze is not installed here (Debian package systemd; .ci/run installs it)',
    );
    for (const role of ROLES) {
      const dir = mkdtempSync(path.join(tmpdir(), 'rke2-units-'));
      try {
        // verify insists that ExecStart exists and is executable: point it at the rendered script.
        const script = path.join(dir, 'rke2-bootstrap');
        writeFileSync(script, renderRke2BootstrapScript(testFixture({ role })), { mode: 0o700 });
        const leave = path.join(dir, 'rke2-leave');
        writeFileSync(leave, renderRke2LeaveScript({ autoScalingGroupName: 'dev' }), {
          mode: 0o700,
        });
        const files = Object.entries(units(role)).map(([name, unit]) => {
          const file = path.join(dir, name);
          const content = unit.content
            .split(RKE2_BOOTSTRAP_PATH)
            .join(script)
            .split(RKE2_LEAVE_SCRIPT_PATH)
            .join(leave);
          writeFileSync(file, content);
          return file;
        });
        const verify = spawnSync('systemd-analyze', ['verify', '--man=no', ...files], {
          encoding: 'utf8',
          timeout: 60_000,
        });
        assert.equal(verify.status, 0, `${role}: ${verify.stderr}`);
        assert.equal(verify.stderr, '', `${role}: ${verify.stderr}`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });
});

/** ADMIN_KUBECONFIG as the seed publishes it: pointed at the registration load balancer. */
const REWRITTEN_KUBECONFIG = ADMIN_KUBECONFIG.replace(
  'https://127.0.0.1:6443',
  `https://${NLB}:6443`,
);

function withOutcome(outcome: Outcome, check: (outcome: Outcome) => void): void {
  try {
    check(outcome);
  } finally {
    rmSync(outcome.root, { recursive: true, force: true });
  }
}

describe('publish-kubeconfig: a new secret version only when the kubeconfig changed (fake aws)', () => {
  it('leaves the secret alone when it holds the same kubeconfig', () => {
    withOutcome(
      runBootstrap(testFixture(), {
        args: ['publish-kubeconfig'],
        storedKubeconfig: REWRITTEN_KUBECONFIG,
      }),
      (outcome) => {
        assert.equal(outcome.code, 0, outcome.output);
        assert.match(outcome.calls, /get-secret-value --secret-id \S+kubeconfig/);
        assert.doesNotMatch(outcome.calls, /put-secret-value/);
        assert.match(outcome.output, /the kubeconfig in \S+ is current/);
        assert.equal(outcome.published, REWRITTEN_KUBECONFIG);
        assertNoSecretsIn(outcome);
      },
    );
  });

  it('writes a changed kubeconfig (a renewed certificate) once', () => {
    withOutcome(
      runBootstrap(testFixture(), {
        args: ['publish-kubeconfig'],
        storedKubeconfig: REWRITTEN_KUBECONFIG.replace('S0VZ', 'T0xE'),
      }),
      (outcome) => {
        assert.equal(outcome.code, 0, outcome.output);
        assert.equal(outcome.calls.match(/put-secret-value/g)?.length, 1, outcome.calls);
        assert.equal(outcome.published, REWRITTEN_KUBECONFIG);
        assert.match(outcome.output, /published the cluster's kubeconfig/);
        assertNoSecretsIn(outcome);
      },
    );
  });

  it('writes the kubeconfig when the secret has no value yet', () => {
    withOutcome(runBootstrap(testFixture(), { args: ['publish-kubeconfig'] }), (outcome) => {
      assert.equal(outcome.code, 0, outcome.output);
      assert.equal(outcome.calls.match(/put-secret-value/g)?.length, 1, outcome.calls);
      assert.equal(outcome.published, REWRITTEN_KUBECONFIG);
    });
  });

  it('writes nothing while the secret cannot be read, and fails after the bounded wait', () => {
    withOutcome(
      runBootstrap(testFixture({ waitTimeoutSeconds: 60 }), {
        args: ['publish-kubeconfig'],
        storedKubeconfig: REWRITTEN_KUBECONFIG,
        denied: true,
      }),
      (outcome) => {
        assert.equal(outcome.code, 1);
        assert.match(outcome.output, /AccessDeniedException/);
        assert.match(outcome.output, /gave up waiting for a readable answer from \S+ after 60 s/);
        assert.doesNotMatch(outcome.calls, /put-secret-value/);
        assertNoSecretsIn(outcome);
      },
    );
  });

  it('first boot of a seed: publishes, then enables the units, then starts the timer', () => {
    withOutcome(runBootstrap(testFixture(), {}), (outcome) => {
      assert.equal(outcome.code, 0, outcome.output);
      const lines = outcome.calls.split('\n');
      const put = lines.findIndex((l) => l.includes('put-secret-value'));
      const enable = lines.indexOf(
        'systemctl enable rke2-credentials.timer rke2-kubeconfig-publish.service',
      );
      const start = lines.indexOf('systemctl start rke2-credentials.timer');
      assert.ok(put >= 0 && put < enable && enable < start, outcome.calls);
    });
  });
});

const READY_SERVERS = [
  'ip-10-0-0-10   Ready   control-plane,etcd,master   200d   v1.36.3+rke2r1',
  'ip-10-0-64-10  Ready   control-plane,etcd,master   200d   v1.36.3+rke2r1',
  'ip-10-0-128-10 Ready   control-plane,etcd,master   200d   v1.36.3+rke2r1',
].join('\n');

describe('maintain: restarts RKE2 to renew certificates before they expire (real openssl)', () => {
  const server = testFixture({ role: 'server' });

  it('leaves a server with a year of validity alone', () => {
    withOutcome(
      runBootstrap(server, { args: ['maintain'], certificateDays: 365, etcdNodes: READY_SERVERS }),
      (outcome) => {
        assert.equal(outcome.code, 0, outcome.output);
        assert.doesNotMatch(outcome.calls, /restart|kubectl/);
      },
    );
  });

  // RKE2 renews on start what is within 120 days of expiry (k3s CertificateRenewDays, RKE2 docs
  // "Certificate Management"); the script restarts from 90 days on.
  it('restarts from 90 days before expiry, not earlier', () => {
    withOutcome(
      runBootstrap(server, { args: ['maintain'], certificateDays: 91, etcdNodes: READY_SERVERS }),
      (outcome) => assert.doesNotMatch(outcome.calls, /restart/),
    );
    withOutcome(
      runBootstrap(server, { args: ['maintain'], certificateDays: 89, etcdNodes: READY_SERVERS }),
      (outcome) => assert.match(outcome.calls, /^systemctl restart rke2-server\.service$/m),
    );
  });

  it('takes the renewal Lease, restarts rke2-server, waits for the API and releases the Lease', () => {
    withOutcome(
      runBootstrap(server, { args: ['maintain'], certificateDays: 30, etcdNodes: READY_SERVERS }),
      (outcome) => {
        assert.equal(outcome.code, 0, outcome.output);
        const lines = outcome.calls.split('\n');
        const create = lines.findIndex((l) => /^kubectl .*create -f -$/.test(l));
        const restart = lines.indexOf('systemctl restart rke2-server.service');
        const release = lines.findIndex((l) =>
          /^kubectl .*-n kube-system delete lease rke2-certificate-renewal$/.test(l),
        );
        assert.ok(create >= 0 && create < restart && restart < release, outcome.calls);
        assert.equal(outcome.lease, undefined, 'the Lease was not released');
        const lease = JSON.parse(outcome.leaseRequest ?? '{}') as {
          apiVersion: string;
          kind: string;
          metadata: Record<string, string>;
          spec: { holderIdentity: string };
        };
        assert.equal(lease.apiVersion, 'coordination.k8s.io/v1');
        assert.equal(lease.kind, 'Lease');
        assert.deepEqual(lease.metadata, {
          name: 'rke2-certificate-renewal',
          namespace: 'kube-system',
        });
        assert.ok(lease.spec.holderIdentity.length > 0);
        assert.match(
          outcome.output,
          /restarting rke2-server: \S+client-admin\.crt expires within 90 days/,
        );
      },
    );
  });

  it('waits while an etcd member is not Ready (quorum first)', () => {
    withOutcome(
      runBootstrap(server, {
        args: ['maintain'],
        certificateDays: 30,
        etcdNodes: READY_SERVERS.replace('ip-10-0-64-10  Ready', 'ip-10-0-64-10  NotReady'),
      }),
      (outcome) => {
        assert.equal(outcome.code, 0, outcome.output);
        assert.doesNotMatch(outcome.calls, /restart|create -f -/);
        assert.match(outcome.output, /an etcd member is not Ready .*kubectl delete node/);
        assert.match(outcome.output, /renewing at the next run/);
      },
    );
  });

  it('waits while another server holds a fresh Lease, and removes a stale one', () => {
    withOutcome(
      runBootstrap(server, {
        args: ['maintain'],
        certificateDays: 30,
        etcdNodes: READY_SERVERS,
        leaseAgeSeconds: 600,
      }),
      (outcome) => {
        assert.equal(outcome.code, 0, outcome.output);
        assert.doesNotMatch(outcome.calls, /restart|delete lease/);
        assert.ok(outcome.lease, 'a fresh Lease was removed');
        assert.match(outcome.output, /another server holds the renewal lease/);
      },
    );
    withOutcome(
      runBootstrap(server, {
        args: ['maintain'],
        certificateDays: 30,
        etcdNodes: READY_SERVERS,
        leaseAgeSeconds: 3 * 3600,
      }),
      (outcome) => {
        assert.equal(outcome.code, 0, outcome.output);
        assert.doesNotMatch(outcome.calls, /restart/);
        assert.equal(outcome.lease, undefined, 'the stale Lease stayed');
        assert.match(outcome.output, /removed the renewal lease a server left at/);
      },
    );
  });

  it('agent: restarts rke2-agent when its kubelet client certificate is due, without a Lease', () => {
    withOutcome(
      runBootstrap(testFixture({ role: 'agent' }), { args: ['maintain'], certificateDays: 30 }),
      (outcome) => {
        assert.equal(outcome.code, 0, outcome.output);
        assert.match(outcome.calls, /^systemctl restart rke2-agent\.service$/m);
        assert.doesNotMatch(outcome.calls, /kubectl|rke2-server|aws /);
      },
    );
  });

  it('seed: renews, then republishes the kubeconfig when it changed', () => {
    withOutcome(
      runBootstrap(testFixture(), {
        args: ['maintain'],
        certificateDays: 30,
        etcdNodes: READY_SERVERS.split('\n')[0],
        storedKubeconfig: 'the kubeconfig of an older certificate',
      }),
      (outcome) => {
        assert.equal(outcome.code, 0, outcome.output);
        const lines = outcome.calls.split('\n');
        const restart = lines.indexOf('systemctl restart rke2-server.service');
        const put = lines.findIndex((l) => l.includes('put-secret-value'));
        assert.ok(restart >= 0 && restart < put, outcome.calls);
        assert.equal(outcome.published, REWRITTEN_KUBECONFIG);
      },
    );
  });
});

// Private registry and proxy (docs/air-gap.md). Facts: rke2 v1.36.3+rke2r1 accepts
// `system-default-registry` on servers and agents (pkg/cli/cmds/server.go, agent.go); its units
// read /etc/default/%N (bundle/lib/systemd/system/rke2-*.service); registries.yaml takes
// credentials under configs.<host>.auth.
const REGISTRY = 'registry.example.com:5000';
const REGISTRY_ARN =
  'arn:aws:secretsmanager:eu-west-1:123456789012:secret:dev/registry-credentials-AbCdEf';
const REGISTRY_PASSWORD = 'registry-password-must-not-leak "quoted" \\ back';
const PROXY = proxySettings({
  url: 'http://proxy.example.internal:3128',
  vpcCidrs: ['10.0.0.0/16'],
});
const NODE_NO_PROXY = `${PROXY.noProxy.join(',')},${NLB}`;

function airGapFixture(role: (typeof ROLES)[number]): Rke2UserDataOptions {
  return testFixture({
    role,
    systemDefaultRegistry: REGISTRY,
    registryCredentialsSecretArn: REGISTRY_ARN,
    proxy: PROXY,
  });
}

describe('RKE2 nodes with a private registry and a proxy', () => {
  it('every role names the registry in config.yaml; no credential is in the user data', () => {
    for (const role of ROLES) {
      const userData = renderRke2UserData(airGapFixture(role));
      const config = parse(file(cloudConfig(userData), RKE2_CONFIG_PATH).content) as Record<
        string,
        unknown
      >;
      assert.equal(config['system-default-registry'], REGISTRY, role);
      // The node writes registries.yaml itself at boot, from the secret.
      assert.deepEqual(
        cloudConfig(userData).write_files.filter((f) => f.path.endsWith('registries.yaml')),
        [],
        role,
      );
      assert.ok(userData.includes(REGISTRY_ARN), role);
    }
    const plain = parse(
      file(cloudConfig(renderRke2UserData(testFixture())), RKE2_CONFIG_PATH).content,
    ) as Record<string, unknown>;
    assert.equal('system-default-registry' in plain, false);
  });

  it('rejects credentials without a registry, and a registry with a scheme', () => {
    assert.throws(
      () => renderRke2Config(testFixture({ registryCredentialsSecretArn: REGISTRY_ARN })),
      /^Error: registryCredentialsSecretArn needs systemDefaultRegistry: the credentials are for that registry\.$/,
    );
    assert.throws(
      () =>
        renderRke2Config(testFixture({ systemDefaultRegistry: 'https://registry.example.com' })),
      /^Error: systemDefaultRegistry must be a host without a scheme \(no https:\/\/\); got "https:\/\/registry.example.com"\.$/,
    );
  });

  it('passes bash -n and shellcheck, and stays under the EC2 limit (size reported)', () => {
    for (const role of ROLES) {
      const script = renderRke2BootstrapScript(airGapFixture(role));
      const syntax = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' });
      assert.equal(syntax.status, 0, `${role}: bash -n: ${syntax.stderr}`);
      const lint = spawnSync('shellcheck', ['-s', 'bash', '-'], {
        input: script,
        encoding: 'utf8',
      });
      assert.equal(lint.status, 0, `${role}: shellcheck:\n${lint.stdout}`);
      const size = compressedUserDataBytes(renderRke2UserData(airGapFixture(role)));
      console.log(`RKE2 ${role} user data with registry and proxy: ${size} bytes gzip-compressed`);
      assert.ok(size <= 8 * 1024, `${role}: ${size} bytes compressed leaves under half of 16 KB`);
    }
  });

  it('agent: writes registries.yaml (0600) from the secret before RKE2 starts, and the proxy for RKE2, snapd and its own calls', () => {
    const outcome = runBootstrap(airGapFixture('agent'), {
      pingFailures: 0,
      fullToken: `${FULL_TOKEN}\n`,
      registryCredentials: JSON.stringify({ username: 'robot', password: REGISTRY_PASSWORD }),
    });
    try {
      assert.equal(outcome.code, 0, outcome.output);
      const registries = path.join(outcome.root, 'etc', 'rancher', 'rke2', 'registries.yaml');
      assert.deepEqual(parse(readFileSync(registries, 'utf8')), {
        configs: { [REGISTRY]: { auth: { username: 'robot', password: REGISTRY_PASSWORD } } },
      });
      assert.equal(statSync(registries).mode & 0o777, 0o600);
      assert.ok(
        outcome.calls.indexOf('registry-credentials') < outcome.calls.indexOf('systemctl start'),
        'credentials are in place before rke2-agent starts',
      );
      for (const unit of ['rke2-server', 'rke2-agent']) {
        assert.equal(
          readFileSync(path.join(outcome.root, 'etc', 'default', unit), 'utf8'),
          `HTTP_PROXY=http://proxy.example.internal:3128\nHTTPS_PROXY=http://proxy.example.internal:3128\nNO_PROXY=${NODE_NO_PROXY}\n`,
          unit,
        );
      }
      assert.match(
        outcome.calls,
        /^snap set system proxy\.http=http:\/\/proxy\.example\.internal:3128 proxy\.https=http:\/\/proxy\.example\.internal:3128$/m,
      );
      // curl reads only the lower-case variables; IMDS and the registration address bypass.
      const curlProxies = new Set(
        readFileSync(path.join(outcome.root, 'world', 'curl-proxy'), 'utf8')
          .trim()
          .split('\n'),
      );
      assert.deepEqual([...curlProxies], [`http://proxy.example.internal:3128 ${NODE_NO_PROXY}`]);
      assert.ok(NODE_NO_PROXY.split(',').includes('169.254.169.254'));
      assertNoSecretsIn(outcome);
      assert.ok(
        !outcome.output.includes('registry-password-must-not-leak'),
        'the password reached the log',
      );
      assert.ok(
        !outcome.calls.includes('registry-password-must-not-leak'),
        'the password was an argument',
      );
      const rke2Dir = path.join(outcome.root, 'etc', 'rancher', 'rke2');
      assert.deepEqual(
        readdirSync(rke2Dir).filter((f) => f.startsWith('.')),
        [],
        'no temporary file (the secret JSON) is left behind',
      );
    } finally {
      rmSync(outcome.root, { recursive: true, force: true });
    }
  });

  it('agent: a secret without username and password is reported without its content, and RKE2 never starts', () => {
    const outcome = runBootstrap(
      { ...airGapFixture('agent'), waitTimeoutSeconds: 60 },
      {
        pingFailures: 0,
        fullToken: `${FULL_TOKEN}\n`,
        registryCredentials: JSON.stringify({ user: 'robot', pass: REGISTRY_PASSWORD }),
      },
    );
    try {
      assert.equal(outcome.code, 1);
      assert.match(
        outcome.output,
        /the registry secret is not JSON with string fields username and password/,
      );
      assert.match(outcome.output, /ERROR: gave up waiting for the registry credentials in arn:/);
      assert.ok(!outcome.output.includes('registry-password-must-not-leak'));
      assert.doesNotMatch(outcome.calls, /^install /m);
      assert.doesNotMatch(outcome.calls, /systemctl (enable|start)/);
    } finally {
      rmSync(outcome.root, { recursive: true, force: true });
    }
  });

  it('without a proxy: no env files, no snap proxy, curl without a proxy', () => {
    const outcome = runBootstrap(testFixture({ role: 'agent' }), {
      pingFailures: 0,
      fullToken: `${FULL_TOKEN}\n`,
    });
    try {
      assert.equal(outcome.code, 0, outcome.output);
      assert.equal(existsSync(path.join(outcome.root, 'etc', 'default', 'rke2-agent')), false);
      assert.doesNotMatch(outcome.calls, /snap set system proxy/);
      assert.equal(existsSync(path.join(outcome.root, 'world', 'curl-proxy')), false);
      assert.equal(
        existsSync(path.join(outcome.root, 'etc', 'rancher', 'rke2', 'registries.yaml')),
        false,
      );
    } finally {
      rmSync(outcome.root, { recursive: true, force: true });
    }
  });
});
