#!/usr/bin/env bash
# Captures real `terraform show -json` plan documents for the plan-summary tests.
#
# Starts the local AWS emulator (moto) on a free loopback port, applies a small plain Terraform
# configuration, then saves the JSON of these plans into test/fixtures/plans/:
#   initial.json  first version against empty state (creates only)
#   changes.json  second version against the first: create, in-place update, replacement
#                 (delete-then-create and create-before-destroy), destroy, a deferred data read
#                 and output changes
#   empty.json    first version against itself (no changes)
#   destroy.json  `plan -destroy` of the first version (deletes only)
#
# Credentials are fake and given through the environment, so they never appear in the JSON.
# Usage: bash scripts/capture-plan-fixtures.sh [output-dir]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/test/fixtures/plans}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

work="$(mktemp -d)"
moto_pid=""
cleanup() {
  if [[ -n "$moto_pid" ]]; then
    kill "$moto_pid" 2>/dev/null || true
    wait "$moto_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
endpoint="http://127.0.0.1:${port}"

moto_server -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto_pid=$!
for _ in $(seq 1 100); do
  if curl -fsS "$endpoint/moto-api/" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$moto_pid" 2>/dev/null; then
    echo "moto_server exited early:" >&2
    cat "$work/moto.log" >&2
    exit 1
  fi
  sleep 0.2
done
curl -fsS "$endpoint/moto-api/" >/dev/null || { echo "moto_server did not answer on $endpoint" >&2; exit 1; }

cat >"$work/terraform.rc" <<'EOF'
provider_installation {
  filesystem_mirror {
    path    = "/opt/tf-plugins"
    include = ["registry.terraform.io/hashicorp/aws"]
  }
}
EOF
export TF_CLI_CONFIG_FILE="$work/terraform.rc"
export CHECKPOINT_DISABLE=1
export TF_IN_AUTOMATION=1
export AWS_ACCESS_KEY_ID=fixture AWS_SECRET_ACCESS_KEY=fixture AWS_REGION=us-east-1
unset AWS_PROFILE AWS_SESSION_TOKEN

tf_dir="$work/tf"
mkdir -p "$tf_dir"

write_provider() {
  cat >"$tf_dir/provider.tf" <<EOF
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region                      = "us-east-1"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  s3_use_path_style           = true

  endpoints {
    ec2 = "$endpoint"
    iam = "$endpoint"
    s3  = "$endpoint"
    ssm = "$endpoint"
    sts = "$endpoint"
  }
}
EOF
}

# First version: what is applied.
write_v1() {
  cat >"$tf_dir/main.tf" <<'EOF'
resource "aws_vpc" "main" {
  cidr_block = "10.20.0.0/16"
  tags       = { Name = "fixture-vpc", stage = "one" }
}

resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.20.1.0/24"
  tags       = { Name = "fixture-a" }
}

resource "aws_subnet" "b" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.20.2.0/24"
  tags       = { Name = "fixture-b" }
}

resource "aws_security_group" "web" {
  name_prefix = "fixture-web-"
  description = "web tier, first version"
  vpc_id      = aws_vpc.main.id

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_ssm_parameter" "legacy" {
  name  = "/fixture/legacy"
  type  = "String"
  value = "legacy"
}

data "aws_vpc" "main" {
  id = aws_vpc.main.id
}

output "vpc_id" {
  value = aws_vpc.main.id
}

output "stage" {
  value = "one"
}

output "legacy_parameter" {
  value = aws_ssm_parameter.legacy.name
}

output "vpc_cidr" {
  value = data.aws_vpc.main.cidr_block
}
EOF
}

# Second version: one of each kind of change against the first.
write_v2() {
  cat >"$tf_dir/main.tf" <<'EOF'
resource "aws_vpc" "main" {
  cidr_block = "10.20.0.0/16"
  tags       = { Name = "fixture-vpc", stage = "two" }
}

resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.20.3.0/24"
  tags       = { Name = "fixture-a" }
}

resource "aws_subnet" "b" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.20.2.0/24"
  tags       = { Name = "fixture-b" }
}

resource "aws_security_group" "web" {
  name_prefix = "fixture-web-"
  description = "web tier, second version"
  vpc_id      = aws_vpc.main.id

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_ssm_parameter" "current" {
  name  = "/fixture/current"
  type  = "String"
  value = "current"
}

data "aws_vpc" "main" {
  id = aws_vpc.main.id
}

output "vpc_id" {
  value = aws_vpc.main.id
}

output "stage" {
  value = "two"
}

output "current_parameter" {
  value = aws_ssm_parameter.current.name
}

output "vpc_cidr" {
  value = data.aws_vpc.main.cidr_block
}
EOF
}

tf() { terraform -chdir="$tf_dir" "$@"; }

# Writes pretty-printed JSON so fixture diffs stay readable.
show_json() {
  tf show -json "$1" | python3 -c 'import json, sys; json.dump(json.load(sys.stdin), sys.stdout, indent=2); print()' >"$2"
  echo "wrote $2"
}

write_provider
write_v1
tf init -input=false -no-color >/dev/null

tf plan -input=false -no-color -out=initial.tfplan >/dev/null
show_json "$tf_dir/initial.tfplan" "$out/initial.json"

tf apply -input=false -no-color -auto-approve initial.tfplan >/dev/null

tf plan -input=false -no-color -out=empty.tfplan >/dev/null
show_json "$tf_dir/empty.tfplan" "$out/empty.json"

tf plan -destroy -input=false -no-color -out=destroy.tfplan >/dev/null
show_json "$tf_dir/destroy.tfplan" "$out/destroy.json"

write_v2
tf plan -input=false -no-color -out=changes.tfplan >/dev/null
show_json "$tf_dir/changes.tfplan" "$out/changes.json"

# Nothing secret may land in the fixtures: the fake keys are only in the environment.
if grep -l -e 'AWS_SECRET' -e '"secret_key"' -e '"access_key"' "$out"/*.json; then
  echo "a fixture mentions credentials; refusing to keep it" >&2
  exit 1
fi
