#!/bin/bash
# One pass of lowlat's canary rollout, for the MachineConfigPools named as
# arguments; the CronJob lowlat-canary runs it every few minutes. Each pool
# P is held paused. Its canary node forms pool P-canary, which selects the
# same machine configs and so takes every new rendered config at once
# (the Machine Config Operator names a rendered config
# rendered-<pool>-<hash of its content>, so both pools' names end alike).
# For each P, this pass:
#   - holds P paused again once all its nodes run its rendered config;
#   - releases P at once when its new config changes nothing on its nodes
#     (they already run that content: a node that has just joined the pool);
#   - otherwise waits for the canary to run the new config, re-tests the
#     canary once per config (Job canary-P-<hash> from the suspended CronJob
#     canary-P in $PERF_NAMESPACE, kube-burner with the perf tests'
#     thresholds), and releases P when the re-test passes;
#   - holds P again if a newer config appears while P rolls out one that
#     passed.
# A pool held by a failed re-test, or without a canary node, fails the pass,
# so the CronJob (and the tuning Application) report Degraded.
set -euo pipefail
: "${PERF_NAMESPACE:?}"

failed=0

pause() { oc patch machineconfigpool "$1" --type merge -p "{\"spec\":{\"paused\":$2}}" >/dev/null; }

hold() { echo "$1: held at ${2:-its current config}: $3" >&2; failed=1; }

# suffix prints the content hash that ends a rendered config's name.
suffix() { echo "${1##*-}"; }

# verdict prints Complete or Failed for a finished re-test Job, Running for
# one still running, and nothing when there is no such Job.
verdict() {
  local out
  out=$(oc get job "$1" -n "$PERF_NAMESPACE" --ignore-not-found \
    -o jsonpath='{.metadata.name}|{.status.conditions[?(@.status=="True")].type}')
  case "$out" in
    "") ;;
    *"|"*Complete*) echo Complete ;;
    *"|"*Failed*) echo Failed ;;
    *) echo Running ;;
  esac
}

# stale counts the nodes of pool $1 (its canary aside) whose current config
# has other content than hash $2.
stale() {
  local n=0 config configs
  configs=$(oc get nodes -l "node-role.kubernetes.io/$1,!node-role.kubernetes.io/$1-canary" \
    -o jsonpath='{range .items[*]}{.metadata.annotations.machineconfiguration\.openshift\.io/currentConfig}{"\n"}{end}')
  while read -r config; do
    [ -z "$config" ] || [ "$(suffix "$config")" = "$2" ] || n=$((n + 1))
  done <<<"$configs"
  echo "$n"
}

for pool in "$@"; do
  canary=$pool-canary
  state=$(oc get machineconfigpool "$pool" \
    -o jsonpath='{.spec.configuration.name}|{.status.configuration.name}|{.spec.paused}')
  IFS='|' read -r desired current paused <<<"$state"
  if [ -z "$desired" ]; then
    echo "$pool: no rendered config yet"
    continue
  fi
  if [ "$desired" = "$current" ]; then
    if [ "$paused" != true ]; then
      pause "$pool" true
      echo "$pool: all nodes run $current; held for the next change"
    else
      echo "$pool: all nodes run $current"
    fi
    continue
  fi
  hash=$(suffix "$desired")
  job=canary-$pool-${hash:0:10}
  behind=$(stale "$pool" "$hash")
  if [ "$behind" -eq 0 ]; then
    [ "$paused" != true ] || pause "$pool" false
    echo "$pool: $desired changes nothing its nodes run; released"
    continue
  fi
  result=$(verdict "$job")
  if [ "$paused" != true ]; then
    if [ "$result" = Complete ]; then
      echo "$pool: rolling out $desired, which passed $job"
    else
      pause "$pool" true
      hold "$pool" "$current" "$desired appeared while the pool rolled out; it waits for its own canary re-test"
    fi
    continue
  fi
  state=$(oc get machineconfigpool "$canary" \
    -o jsonpath='{.status.configuration.name}|{.status.conditions[?(@.type=="Updated")].status}|{.status.machineCount}')
  IFS='|' read -r canaryConfig canaryUpdated machines <<<"$state"
  if [ "${machines:-0}" -eq 0 ]; then
    hold "$pool" "$current" "no canary node: label one node node-role.kubernetes.io/$canary="
    continue
  fi
  if [ "$(suffix "$canaryConfig")" != "$hash" ] || [ "$canaryUpdated" != True ]; then
    echo "$pool: held at $current while the canary updates to $desired"
    continue
  fi
  case "$result" in
    Complete)
      pause "$pool" false
      echo "$pool: canary re-test $job passed; released to $desired" ;;
    Failed)
      hold "$pool" "$current" "canary re-test $job failed on $desired (oc logs -n $PERF_NAMESPACE job/$job)" ;;
    Running)
      echo "$pool: held at $current while canary re-test $job runs" ;;
    *)
      oc create job "$job" -n "$PERF_NAMESPACE" --from="cronjob/canary-$pool" >/dev/null
      echo "$pool: the canary runs $desired; re-test $job started" ;;
  esac
done
exit "$failed"
