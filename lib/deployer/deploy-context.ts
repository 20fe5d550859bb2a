/**
 * How an in-cluster stack knows it runs inside the deployer: a Terraform variable the buildspec
 * sets through the environment (`TF_VAR_deploy_context`). Pure.
 */

/** Terraform variable of every guarded in-cluster stack. */
export const DEPLOY_CONTEXT_VARIABLE = 'deploy_context';

/** Its value inside the deployer. */
export const IN_VPC_CONTEXT = 'in-vpc';

/** The environment variable Terraform reads the variable from. */
export const DEPLOY_CONTEXT_ENV = `TF_VAR_${DEPLOY_CONTEXT_VARIABLE}`;
