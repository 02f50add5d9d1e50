#!/usr/bin/env bash
# time-runs.sh <runs> <command> [args...]
# Runs a command <runs> times and prints each run's wall-clock time in microseconds, one per line
# ("fail <exit-code>" for a run that failed). This is the whole-process timing of the benchmark:
# fork, exec, run and exit are all in it, as when a person types the command. Timing from bash
# rather than from pwsh because bash's EPOCHREALTIME costs nothing and the command's output goes
# straight to /dev/null, instead of through a pipe that pwsh would have to read and decode.
set -u
export LC_ALL=C # EPOCHREALTIME uses the locale's decimal point
runs=$1
shift
for ((i = 0; i < runs; i++)); do
  start=$EPOCHREALTIME
  "$@" >/dev/null 2>&1
  code=$?
  end=$EPOCHREALTIME
  if [ "$code" -ne 0 ]; then echo "fail $code"; continue; fi
  echo $((10#${end/./} - 10#${start/./}))
done
