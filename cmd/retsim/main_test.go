package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/retsim/retsim/scenarios"
	"github.com/retsim/retsim/sim"
)

// TestMain lets the test binary act as retsim itself, for the tests that
// need a real process (signals).
func TestMain(m *testing.M) {
	if os.Getenv("RETSIM_AS_CLI") == "1" {
		main()
	}
	os.Exit(m.Run())
}

// cli runs retsim in process with a clean RETSIM_ environment.
func cli(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = execute(context.Background(), args, &o, &e)
	return code, o.String(), e.String()
}

// small keeps test runs quick.
var small = []string{"--replications", "3", "--set", "population.initial=300", "--set", "horizon.periods=12"}

func TestRunWritesDataFiles(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := cli(t, append([]string{"run", "baseline", "--out", out}, small...)...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, f := range []string{"metrics.csv", "cohorts.csv", "summary.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("%s not written: %v", f, err)
		}
	}
	if !strings.Contains(stdout, "cumulative discounted profit") {
		t.Errorf("no summary printed:\n%s", stdout)
	}
}

func TestCompareUsesOneSeed(t *testing.T) {
	out := t.TempDir()
	code, _, stderr := cli(t, append([]string{"compare", "taking", "giving", "--out", out}, small...)...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(out, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), `"seed": 1,`); n != 3 { // manifest and both scenarios
		t.Errorf("summary.json has %d seed-1 entries, want 3:\n%s", n, b)
	}
}

func TestHelpTeaches(t *testing.T) {
	code, stdout, _ := cli(t, "--help")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"run", "compare", "scenarios", "validate", "params", "RETSIM_", "--set", "Exit status"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("--help lacks %q", want)
		}
	}
}

func TestScenariosShowNamesOrigins(t *testing.T) {
	t.Setenv("RETSIM_CHURN_BETA", "9")
	code, stdout, stderr := cli(t, "scenarios", "show", "giving", "--set", "churn.alpha=0.5", "--seed", "7")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"set:churn.alpha=0.5", "env:RETSIM_CHURN_BETA", "flag:seed", "file:builtin/giving.yaml", "file:builtin/baseline.yaml", "default"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("scenarios show lacks origin %q", want)
		}
	}
}

// Whole numbers from flags and the environment are read exactly, past
// 2^53, where a float64 would round them.
func TestExactWholeNumbers(t *testing.T) {
	for _, tc := range []struct {
		env  string
		args []string
		want []string
	}{
		{"", []string{"--seed", "9007199254740993", "-r", "9999999"}, []string{"seed 9007199254740993 flag:seed", "replications 9999999 flag:replications"}},
		{"18446744073709551615", nil, []string{"seed 18446744073709551615 env:RETSIM_SEED"}},
	} {
		if tc.env != "" {
			t.Setenv("RETSIM_SEED", tc.env)
		}
		code, stdout, stderr := cli(t, append([]string{"scenarios", "show", "neutral"}, tc.args...)...)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		lines := map[string]bool{}
		for _, l := range strings.Split(stdout, "\n") {
			lines[strings.Join(strings.Fields(l), " ")] = true
		}
		for _, w := range tc.want {
			if !lines[w] {
				t.Errorf("%v: no line %q in\n%s", tc.args, w, stdout)
			}
		}
	}
}

// SIGINT or SIGTERM stops a run with status 130, long before it would have
// finished (the bound is loose on purpose: a loaded machine under the race
// detector is slow, and this is a check of behaviour, not of speed), and
// leaves the previous outputs as they were, with no temporary files.
func TestInterruptionStopsCleanly(t *testing.T) {
	for _, tc := range []struct {
		name string
		sig  syscall.Signal
		args []string
	}{
		{"many replications, SIGINT", syscall.SIGINT, []string{"run", "baseline", "--replications", "2000"}},
		{"many replications, SIGTERM", syscall.SIGTERM, []string{"run", "baseline", "--replications", "2000"}},
		{"millions of customers, SIGINT", syscall.SIGINT, []string{"run", "neutral", "--replications", "2", "--set", "population.initial=4000000"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			previous := filepath.Join(out, "metrics.csv")
			if err := os.WriteFile(previous, []byte("previous"), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(os.Args[0], append(tc.args, "--out", out)...)
			cmd.Env = append(os.Environ(), "RETSIM_AS_CLI=1")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(500 * time.Millisecond)
			sent := time.Now()
			if err := cmd.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			if took := time.Since(sent); took > 10*time.Second {
				t.Errorf("stopped %v after the signal, want within 10 s", took)
			}
			if code := cmd.ProcessState.ExitCode(); code != exitInterrupted {
				t.Errorf("exit %d (%v), want %d; stderr %q", code, err, exitInterrupted, stderr.String())
			}
			if b, _ := os.ReadFile(previous); string(b) != "previous" {
				t.Errorf("previous metrics.csv changed to %.40q", b)
			}
			entries, _ := os.ReadDir(out)
			if len(entries) != 1 {
				t.Errorf("output directory holds %d entries, want only the previous metrics.csv", len(entries))
			}
		})
	}
}

func TestCompareWritesPairedStatistics(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := cli(t, append([]string{"compare", "taking", "giving", "--out", out}, small...)...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, f := range []string{"comparison.csv", "crossover.csv", "comparison_series.csv", "comparison.json", "difference.png", "difference.svg", "report.html"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("%s not written", f)
		}
	}
	for _, want := range []string{"Paired comparison with taking", "variance reduction", "Overtaking for good"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("terminal output lacks %q", want)
		}
	}
	html, _ := os.ReadFile(filepath.Join(out, "report.html"))
	if !bytes.Contains(html, []byte(`id="chart-difference"`)) {
		t.Error("report.html lacks the difference chart")
	}
}

func TestPrecisionSaysWhetherItWasReached(t *testing.T) {
	for _, tc := range []struct {
		target string
		want   string
	}{
		{"1e12", "reached"},
		{"1e-9", "not reached: stopped at --max-replications 12"},
	} {
		code, _, stderr := cli(t, append([]string{"run", "neutral", "--out", t.TempDir(), "--precision", tc.target, "--max-replications", "12"}, small...)...)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if !strings.Contains(stderr, "precision: 95% half-width of cumulative_discounted_profit") || !strings.Contains(stderr, tc.want) {
			t.Errorf("target %s: stderr %q lacks %q", tc.target, stderr, tc.want)
		}
	}
}

func TestSweepAndSensitivityWriteTheirFiles(t *testing.T) {
	for _, tc := range []struct {
		args  []string
		files []string
	}{
		{[]string{"sweep", "baseline", "--param", "policy.human_share=0:1:2"}, []string{"sweep.csv", "sweep.png", "sweep.svg"}},
		{[]string{"sweep", "baseline", "--param", "policy.giving=0:1:2", "--param", "switching.cost=0:0.5:2"}, []string{"sweep.csv", "sweep.png"}},
		{[]string{"sensitivity", "baseline", "--params", "policy.giving,churn.alpha"}, []string{"sensitivity.csv", "sensitivity.png", "sensitivity.svg"}},
	} {
		out := t.TempDir()
		code, _, stderr := cli(t, append(append(tc.args, "--out", out), small...)...)
		if code != exitOK {
			t.Fatalf("%v: exit %d: %s", tc.args, code, stderr)
		}
		for _, f := range tc.files {
			if _, err := os.Stat(filepath.Join(out, f)); err != nil {
				t.Errorf("%v: %s not written", tc.args, f)
			}
		}
	}
}

// Each kind of failure has its documented exit status, whatever wraps it.
func TestExitStatus(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	wrap := func(err error) error { return fmt.Errorf("run baseline: %w", err) }
	for _, tc := range []struct {
		name string
		ctx  context.Context
		err  error
		want int
	}{
		{"usage", context.Background(), wrap(usage("--precision: bad")), exitUsage},
		{"scenario", context.Background(), wrap(&scenarios.Error{File: "s.yaml", Key: "churn.alpha"}), exitUsage},
		{"panic in a worker", context.Background(), wrap(&sim.InternalError{Value: "index out of range"}), exitInternal},
		{"non-finite result", context.Background(), wrap(&sim.NonFiniteError{Quantity: "revenue", Value: math.Inf(1)}), exitFailure},
		{"outgrown forecast", context.Background(), wrap(&sim.TooManyCustomersError{Limit: 10}), exitFailure},
		{"other failure", context.Background(), errors.New("disk full"), exitFailure},
		{"interrupted", cancelled, wrap(context.Canceled), exitInterrupted},
	} {
		if got := exitStatus(tc.ctx, tc.err); got != tc.want {
			t.Errorf("%s: exit %d, want %d", tc.name, got, tc.want)
		}
	}
	if got := oneLine("a\n  b \n\nc"); got != "a; b; c" {
		t.Errorf("oneLine: %q, want %q", got, "a; b; c")
	}
}

// TestSensitivityAdaptive: the default adaptive analysis says how many
// replications and runs it used, and, when no bar stopped before the
// others (two parameters, the first look keeping twice --top), its
// sensitivity.csv is byte for byte that of --adaptive=false with that many
// replications.
func TestSensitivityAdaptive(t *testing.T) {
	args := []string{"sensitivity", "baseline", "--params", "pricing.list_price,service.self_cost", "--top", "1",
		"--set", "population.initial=300", "--set", "horizon.periods=12"}
	adaptive := t.TempDir()
	code, stdout, stderr := cli(t, append(args, "--out", adaptive, "--replications", "30")...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	const want = "over 2 replications, 10 runs in all (one replication of one configuration each) (adaptive: stopped as the order of the top 1 was settled"
	if !strings.Contains(stdout, want) || !strings.Contains(stdout, "at most 30") {
		t.Fatalf("output lacks %q and the cap of 30:\n%s", want, stdout)
	}
	if look := "sensitivity: 2 of at most 30 replications, 10 runs: the order of the top 1 is settled"; !strings.Contains(stderr, look) {
		t.Errorf("stderr lacks %q:\n%s", look, stderr)
	}
	// The first look has no interval to show: it says so rather than print NaN.
	if look := "sensitivity: 1 of at most 30 replications, 5 runs: swings of rank 1 "; !strings.Contains(stderr, look) || strings.Contains(stderr, "NaN") {
		t.Errorf("stderr lacks %q or shows NaN:\n%s", look, stderr)
	}
	fixed := t.TempDir()
	if code, _, stderr := cli(t, append(args, "--out", fixed, "--replications", "2", "--adaptive=false")...); code != exitOK {
		t.Fatalf("--adaptive=false: exit %d: %s", code, stderr)
	}
	a, err := os.ReadFile(filepath.Join(adaptive, "sensitivity.csv"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(fixed, "sensitivity.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Errorf("adaptive sensitivity.csv differs from --adaptive=false -r 2:\n%s\nwant\n%s", a, b)
	}
}

// skipUnderRace skips a test that runs the whole command line many times
// over, drawing every chart each time, which the race detector slows some
// twentyfold; make test runs these tests again without it (SLOW_TESTS).
// Their code paths run under the race detector in smaller tests.
func skipUnderRace(t *testing.T) {
	t.Helper()
	if raceEnabled {
		t.Skip("too slow under the race detector: make test runs it without it")
	}
}

// TestSensitivityWorkLimit: an adaptive analysis is guarded by its first
// look, one replication of every end, not by its cap: it runs when the
// first look fits the work limit though the cap does not (where
// --adaptive=false is refused), and stops refining before a look that
// would pass the limit, saying so on stderr and in the table and naming
// the pairs left unsettled; a first look over the limit is refused. The
// two parameters leave every configuration the same forecast
// customer-months a replication, m: the first look runs 5 replications,
// the second 5 more.
func TestSensitivityWorkLimit(t *testing.T) {
	sets := []string{"population.initial=300", "horizon.periods=12"}
	base, err := scenarios.Load("baseline", scenarios.Sources{Sets: append(sets, "replications=1")})
	if err != nil {
		t.Fatal(err)
	}
	m := sim.EstimateRun(base.Config, 1).CustomerMonths
	args := []string{"sensitivity", "baseline", "--params", "pricing.list_price,service.self_cost", "--top", "1",
		"--set", sets[0], "--set", sets[1], "--replications", "30"}
	defer func(limit float64) { workLimit = limit }(workLimit)
	for _, tc := range []struct {
		name           string
		limit          float64 // in replications of m
		fixed          bool    // --adaptive=false
		code           int
		stdout, stderr []string
	}{
		{"fixed over the limit", 7, true, exitUsage, nil, []string{"exceeds the limit"}},
		{"first look over the limit", 4.5, false, exitUsage, nil, []string{"exceeds the limit"}},
		{"second look over the limit", 7, false, exitOK,
			[]string{"refinement stopped at the work limit", "rank 1 ", " unsettled; pass --allow-large to go on"},
			[]string{"first look, 1 replication(s)", "at most 30 replications (the cap)", "refinement stops at the work limit",
				"sensitivity: refinement stopped at the work limit"}},
		{"within the limit", 30 * 5, false, exitOK, []string{"the order of the top 1 was settled"}, []string{"first look, 1 replication(s)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			workLimit = tc.limit * m
			a := append(slices.Clone(args), "--out", t.TempDir())
			if tc.fixed {
				a = append(a, "--adaptive=false")
			}
			code, stdout, stderr := cli(t, a...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d: %s", code, tc.code, stderr)
			}
			for _, w := range tc.stdout {
				if !strings.Contains(stdout, w) {
					t.Errorf("stdout lacks %q:\n%s", w, stdout)
				}
			}
			for _, w := range tc.stderr {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
		})
	}
}
