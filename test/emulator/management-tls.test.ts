import assert from 'node:assert/strict';
import { copyFileSync, rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { DescribeCertificateCommand, ListCertificatesCommand } from '@aws-sdk/client-acm';
import { DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetRolePolicyCommand, GetRoleCommand } from '@aws-sdk/client-iam';
import { ListHostedZonesCommand, ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import type { EnvironmentConfig } from '../../lib/config/schema';
import { stackName } from '../../lib/naming/names';
import { localStatePath } from '../../lib/state/backend';
import { AwsClients, awsClients } from '../helpers/aws-clients';
import { assertEmptyReplan, destroyLeavingNothing } from '../helpers/cycle';
import { Emulator, startEmulator } from '../helpers/emulator';
import { stackDir, SynthesizedEnvironment, synthEnvironment } from '../helpers/synth';
import { environment, Json } from '../helpers/template';
import { Terraform } from '../helpers/terraform';

/**
 * One apply -> check -> empty re-plan -> destroy -> nothing left cycle of a management stack in
 * the emulator, for a TLS mode whose AWS side differs from the default. With `firstApplyWith`,
 * the environment is first applied with those overrides instead, then switched: the checks see
 * what one apply of the switch left.
 */
function describeManagementCycle(
  title: string,
  overrides: Json,
  checks: (context: () => Context) => void,
  firstApplyWith?: Json,
) {
  describe(title, () => {
    const base: Json = {
      target: 'local',
      network: { availabilityZones: 2, natGateways: 'single' },
      management: { eks: { nodeGroup: { minSize: 1, desiredSize: 1, maxSize: 2 } } },
      // The deployer and the backup bucket do not differ by TLS mode; management-eks applies
      // them. Left out, each cycle skips two buckets' lifecycle waits (about a minute).
      deployer: { enabled: false },
      backup: { enabled: false },
    };
    const config = environment({ ...base, ...overrides });
    const management = stackName(config.name, 'management');
    let emulator: Emulator | undefined;
    let earlier: SynthesizedEnvironment | undefined;
    let synthesized: SynthesizedEnvironment | undefined;
    let aws: AwsClients | undefined;
    let terraform: Terraform;

    before(async () => {
      emulator = await startEmulator();
      aws = awsClients(emulator.endpoint, config.region);
      if (firstApplyWith) {
        const first = environment({ ...base, ...overrides, ...firstApplyWith });
        earlier = synthEnvironment(first, { emulatorEndpoint: emulator.endpoint });
        const firstRun = new Terraform(stackDir(earlier, management), {
          emulatorEndpoint: emulator.endpoint,
        });
        await firstRun.init();
        await firstRun.apply();
      }
      synthesized = synthEnvironment(config, { emulatorEndpoint: emulator.endpoint });
      if (earlier) {
        copyFileSync(
          localStatePath(management, earlier.outdir),
          localStatePath(management, synthesized.outdir),
        );
      }
      terraform = new Terraform(stackDir(synthesized, management), {
        emulatorEndpoint: emulator.endpoint,
      });
      await terraform.init();
      await terraform.apply();
    });

    after(async () => {
      aws?.destroy();
      await emulator?.stop();
      for (const out of [earlier, synthesized]) {
        if (out) rmSync(out.outdir, { recursive: true, force: true });
      }
    });

    checks(() => ({ aws: aws!, config, terraform }));

    it('re-plans empty', async () => {
      await assertEmptyReplan(terraform);
    });

    it('destroys everything it created', async () => {
      await destroyLeavingNothing(terraform, config, emulator!.endpoint);
    });
  });
}

interface Context {
  readonly aws: AwsClients;
  readonly config: EnvironmentConfig;
  readonly terraform: Terraform;
}

describeManagementCycle(
  'management stack switched from tls mode rancher to acm on the emulator',
  { name: 'acm', dns: { hostname: 'rancher.acm.internal' }, rancher: { tls: { mode: 'acm' } } },
  (context) => {
    // dynamiclistener v0.9.0 redirect.go: Rancher redirects plain requests whose
    // X-Forwarded-Proto is not https, so the TLS listener needs Traefik's tls-offload port.
    it('sends the TLS listener to a target group of its own on 8001, replacing the old one', async () => {
      const { aws } = context();
      const { LoadBalancers = [] } = await aws.elbv2.send(
        new DescribeLoadBalancersCommand({ Names: ['acm-ingress'] }),
      );
      // By name: moto links a group to its load balancer only when a listener is created with it.
      const { TargetGroups = [] } = await aws.elbv2.send(
        new DescribeTargetGroupsCommand({ Names: ['acm-http', 'acm-tls-offload'] }),
      );
      assert.deepEqual(TargetGroups.map((t) => [t.TargetGroupName, t.Port, t.TargetType]).sort(), [
        ['acm-http', 8000, 'ip'],
        ['acm-tls-offload', 8001, 'ip'],
      ]);
      const { Listeners = [] } = await aws.elbv2.send(
        new DescribeListenersCommand({ LoadBalancerArn: LoadBalancers[0].LoadBalancerArn }),
      );
      const https = Listeners.find((l) => l.Port === 443);
      const offload = TargetGroups.find((t) => t.TargetGroupName === 'acm-tls-offload');
      assert.equal(https?.DefaultActions?.[0]?.TargetGroupArn, offload?.TargetGroupArn);
      // The TLS-passthrough group of the first apply is gone (it was created before, deleted after).
      const { TargetGroups: all = [] } = await aws.elbv2.send(new DescribeTargetGroupsCommand({}));
      assert.equal(
        all.some((t) => t.TargetGroupName === 'acm-https'),
        false,
      );
    });

    it('lets only the load balancer reach 8001 on the nodes', async () => {
      const { aws } = context();
      const { SecurityGroups = [] } = await aws.ec2.send(
        new DescribeSecurityGroupsCommand({
          Filters: [{ Name: 'group-name', Values: ['acm-*'] }],
        }),
      );
      const lb = SecurityGroups.find((g) => g.GroupName === 'acm-ingress-lb');
      assert.ok(lb, 'no load balancer security group');
      const rules = SecurityGroups.flatMap((g) =>
        (g.IpPermissions ?? []).filter((p) => p.FromPort === 8001),
      );
      assert.equal(rules.length, 1, JSON.stringify(rules));
      assert.equal(rules[0].ToPort, 8001);
      assert.deepEqual(rules[0].IpRanges ?? [], []);
      assert.deepEqual(
        rules[0].UserIdGroupPairs?.map((p) => p.GroupId),
        [lb.GroupId],
      );
      assert.equal(
        SecurityGroups.some((g) => (g.IpPermissions ?? []).some((p) => p.FromPort === 8443)),
        false,
        'the TLS passthrough port is closed again',
      );
    });

    it('issues a DNS-validated certificate for the hostname with its validation record', async () => {
      const { aws } = context();
      const { CertificateSummaryList = [] } = await aws.acm.send(new ListCertificatesCommand({}));
      const summary = CertificateSummaryList.find((c) => c.DomainName === 'rancher.acm.internal');
      assert.ok(summary, 'no certificate for rancher.acm.internal');
      const { Certificate } = await aws.acm.send(
        new DescribeCertificateCommand({ CertificateArn: summary.CertificateArn }),
      );
      assert.equal(Certificate?.Status, 'ISSUED');
      const record = Certificate?.DomainValidationOptions?.[0]?.ResourceRecord;
      assert.ok(record?.Name);
      const { HostedZones = [] } = await aws.route53.send(new ListHostedZonesCommand({}));
      const zone = HostedZones.find((z) => z.Name === 'rancher.acm.internal.');
      assert.ok(zone);
      const { ResourceRecordSets = [] } = await aws.route53.send(
        new ListResourceRecordSetsCommand({ HostedZoneId: zone.Id }),
      );
      assert.ok(
        ResourceRecordSets.some((r) => r.Name === record.Name && r.Type === record.Type),
        `validation record ${record.Name} missing`,
      );
    });

    it('ends TLS on the 443 listener with that certificate', async () => {
      const { aws } = context();
      const { LoadBalancers = [] } = await aws.elbv2.send(
        new DescribeLoadBalancersCommand({ Names: ['acm-ingress'] }),
      );
      const { Listeners = [] } = await aws.elbv2.send(
        new DescribeListenersCommand({ LoadBalancerArn: LoadBalancers[0].LoadBalancerArn }),
      );
      const https = Listeners.find((l) => l.Port === 443);
      assert.equal(https?.Protocol, 'TLS');
      assert.match(String(https?.Certificates?.[0]?.CertificateArn), /^arn:aws:acm:/);
      assert.equal(Listeners.find((l) => l.Port === 80)?.Protocol, 'TCP');
    });

    it('stores an AWS-generated bootstrap password without Terraform knowing it', async () => {
      const { aws, terraform } = context();
      const secret = await aws.secretsManager.send(
        new DescribeSecretCommand({ SecretId: 'acm/rancher/bootstrap-password' }),
      );
      assert.ok(
        Object.keys(secret.VersionIdsToStages ?? {}).length >= 1,
        'the secret has no value',
      );
      const state = await terraform.stateList();
      assert.ok(state.some((address) => address.startsWith('aws_secretsmanager_secret_version.')));
      const outputs = await terraform.outputs();
      assert.match(
        String(outputs.bootstrap_password_command),
        /get-secret-value .*acm\/rancher\/bootstrap-password/,
      );
    });
  },
  { rancher: { tls: { mode: 'rancher' } } },
);

describeManagementCycle(
  'management stack in letsEncrypt DNS-01 mode on the emulator',
  {
    name: 'dnsone',
    dns: { hostname: 'rancher.dnsone.internal' },
    rancher: {
      tls: { mode: 'letsEncrypt', letsEncrypt: { email: 'ops@example.com', challenge: 'dns01' } },
    },
  },
  (context) => {
    it('creates the cert-manager IRSA role trusted only by its service account', async () => {
      const { aws } = context();
      const { Role } = await aws.iam.send(
        new GetRoleCommand({ RoleName: 'dnsone-management-cert-manager' }),
      );
      const trust = JSON.parse(decodeURIComponent(String(Role?.AssumeRolePolicyDocument))) as {
        Statement: {
          Action: string;
          Principal: { Federated: string };
          Condition: { StringEquals: Record<string, string> };
        }[];
      };
      assert.equal(trust.Statement[0].Action, 'sts:AssumeRoleWithWebIdentity');
      assert.match(trust.Statement[0].Principal.Federated, /:oidc-provider\//);
      assert.ok(
        Object.values(trust.Statement[0].Condition.StringEquals).includes(
          'system:serviceaccount:cert-manager:cert-manager',
        ),
      );
    });

    it('scopes its policy to TXT challenge records in the one zone', async () => {
      const { aws } = context();
      const { PolicyDocument } = await aws.iam.send(
        new GetRolePolicyCommand({
          RoleName: 'dnsone-management-cert-manager',
          PolicyName: 'permissions',
        }),
      );
      const policy = JSON.parse(decodeURIComponent(String(PolicyDocument))) as {
        Statement: {
          Sid: string;
          Action: string[];
          Resource: string | string[];
          Condition?: Record<string, Record<string, string[]>>;
        }[];
      };
      const change = policy.Statement.find((s) => s.Sid === 'ChallengeRecords');
      assert.ok(change);
      assert.deepEqual(change.Action, ['route53:ChangeResourceRecordSets']);
      assert.match(String(change.Resource), /^arn:aws:route53:::hostedzone\/[A-Z0-9]+$/);
      assert.deepEqual(
        change.Condition?.['ForAllValues:StringEquals'][
          'route53:ChangeResourceRecordSetsRecordTypes'
        ],
        ['TXT'],
      );
      assert.deepEqual(
        change.Condition?.['ForAllValues:StringEquals'][
          'route53:ChangeResourceRecordSetsNormalizedRecordNames'
        ],
        ['_acme-challenge.rancher.dnsone.internal'],
      );
    });
  },
);
