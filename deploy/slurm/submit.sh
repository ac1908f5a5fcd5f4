#!/bin/bash
# Submits a retsim run, comparison or experiment as N shards (a job array)
# and the merge that depends on them, and prints the merge job's id:
#
#   deploy/slurm/submit.sh N retsim-args...
#   deploy/slurm/submit.sh 8 compare taking giving --replications 800
#
# The array's tasks run shards.sbatch, the merge merge.sbatch, both in the
# current directory; RETSIM (the binary, default: retsim on PATH),
# RETSIM_SHARD_DIR (default: shards) and RETSIM_OUT (default: out) pass
# through to them. Extra sbatch options go in SBATCH_OPTS (for example
# "--partition=batch --time=1:00:00"); SBATCH_WAIT=1 waits for the merge.
set -euo pipefail
if [ $# -lt 2 ]; then
	echo "usage: $0 N run|compare|experiment ARGS..." >&2
	exit 2
fi
n=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck disable=SC2086 # SBATCH_OPTS holds several options
array=$(sbatch --parsable ${SBATCH_OPTS:-} --export=ALL --array="0-$((n - 1))" "$here/shards.sbatch" "$@")
array=${array%%;*}
wait=()
if [ "${SBATCH_WAIT:-0}" = 1 ]; then
	wait=(--wait)
fi
# kill_invalid_depend in slurm.conf (or --kill-on-invalid-dep=yes here)
# cancels the merge when a shard fails, rather than leaving it pending.
# shellcheck disable=SC2086
sbatch --parsable ${SBATCH_OPTS:-} --export=ALL --kill-on-invalid-dep=yes "${wait[@]}" \
	--dependency="afterok:$array" "$here/merge.sbatch"
