#!/usr/bin/env bash
# cpu-runs.sh <runs> <command> [args...]
# Runs a command <runs> times and prints the CPU time (user + system, microseconds) each run used,
# one per line ("fail <exit-code>" for a run that failed). The CPU counterpart of time-runs.sh: what
# "watch -n1 ss -tan" spends per second is the CPU of one run, not its wall-clock time.
set -u
export LC_ALL=C
runs=$1
shift
TIMEFORMAT='%3U %3S'
times_file=$(mktemp)
trap 'rm -f "$times_file"' EXIT
for ((i = 0; i < runs; i++)); do
  { time "$@" >/dev/null 2>&1; } 2>"$times_file"
  code=$?
  if [ "$code" -ne 0 ]; then echo "fail $code"; continue; fi
  read -r user system <"$times_file"
  echo $(( 10#${user/./} * 1000 + 10#${system/./} * 1000 ))
done
