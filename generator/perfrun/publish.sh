#!/bin/bash
# Publishes the results of a finished perf run and passes its verdict on.
#   publish.sh RESULTS_DIR KEY=VALUE...
# The test before it left, in RESULTS_DIR: exit-code (its exit status),
# test.log (its output) and its result files; start.sh left started and
# revision. This writes ConfigMap <job>-results, labelled with the
# KEY=VALUE pairs (cluster, pool, phase, test, tuning), the run's uuid and
# revision, holding every result file (*.json, *.txt) and the end of the
# log. A test that failed fails this container with its exit status, and
# its Job carries lowlat.dev/verdict: the lines of the log that say why
# (kube-burner: "... higher than configured threshold ...").
# JOB_NAME comes from the pod's batch.kubernetes.io/job-name label.
set -euo pipefail
: "${JOB_NAME:?}"
dir=$1
shift

code=$(cat "$dir/exit-code" 2>/dev/null || echo 1)
revision=$(cat "$dir/revision" 2>/dev/null || echo unknown)
started=$(cat "$dir/started" 2>/dev/null || echo unknown)
finished=$(date -u +%Y-%m-%dT%H:%M:%SZ)

# latency.json summarizes a latency test's report, per measured CPU:
# oslat's Core/Minimum/Average/Maximum lines, or cyclictest's
# "# Min/Avg/Max Latencies" histogram footer; microseconds.
summarize() {
  awk '
    function list(name, from,   i, out) {
      out = ""
      for (i = from; i <= NF; i++) {
        if ($i ~ /^\(/) break
        out = out (out == "" ? "" : ",") (name == "cpus" ? "\"" $i "\"" : $i + 0)
      }
      return "\"" name "\":[" out "]"
    }
    $1 == "Core:"          { cpus = list("cpus", 2); test = "oslat" }
    $1 == "Minimum:"       { min = list("min", 2); test = "oslat" }
    $1 == "Average:"       { avg = list("avg", 2) }
    $1 == "Maximum:"       { max = list("max", 2) }
    /^# Min Latencies:/    { min = list("min", 4); test = "cyclictest" }
    /^# Avg Latencies:/    { avg = list("avg", 4) }
    /^# Max Latencies:/    { max = list("max", 4) }
    END {
      if (max == "") exit 1
      printf "{\"test\":\"%s\",\"unit\":\"us\"", test
      if (cpus != "") printf ",%s", cpus
      printf ",%s,%s,%s}\n", min, avg, max
    }' "$1"
}
if [ -f "$dir/test.log" ] && summarize "$dir/test.log" >"$dir/latency.json.tmp" 2>/dev/null; then
  mv "$dir/latency.json.tmp" "$dir/latency.json"
else
  rm -f "$dir/latency.json.tmp"
fi

# The result files, flattened: kube-burner writes them under
# <phase>/<uuid>/, whose last part names the run.
files=()
uuid=""
while IFS= read -r f; do
  files+=("--from-file=$(basename "$f")=$f")
  parent=$(basename "$(dirname "$f")")
  if [ "$(dirname "$f")" != "$dir" ]; then uuid=$parent; fi
done < <(find "$dir" -mindepth 1 -type f \( -name '*.json' -o -name '*.txt' \) | sort)
uuid=${uuid:-$JOB_NAME}
tail -n 200 "$dir/test.log" >"$dir/log.tail" 2>/dev/null || : >"$dir/log.tail"

if [ "$code" = 0 ]; then
  verdict=passed
else
  # kube-burner logs with logrus: keep the message of its lines.
  verdict=$({ grep -E 'threshold|[Ee]rror' "$dir/log.tail" || true; } | tail -n 3 |
    sed -e 's/.*msg="\(.*\)"[^"]*$/\1/' | tr '\n' ';' | sed -e 's/;$//' -e 's/;/; /g')
  verdict=${verdict:-"the test exited $code"}
fi

labels=("lowlat.dev/run-uuid=$uuid" "lowlat.dev/revision=${revision:0:63}" "$@")
oc create configmap "$JOB_NAME-results" "${files[@]}" --from-file=test.log="$dir/log.tail" \
  --dry-run=client -o json |
  oc label --local -f - "${labels[@]}" "lowlat.dev/run=$JOB_NAME" -o json |
  oc annotate --local -f - "lowlat.dev/started=$started" "lowlat.dev/finished=$finished" \
    "lowlat.dev/exit-code=$code" "lowlat.dev/verdict=$verdict" -o json |
  oc apply --server-side --field-manager=lowlat-publish -f - >/dev/null
echo "results of $JOB_NAME (run $uuid, revision $revision): ConfigMap $JOB_NAME-results, ${#files[@]} files"

if [ "$code" != 0 ]; then
  oc annotate job "$JOB_NAME" "lowlat.dev/verdict=$verdict" --overwrite >/dev/null
  echo "$verdict" >&2
  exit "$code"
fi
echo "$verdict"
