#!/bin/bash
# Tests the Slurm deployment for real on this machine: starts a one-node
# Slurm cluster from Debian's packages (slurm-wlm, munge; installed when
# absent), submits a 4-shard comparison, then a 4-shard Saltelli experiment
# (8 design points of a small world), each as a job array with the merge as
# a dependent job (submit.sh, sbatch --wait), and compares every output file
# with the same command run in one process, byte for byte.
#
# Needs root (Slurm 22.05 runs as root here, with proctrack/linuxproc,
# task/none and no cgroup.conf). Idempotent: its slurm.conf, state and
# outputs live in a fresh temporary directory, it uses its own ports, and on
# exit it stops the daemons it started (munged only if it was not running)
# and removes the directory (KEEP=1 keeps it). make test-slurm runs it.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
args=(compare taking giving --replications "${REPLICATIONS:-12}")
shards=4

if [ "$(id -u)" != 0 ]; then
	echo "test-slurm: needs root, to run slurmctld and slurmd as a one-node cluster" >&2
	exit 2
fi
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y slurm-wlm munge >/dev/null
fi

work=$(mktemp -d /tmp/retsim-slurm.XXXXXX)
started_munge=0
munge_pid=/run/munge/retsim-test-slurm.pid # munged runs as munge, which may write there
# stop ends the daemon whose pid file is $1, if any, and waits for it to go.
stop() {
	[ -s "$1" ] || return 0
	pid=$(cat "$1")
	kill "$pid" 2>/dev/null || return 0
	for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
	echo "test-slurm: pid $pid from $1 still running" >&2
}
cleanup() {
	status=$?
	stop "$work/slurmd.pid"
	stop "$work/slurmctld.pid"
	if [ "$started_munge" = 1 ]; then
		stop "$munge_pid"
		rm -f "$munge_pid"
	fi
	if [ "${KEEP:-0}" = 1 ] || [ "$status" != 0 ]; then
		echo "test-slurm: logs and outputs kept in $work" >&2
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT

mkdir -p "$work"/{state,spool}
(cd "$root" && CGO_ENABLED=0 go build -o "$work/retsim" ./cmd/retsim)

# munge: the key from the package (created when absent), one daemon.
if [ ! -s /etc/munge/munge.key ]; then
	mungekey --create --keyfile=/etc/munge/munge.key
	chown munge:munge /etc/munge/munge.key
	chmod 600 /etc/munge/munge.key
fi
if ! munge -n </dev/null >/dev/null 2>&1; then
	mkdir -p /run/munge /var/log/munge /var/lib/munge
	chown munge:munge /run/munge /var/log/munge /var/lib/munge
	runuser -u munge -- munged --pid-file="$munge_pid"
	started_munge=1
	for _ in $(seq 50); do munge -n </dev/null >/dev/null 2>&1 && break; sleep 0.1; done
fi

host=$(hostname -s)
export SLURM_CONF="$work/slurm.conf"
cat >"$SLURM_CONF" <<CONF
ClusterName=retsimtest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
DependencyParameters=kill_invalid_depend
MpiDefault=none
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -i -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
for _ in $(seq 100); do
	state=$(sinfo -h -n "$host" -o %t 2>/dev/null || true)
	[ "$state" = idle ] && break
	sleep 0.2
done
if [ "$state" != idle ]; then
	echo "test-slurm: node $host is ${state:-unknown}, not idle; see $work/slurmctld.log" >&2
	exit 1
fi

# check NAME ARGS... runs the retsim command ARGS in one process, then as
# $shards shards and a merge on Slurm, each from its own directory under
# $work/NAME with the same --out, and compares every file the single
# process listed in files.json, byte for byte.
check() {
	local name=$1 f n=0 files
	shift
	mkdir -p "$work/$name"/{single,cluster}
	(cd "$work/$name/single" && "$work/retsim" "$@" --out out >/dev/null 2>&1)
	# A failed shard cancels the merge (kill_invalid_depend), which ends
	# sbatch --wait with an error; the timeout bounds anything else.
	if ! (cd "$work/$name/cluster" && RETSIM="$work/retsim" SBATCH_WAIT=1 timeout 150 \
		"$root/deploy/slurm/submit.sh" "$shards" "$@" >/dev/null); then
		echo "test-slurm: $name: the shards or their merge failed on Slurm; see $work/$name/cluster/*.out" >&2
		exit 1
	fi
	files=$(sed -n 's/^    "\(.*\)",\{0,1\}$/\1/p' "$work/$name/single/out/files.json")
	[ -n "$files" ] || { echo "test-slurm: $name: the single process listed no files" >&2; exit 1; }
	for f in $files; do
		if ! cmp -s "$work/$name/single/out/$f" "$work/$name/cluster/out/$f"; then
			echo "test-slurm: $name: $f differs between the single process and the merged shards" >&2
			exit 1
		fi
		n=$((n + 1))
	done
	echo "test-slurm: $*: $shards shards on Slurm merged into the single-process outputs, $n files byte for byte"
}

check compare "${args[@]}"

# A Saltelli experiment of 8 design points on a small world, split by
# design points; its design file is named by its absolute path, which the
# shards record and merge replays.
printf 'extends: baseline\npopulation:\n  initial: 200\nhorizon:\n  periods: 12\n' >"$work/small.yaml"
cat >"$work/design.yaml" <<'DESIGN'
scenario: small.yaml
design: saltelli
samples: 2
replications: 4
outcomes: [cumulative_profit, final_nps]
bootstrap: 200
params:
  policy.giving:
  service.self_cost: {min: 0, max: 5}
DESIGN
check experiment experiment "$work/design.yaml" --per-replication
