#!/usr/bin/env bash
# Times retsim's neutral world on Fader-Hardie parameters (1 million customers,
# 60 periods, one worker: BenchmarkNeutralFaderHardie) against the vectorised
# numpy reference bench/numpy/sbg.py doing the same work, alternating ROUNDS
# times, and prints the best time of each, their ratio and the load average.
# Installs Debian's python3-numpy (apt-get) if numpy is missing; PYTHON=...
# names another interpreter.
set -euo pipefail
GO=${GO:-go}
ROUNDS=${ROUNDS:-5}
here=$(dirname "$0")

# PYTHON, else python3 if it has numpy, else Debian's /usr/bin/python3 (which
# python3-numpy installs into, whatever python3 the PATH finds first).
PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import numpy' 2>/dev/null; then
	PYTHON=/usr/bin/python3
	if ! "$PYTHON" -c 'import numpy' 2>/dev/null; then
		echo "numpy is missing: installing Debian's python3-numpy" >&2
		apt-get install -y python3-numpy >&2 || { apt-get update >&2 && apt-get install -y python3-numpy >&2; }
	fi
fi

bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
"$GO" test -pgo="${PGO:-cmd/retsim/default.pgo}" -c -o "$bin/sim.test" ./sim/

echo "load before: $(uptime)"
best_go= best_np=
for _ in $(seq "$ROUNDS"); do
	ns=$("$bin/sim.test" -test.run '^$' -test.bench '^BenchmarkNeutralFaderHardie$' -test.benchtime 1x | awk '/^BenchmarkNeutralFaderHardie/ {print $3}')
	np=$("$PYTHON" "$here/sbg.py" --repeat 1)
	s=$(awk -v ns="$ns" 'BEGIN {printf "%.4f", ns / 1e9}')
	n=$(echo "$np" | awk '{print $3}')
	best_go=$(awk -v a="$best_go" -v b="$s" 'BEGIN {print (a == "" || b < a) ? b : a}')
	best_np=$(awk -v a="$best_np" -v b="$n" 'BEGIN {print (a == "" || b < a) ? b : a}')
	echo "round: retsim $s s, $np"
done
echo "load after:  $(uptime)"
awk -v g="$best_go" -v n="$best_np" 'BEGIN {
	printf "best of rounds: retsim %.4f s, numpy %.4f s: retsim is %.2fx numpy\n", g, n, n / g
}'
