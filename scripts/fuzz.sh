#!/usr/bin/env bash
# fuzz.sh PACKAGE TARGET FUZZTIME: fuzzes one target of ./PACKAGE for
# FUZZTIME (as `make fuzz` does for each target).
#
# Go's fuzzing coordinator can end a run that found nothing with a bare
# "context deadline exceeded": a race between the -fuzztime deadline and its
# workers' shutdown, seen on loaded machines, with no failing input written.
# Such a run is not a finding: when the only failure is that line and no new
# input appeared in PACKAGE/testdata/fuzz/TARGET, the target's corpus is
# replayed instead, and that replay decides. Any other failure, and any
# failing input written, fails as it is.
set -uo pipefail
pkg=$1 target=$2 fuzztime=$3
go=${GO:-go}
corpus=$pkg/testdata/fuzz/$target
before=$(ls "$corpus" 2>/dev/null)
out=$("$go" test -run '^$' -fuzz "^$target\$" -fuzztime "$fuzztime" "./$pkg" 2>&1)
status=$?
printf '%s\n' "$out"
if [ "$status" -eq 0 ]; then
	exit 0
fi
after=$(ls "$corpus" 2>/dev/null)
if [ "$before" = "$after" ] &&
	printf '%s\n' "$out" | grep -qx '    context deadline exceeded' &&
	! printf '%s\n' "$out" | grep -q 'Failing input written'; then
	echo "fuzz.sh: $target stopped on the fuzzing coordinator's deadline with no input written; replaying its corpus"
	exec "$go" test -run "^$target\$" -count=1 "./$pkg"
fi
exit "$status"
