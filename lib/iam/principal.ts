/**
 * IAM roles and users named by ARN, as EKS access entries take them. Pure: no cdktf imports.
 *
 * IAM names are unique per account whatever their path and case, so `role/admins` and
 * `role/teams/Admins` are one principal; a role with a path (SSO roles live under
 * `aws-reserved/sso.amazonaws.com/...`) is accepted by access entries with its path.
 */

/** An IAM role or user. */
export interface IamPrincipal {
  readonly partition: string;
  readonly accountId: string;
  readonly kind: 'role' | 'user';
  /** `/`, or a path such as `/aws-reserved/sso.amazonaws.com/eu-west-1/`. */
  readonly path: string;
  readonly name: string;
}

// IAM: a path is `/` or begins and ends with `/` (ASCII ! to ~ between); a name is up to 64
// characters of letters, digits and _+=,.@-.
const PRINCIPAL_ARN =
  /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):(role|user)(\/(?:[!-~]*\/)?)([\w+=,.@-]{1,64})$/;

/** The role or user an ARN names; undefined for anything else (an STS session ARN included). */
export function parseIamPrincipalArn(arn: string): IamPrincipal | undefined {
  const match = PRINCIPAL_ARN.exec(arn);
  if (!match) return undefined;
  const [, partition, accountId, kind, path, name] = match;
  return { partition, accountId, kind: kind as IamPrincipal['kind'], path, name };
}

/** The same key for every ARN of one principal (IAM names ignore case and path). */
export function principalKey(principal: IamPrincipal): string {
  const { partition, accountId, kind, name } = principal;
  return `${partition}:${accountId}:${kind}:${name.toLowerCase()}`;
}

/**
 * A Terraform expression that is true when `callerArn` (the `arn` of aws_caller_identity, an
 * expression) is `principal` at work: a role appears as `arn:<p>:sts::<account>:assumed-role/
 * <name>/<session>` (no path), a user as its own ARN with its path.
 */
export function callerIsPrincipalExpression(principal: IamPrincipal, callerArn: string): string {
  const { partition, accountId, name } = principal;
  const caller = `lower(${callerArn})`;
  if (principal.kind === 'role') {
    const prefix = `arn:${partition}:sts::${accountId}:assumed-role/${name}/`.toLowerCase();
    return `startswith(${caller}, ${JSON.stringify(prefix)})`;
  }
  const prefix = `arn:${partition}:iam::${accountId}:user/`.toLowerCase();
  return `startswith(${caller}, ${JSON.stringify(prefix)}) && endswith(${caller}, ${JSON.stringify(`/${name}`.toLowerCase())})`;
}
