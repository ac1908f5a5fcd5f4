package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// addressSpace is the address space limit the hostile cases run under:
// 4 GiB, in KiB for ulimit -v.
const addressSpace = "4194304"

// hostileCase is a command line that once crashed retsim, wrote non-finite
// numbers, exited with the wrong status or created --out before refusing:
// the status it must exit with and what its error line must contain
// (nothing to check for a success). {file} in args stands for a data file
// of longCohorts(cohorts), written when the case runs (not when the test
// binary starts, as it does again for every case). Every case is given
// --out but the last, which names no command.
type hostileCase struct {
	name    string
	args    []string
	code    int
	want    string
	cohorts int
}

// longCohorts is a per-customer file of n cohorts of one customer each,
// observed for 9999 periods: 30 bytes a line that once took 160 kB each.
func longCohorts(n int) string {
	var b strings.Builder
	b.WriteString("duration,censored,cohort\n")
	for i := range n {
		fmt.Fprintf(&b, "9999,1,c%d\n", i)
	}
	return b.String()
}

var hostileCases = []hostileCase{
	// Sizes that crashed inside the guard's own forecast or the engine.
	{"periods per year beyond any slice", []string{"run", "neutral", "--set", "horizon.periods_per_year=9007199254740992"}, exitUsage, "horizon.periods_per_year: must be at most 10000", 0},
	{"periods per year of 12.5 GB of tables", []string{"run", "neutral", "--set", "horizon.periods_per_year=100000000", "--set", "population.initial=10"}, exitUsage, "horizon.periods_per_year", 0},
	{"periods per year at its bound", []string{"run", "neutral", "--set", "horizon.periods_per_year=10000", "--set", "population.initial=10", "-r", "1"}, exitOK, "", 0},
	{"settled world of 600 million", []string{"run", "neutral", "--set", "population.initial=600000000"}, exitUsage, "population.initial=600000000", 0},
	{"stepped world of 100 million", []string{"run", "baseline", "--set", "market.potential=0", "--set", "population.initial=100000000", "-r", "1", "--set", "horizon.periods=3"}, exitUsage, "of memory (population.initial=100000000)", 0},
	{"referral explosion", []string{"run", "baseline", "--set", "market.potential=0", "--set", "advocacy.referral_rate=1", "--set", "advocacy.referral_conversion=1", "-r", "1"}, exitUsage, "advocacy.referral_rate", 0},
	{"referral explosion within the work guard", []string{"run", "baseline", "--set", "market.potential=0", "--set", "advocacy.referral_rate=1", "--set", "advocacy.referral_conversion=1", "-r", "1", "--set", "horizon.periods=30"}, exitUsage, "advocacy.referral_rate", 0},
	// Cohort tables of 3000 yearly cohorts once forecast 7.5 GB; at most
	// sim.MaxCohorts cohorts take tens of megabytes.
	{"cohort tables of 3000 years", []string{"run", "baseline", "--set", "horizon.periods=3000", "--set", "horizon.periods_per_year=1", "--set", "discounts.months=1", "--set", "population.initial=10", "-r", "1"}, exitOK, "", 0},
	{"sweep onto a huge point", []string{"sweep", "baseline", "--set", "market.potential=0", "--param", "population.initial=10:100000000:2", "-r", "1", "--set", "horizon.periods=3"}, exitUsage, "population.initial=100000000", 0},

	// Values that wrote NA, +Inf and null.
	{"list price 1e308", []string{"run", "baseline", "--set", "pricing.list_price=1e308"}, exitUsage, "pricing.list_price: must be at most 1e+09", 0},
	{"CAC 1e308", []string{"run", "baseline", "--set", "market.cac=1e308"}, exitUsage, "market.cac: must be at most", 0},
	{"loyalty rise 1e308", []string{"run", "baseline", "--set", "taking.loyalty_rise=1e308"}, exitUsage, "taking.loyalty_rise: must be at most", 0},
	{"gesture cost 1e308", []string{"run", "baseline", "--set", "generosity.gesture_cost=1e308"}, exitUsage, "generosity.gesture_cost: must be at most", 0},
	{"fix fee 1e308", []string{"run", "baseline", "--set", "taking.fix_fee=1e308"}, exitUsage, "taking.fix_fee: must be at most", 0},
	{"loyalty penalty compounding for 10000 years", []string{"run", "baseline", "--set", "horizon.periods=10000", "--set", "horizon.periods_per_year=1", "--set", "discounts.months=1", "--set", "policy.giving=0"}, exitUsage, "taking.loyalty_rise: compounded", 0},

	// Statuses and refusals that created --out.
	{"sensitivity of the seed", []string{"sensitivity", "baseline", "--params", "seed"}, exitUsage, "seed", 0},
	{"sensitivity of a key twice", []string{"sensitivity", "baseline", "--params", "churn.alpha,churn.alpha"}, exitUsage, "more than once", 0},
	{"negative precision", []string{"run", "neutral", "--precision", "-1"}, exitUsage, "--precision", 0},
	{"NaN precision", []string{"compare", "taking", "giving", "--precision", "NaN"}, exitUsage, "--precision", 0},
	{"unknown outcome", []string{"run", "neutral", "--outcome", "happiness"}, exitUsage, "--outcome", 0},
	{"sensitivity unknown outcome", []string{"sensitivity", "baseline", "--outcome", "happiness"}, exitUsage, "--outcome", 0},
	{"max replications below the start", []string{"run", "neutral", "--precision", "10", "--max-replications", "2"}, exitUsage, "--max-replications", 0},
	{"max replications beyond the bound", []string{"sweep", "baseline", "--param", "policy.giving=0:1:2", "--precision", "10", "--max-replications", "100000000"}, exitUsage, "--max-replications", 0},
	{"repeated sweep key", []string{"sweep", "baseline", "--param", "policy.giving=0:1:2", "--param", "policy.giving=0:1:3"}, exitUsage, "policy.giving is on more than one axis", 0},
	{"work guard", []string{"run", "baseline", "--replications", "10000000"}, exitUsage, "replications=10000000", 0},
	{"fit of a hundred thousand long cohorts", []string{"fit", "{file}"}, exitUsage, "cohorts", 100000},

	// A tiny run, for contrast.
	{"tiny run", []string{"run", "baseline", "-r", "2", "--set", "population.initial=50", "--set", "horizon.periods=6"}, exitOK, "", 0},

	{"unknown command", []string{"rn", "baseline"}, exitUsage, `unknown command "rn" (see 'retsim --help'); did you mean run?`, 0},
}

// Every hostile case, run as its own process under a 4 GiB address space
// limit: the documented exit status, at most three lines on stderr (the
// forecast, the speed and the error), no crash, and --out created only by a
// run that succeeds.
func TestHostileInputUnderMemoryLimit(t *testing.T) {
	skipUnderRace(t)
	bash, err := exec.LookPath("bash")
	if err != nil || runtime.GOOS != "linux" {
		t.Skip("needs bash and Linux for ulimit -v")
	}
	for i, tc := range hostileCases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			out, data := filepath.Join(dir, "out"), filepath.Join(dir, "data.csv")
			if err := os.WriteFile(data, []byte(longCohorts(tc.cohorts)), 0o644); err != nil {
				t.Fatal(err)
			}
			args := []string{"-c", `ulimit -v ` + addressSpace + ` && exec "$0" "$@"`, os.Args[0]}
			for _, a := range tc.args {
				args = append(args, strings.ReplaceAll(a, "{file}", data))
			}
			if i < len(hostileCases)-1 {
				args = append(args, "--out", out)
			}
			cmd := exec.Command(bash, args...)
			cmd.Env = append(os.Environ(), "RETSIM_AS_CLI=1")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			msg := stderr.String()
			if code := cmd.ProcessState.ExitCode(); code != tc.code {
				t.Errorf("exit %d (%v), want %d; stderr %q", code, err, tc.code, msg)
			}
			if lines := strings.Count(strings.TrimSpace(msg), "\n") + 1; lines > 3 {
				t.Errorf("%d lines on stderr, want at most 3:\n%s", lines, msg)
			}
			for _, crash := range []string{"panic", "fatal error", "goroutine", "out of memory"} {
				if strings.Contains(msg, crash) {
					t.Errorf("stderr holds %q:\n%s", crash, msg)
				}
			}
			_, statErr := os.Stat(out)
			if tc.code == exitOK {
				if statErr != nil {
					t.Errorf("a successful run created no --out: %v", statErr)
				}
				return
			}
			if statErr == nil {
				t.Errorf("refused, but created %s", out)
			}
			last := strings.TrimSpace(msg[strings.LastIndex(strings.TrimSpace(msg), "\n")+1:])
			if !strings.HasPrefix(last, "retsim: ") || !strings.Contains(last, tc.want) {
				t.Errorf("error line %q: want it to contain %q", last, tc.want)
			}
			if strings.Count(strings.TrimSpace(msg), "\n") != 0 {
				t.Errorf("a refusal in %d lines, want one:\n%s", strings.Count(strings.TrimSpace(msg), "\n")+1, msg)
			}
		})
	}
}
