/**
 * systemd units that keep an RKE2 node's credentials from expiring. Pure: no cdktf imports.
 *
 * RKE2 issues its client and server certificates for 365 days and renews, on every start, those
 * within 120 days of expiry (k3s `CertificateRenewDays`, used by RKE2 v1.36.3+rke2r1); a server
 * that is never restarted lets them lapse, and with them the admin kubeconfig the seed publishes.
 * - `rke2-credentials.timer` (every node, daily with jitter) runs `rke2-bootstrap maintain`:
 *   restart RKE2 when its client certificate is close to expiry (servers one at a time, see
 *   lib/rke2/bootstrap.sh), and on the seed republish the kubeconfig when it changed.
 * - `rke2-kubeconfig-publish.service` (seed only) is wanted by `rke2-server.service`, so every
 *   start of the server, including one that renewed the certificates, republishes it.
 * The bootstrap script enables them once the node has joined.
 */
import type { Rke2Role } from './user-data';

/** Where cloud-init writes the units. */
export const SYSTEMD_UNIT_DIR = '/etc/systemd/system';
export const CREDENTIALS_TIMER = 'rke2-credentials.timer';
export const CREDENTIALS_SERVICE = 'rke2-credentials.service';
export const KUBECONFIG_PUBLISH_SERVICE = 'rke2-kubeconfig-publish.service';
/** Upper bound of the random delay after midnight (UTC), so servers rarely run together. */
export const CREDENTIALS_TIMER_JITTER = '4h';

export interface SystemdUnit {
  /** File name under SYSTEMD_UNIT_DIR, e.g. `rke2-credentials.timer`. */
  readonly name: string;
  readonly content: string;
  /** Enabled by the bootstrap script (timers are started too). */
  readonly enable: boolean;
}

/** Without User=, systemd sets no HOME (systemd.exec); the AWS CLI (a snap on Ubuntu) wants one. */
const ROOT_HOME = ['Environment=HOME=/root'];

function unitFile(sections: Record<string, string[]>): string {
  return Object.entries(sections)
    .map(([section, lines]) => [`[${section}]`, ...lines].join('\n'))
    .join('\n\n')
    .concat('\n');
}

/**
 * The credential units of one node. `bootstrapPath` is the installed bootstrap script, which
 * implements the `maintain` and `publish-kubeconfig` commands.
 */
export function rke2CredentialUnits(role: Rke2Role, bootstrapPath: string): SystemdUnit[] {
  const what =
    role === 'seed'
      ? 'Renew RKE2 certificates before they expire and republish the admin kubeconfig'
      : 'Renew RKE2 certificates before they expire';
  const units: SystemdUnit[] = [
    {
      name: CREDENTIALS_TIMER,
      enable: true,
      content: unitFile({
        Unit: [`Description=${what} (daily)`],
        Timer: [
          'OnCalendar=daily',
          `RandomizedDelaySec=${CREDENTIALS_TIMER_JITTER}`,
          // A run missed while the node was off happens at the next boot.
          'Persistent=true',
        ],
        Install: ['WantedBy=timers.target'],
      }),
    },
    {
      name: CREDENTIALS_SERVICE,
      enable: false,
      content: unitFile({
        Unit: [`Description=${what}`, 'Wants=network-online.target', 'After=network-online.target'],
        Service: ['Type=oneshot', ...ROOT_HOME, `ExecStart=${bootstrapPath} maintain`],
      }),
    },
  ];
  if (role === 'seed') {
    units.push({
      name: KUBECONFIG_PUBLISH_SERVICE,
      enable: true,
      content: unitFile({
        Unit: [
          'Description=Publish the RKE2 admin kubeconfig after rke2-server starts',
          'After=rke2-server.service',
        ],
        Service: ['Type=oneshot', ...ROOT_HOME, `ExecStart=${bootstrapPath} publish-kubeconfig`],
        Install: ['WantedBy=rke2-server.service'],
      }),
    });
  }
  return units;
}
