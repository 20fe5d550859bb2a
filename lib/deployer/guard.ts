import { Aspects, DataResource, IAspect, Op, TerraformResource, TerraformVariable } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { addDependsOn } from '../terraform/depends-on';
import { DEPLOY_CONTEXT_VARIABLE, IN_VPC_CONTEXT } from './deploy-context';

/** Providers whose resources talk to a cluster API. */
const CLUSTER_RESOURCE_PREFIXES = ['helm_', 'kubernetes_'];

export interface InVpcGuardProps {
  /** Why the stack cannot be applied from outside the VPC, and what to run instead. */
  readonly message: string;
}

/**
 * Fails every plan of an in-cluster stack that does not run inside the deployer, before any
 * change and before any cluster API is called: a `terraform_data` whose precondition requires
 * the variable `deploy_context` to be `in-vpc` (the deployer's buildspec sets
 * `TF_VAR_deploy_context`), and that every helm and kubernetes resource of the stack depends on,
 * so Terraform plans none of them once the precondition failed.
 */
export class InVpcGuard extends Construct {
  readonly variable: TerraformVariable;
  readonly check: DataResource;

  constructor(scope: Construct, id: string, props: InVpcGuardProps) {
    super(scope, id);
    this.variable = new TerraformVariable(this, 'context', {
      type: 'string',
      default: '',
      description: `Where this stack is applied from; "${IN_VPC_CONTEXT}" inside the deployer`,
    });
    this.variable.overrideLogicalId(DEPLOY_CONTEXT_VARIABLE);
    this.check = new DataResource(this, 'in-vpc', {
      lifecycle: {
        precondition: [
          {
            condition: Op.eq(this.variable.stringValue, IN_VPC_CONTEXT),
            errorMessage: props.message,
          },
        ],
      },
    });
    Aspects.of(scope).add(new DependOnGuard(this.check));
  }
}

/** Adds the guard to `depends_on` of every helm and kubernetes resource in scope. */
class DependOnGuard implements IAspect {
  constructor(private readonly guard: DataResource) {}

  visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource) || node === this.guard) return;
    const type = node.terraformResourceType;
    if (!CLUSTER_RESOURCE_PREFIXES.some((prefix) => type.startsWith(prefix))) return;
    addDependsOn(node, this.guard);
  }
}
