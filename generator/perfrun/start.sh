#!/bin/bash
# Marks a perf run as started, before its test begins: the annotation
# lowlat.dev/started on the run's Job tells the retention pass (retention.sh)
# that the run must no longer be deleted, and the run records, in its
# results directory, when it started and which git revision its
# Application had synced.
#   start.sh RESULTS_DIR GITOPS_NAMESPACE APPLICATION
# JOB_NAME comes from the pod's batch.kubernetes.io/job-name label.
set -euo pipefail
: "${JOB_NAME:?}"
dir=$1 gitops=$2 app=$3

mkdir -p "$dir"
date -u +%Y-%m-%dT%H:%M:%SZ >"$dir/started"
# The revision labels the results; a run that cannot read it still runs.
revision=$(oc get applications.argoproj.io "$app" -n "$gitops" \
  -o jsonpath='{.status.sync.revision}' 2>/dev/null || true)
echo "${revision:-unknown}" >"$dir/revision"
oc annotate job "$JOB_NAME" "lowlat.dev/started=$(cat "$dir/started")" --overwrite >/dev/null
echo "run $JOB_NAME started at revision ${revision:-unknown}"
