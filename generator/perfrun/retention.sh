#!/bin/bash
# One pass of perf run housekeeping in this namespace; the CronJob
# lowlat-perf-retention runs it every few minutes.
#   retention.sh KEEP_RUNS KEEP_RESULTS CURRENT_RUN...
# Runs are the Jobs labelled lowlat.dev/run-series; the CURRENT_RUNs are
# the ones git holds now, which ArgoCD keeps. For each series, this pass:
#   - never touches a run that has started (lowlat.dev/started) and not
#     finished;
#   - deletes a superseded run that has not started, when a newer run of
#     its series exists: the delete carries the resourceVersion read, so a
#     run that starts in between is left alone, and the newest run stays
#     even when this pass's list of current runs is older than it;
#   - takes a finished superseded run out of its Application's health
#     (argocd.argoproj.io/ignore-healthcheck), so that an old failure does
#     not hide the verdict of the current run, and puts a current one back;
#   - deletes finished runs beyond the newest KEEP_RUNS finished ones (a
#     current run counts, and always stays), with their config ConfigMap
#     (named as the Job);
#   - deletes results ConfigMaps (lowlat.dev/results) beyond the newest
#     KEEP_RESULTS of the series.
set -euo pipefail
keep_runs=$1 keep_results=$2
shift 2
current=" $* "
ns=$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace 2>/dev/null || oc config view --minify -o jsonpath='{..namespace}')

is_current() { [[ "$current" == *" $1 "* ]]; }

# Each line: series, creation time, name, resourceVersion, started, the
# types of the Job's true conditions, whether its health is ignored.
oc get jobs -l lowlat.dev/run-series -o jsonpath='{range .items[*]}{.metadata.labels.lowlat\.dev/run-series}{"\t"}{.metadata.creationTimestamp}{"\t"}{.metadata.name}{"\t"}{.metadata.resourceVersion}{"\t"}{.metadata.annotations.lowlat\.dev/started}{"\t"}{.status.conditions[?(@.status=="True")].type}{"\t"}{.metadata.annotations.argocd\.argoproj\.io/ignore-healthcheck}{"\n"}{end}' |
  sort -t $'\t' -k1,1 -k2,2r -k3,3r >"${TMPDIR:-/tmp}/runs.$$"

series="" kept=0 newest=""
while IFS=$'\t' read -r s _ name version started conditions ignored; do
  [ -n "$name" ] || continue
  if [ "$s" != "$series" ]; then series=$s kept=0 newest=$name; fi
  finished=""
  case " $conditions " in *" Complete "* | *" Failed "*) finished=yes ;; esac
  if is_current "$name"; then
    if [ -n "$finished" ]; then kept=$((kept + 1)); fi
    if [ "$ignored" = true ]; then
      oc annotate job "$name" argocd.argoproj.io/ignore-healthcheck- >/dev/null
      echo "$name: current again, its health counts"
    fi
    continue
  fi
  if [ -z "$finished" ]; then
    # The newest run of a series is never superseded: this pass may have
    # been started from a CronJob whose list of current runs predates it.
    if [ -z "$started" ] && [ "$name" != "$newest" ]; then
      printf '{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Background","preconditions":{"resourceVersion":"%s"}}' "$version" >"${TMPDIR:-/tmp}/delete.$$"
      if oc delete --raw "/apis/batch/v1/namespaces/$ns/jobs/$name" -f "${TMPDIR:-/tmp}/delete.$$" >/dev/null 2>&1; then
        oc delete configmap "$name" --ignore-not-found >/dev/null
        echo "$name: superseded before it started, deleted"
      fi
    fi
    continue
  fi
  kept=$((kept + 1))
  if [ "$kept" -gt "$keep_runs" ]; then
    oc delete job "$name" --cascade=background --ignore-not-found >/dev/null
    oc delete configmap "$name" --ignore-not-found >/dev/null
    echo "$name: beyond the newest $keep_runs runs of $series, deleted"
  elif [ "$ignored" != true ]; then
    oc annotate job "$name" argocd.argoproj.io/ignore-healthcheck=true --overwrite >/dev/null
    echo "$name: superseded, its health no longer counts"
  fi
done <"${TMPDIR:-/tmp}/runs.$$"

oc get configmaps -l lowlat.dev/results -o jsonpath='{range .items[*]}{.metadata.labels.lowlat\.dev/run-series}{"\t"}{.metadata.creationTimestamp}{"\t"}{.metadata.name}{"\n"}{end}' |
  sort -t $'\t' -k1,1 -k2,2r -k3,3r >"${TMPDIR:-/tmp}/results.$$"
series="" kept=0
while IFS=$'\t' read -r s _ name; do
  [ -n "$name" ] || continue
  if [ "$s" != "$series" ]; then series=$s kept=0; fi
  kept=$((kept + 1))
  if [ "$kept" -gt "$keep_results" ]; then
    oc delete configmap "$name" --ignore-not-found >/dev/null
    echo "$name: beyond the newest $keep_results results of $series, deleted"
  fi
done <"${TMPDIR:-/tmp}/results.$$"
rm -f "${TMPDIR:-/tmp}"/*.$$
