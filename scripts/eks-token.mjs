#!/usr/bin/env node
// @ts-check
// Prints an ExecCredential holding a fresh EKS bearer token. Terraform's helm and kubernetes
// providers run it through their `exec` settings whenever a Kubernetes client needs a token, so a
// long apply never outlives its credentials (one token from aws_eks_cluster_auth lasts 15 minutes).
//
//   node scripts/eks-token.mjs --cluster-name <name> --region <region>
//
// Credentials come from the AWS SDK's default chain (environment, AWS_PROFILE with SSO or role
// chains, web identity, container or instance role); no AWS CLI is needed. The token is printed
// on stdout only, for the provider. Exit codes: 0 printed, 1 no credentials or signing failed,
// 2 bad arguments.
import { parseArgs } from 'node:util';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import {
  createEksToken,
  execCredential,
  execCredentialApiVersion,
} from '../lib/cluster/eks-token.mjs';

const USAGE = 'usage: node scripts/eks-token.mjs --cluster-name <name> --region <region>';

/** @param {string} message @returns {never} */
function usageError(message) {
  console.error(`eks-token: ${message}\n${USAGE}`);
  process.exit(2);
}

/** @returns {{ clusterName: string, region: string }} */
function parse() {
  try {
    const { values } = parseArgs({
      options: { 'cluster-name': { type: 'string' }, region: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    });
    const clusterName = values['cluster-name'];
    const region = values.region;
    if (!clusterName) return usageError('--cluster-name is required (the EKS cluster name).');
    if (!region) return usageError('--region is required (the cluster region).');
    return { clusterName, region };
  } catch (error) {
    return usageError(`${error instanceof Error ? error.message : error}.`);
  }
}

async function main() {
  const { clusterName, region } = parse();
  try {
    // The region also serves role assumption (profiles with role_arn), as the AWS provider does.
    const credentials = await defaultProvider({ clientConfig: { region } })();
    const signingDate = new Date();
    const token = await createEksToken({ clusterName, region, credentials, signingDate });
    const apiVersion = execCredentialApiVersion(process.env.KUBERNETES_EXEC_INFO);
    process.stdout.write(`${JSON.stringify(execCredential(token, apiVersion))}\n`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    console.error(`eks-token: no token for cluster ${clusterName} in ${region}: ${reason}`);
    process.exit(1);
  }
}

main();
