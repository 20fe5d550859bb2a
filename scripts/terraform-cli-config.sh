#!/usr/bin/env bash
# How Terraform installs providers for the scripts and the emulator tests.
#
#   source scripts/terraform-cli-config.sh   exports TF_CLI_CONFIG_FILE (when needed) and CHECKPOINT_DISABLE
#   bash scripts/terraform-cli-config.sh     prints the config file to use (empty line: Terraform's own)
#
# RANCHER_TF_PLUGIN_MIRROR=<dir> names a filesystem mirror (registry.terraform.io/<ns>/<type>/...).
# Unset, /opt/tf-plugins is used when it exists. Otherwise Terraform downloads from the registry.
#
# The mirror config has no `direct` block on purpose: every registry provider comes from the
# mirror, so a provider missing there fails at once with its name instead of timing out offline.
# A TF_CLI_CONFIG_FILE that names a missing file only makes Terraform warn on every command, so it
# is replaced by an empty config.

rancher_tf_cli_config() {
  local root mirror note='' config_dir config
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  config_dir="$root/.cache/terraform"
  mirror="${RANCHER_TF_PLUGIN_MIRROR:-}"
  if [[ -z "$mirror" && -d /opt/tf-plugins ]]; then
    mirror=/opt/tf-plugins
    note='using the provider mirror /opt/tf-plugins (set RANCHER_TF_PLUGIN_MIRROR to choose another)'
  fi

  if [[ -n "$mirror" ]]; then
    if [[ ! -d "$mirror" ]]; then
      echo "RANCHER_TF_PLUGIN_MIRROR names $mirror, which is not a directory." >&2
      return 1
    fi
    mirror="$(cd "$mirror" && pwd)"
    # One file per mirror: runs with different mirrors must not rewrite each other's config.
    config="$config_dir/mirror-$(printf '%s' "$mirror" | cksum | cut -d' ' -f1).tfrc"
  elif [[ -n "${TF_CLI_CONFIG_FILE:-}" && ! -f "${TF_CLI_CONFIG_FILE}" ]]; then
    config="$config_dir/empty.tfrc"
  else
    # Terraform's own configuration (TF_CLI_CONFIG_FILE or ~/.terraformrc) stays in force.
    printf '%s\n' "${TF_CLI_CONFIG_FILE:-}"
    [[ -z "$note" ]] || echo "$note" >&2
    return 0
  fi

  mkdir -p "$config_dir"
  local tmp
  tmp="$(mktemp "$config_dir/.tfrc.XXXXXX")"
  if [[ -n "$mirror" ]]; then
    cat >"$tmp" <<EOF
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/*/*"]
  }
}
EOF
  else
    : >"$tmp"
  fi
  # Written aside and renamed: parallel test processes may run this at the same time.
  mv -f "$tmp" "$config"
  [[ -z "$note" ]] || echo "$note" >&2
  printf '%s\n' "$config"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  rancher_tf_cli_config
else
  __rancher_tf_config="$(rancher_tf_cli_config)" || return 1
  if [[ -n "$__rancher_tf_config" ]]; then
    export TF_CLI_CONFIG_FILE="$__rancher_tf_config"
  fi
  export CHECKPOINT_DISABLE=1
  unset __rancher_tf_config
fi
