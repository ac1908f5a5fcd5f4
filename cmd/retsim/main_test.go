package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
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

// Bad usage and configuration: exit 2, one line naming what is wrong, and
// nothing written.
func TestBadInputExitsTwoAndWritesNothing(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	negative := write("negative.yaml", "churn:\n  alpha: -1\n")
	typo := write("typo.yaml", "churn:\n  alpah: 1\n")
	for _, tc := range []struct {
		name string
		args []string
		want string // in the error line
	}{
		{"no scenario", []string{"run"}, "takes 1 argument"},
		{"unknown scenario", []string{"run", "no-such-scenario"}, "no-such-scenario"},
		{"negative alpha in file", []string{"run", negative}, "churn.alpha: must be > 0, got -1"},
		{"misspelled key", []string{"run", typo}, "churn.alpha"},
		{"set without value", []string{"run", "neutral", "--set", "churn.alpha"}, "churn.alpha"},
		{"set NaN", []string{"run", "neutral", "--set", "churn.alpha=NaN"}, "churn.alpha"},
		{"probability above 1", []string{"run", "neutral", "--set", "policy.giving=1.5"}, "policy.giving: must be in [0, 1]"},
		{"negative count", []string{"run", "neutral", "--set", "population.initial=-5"}, "population.initial"},
		{"bad flag", []string{"run", "neutral", "--replications", "many"}, "replications"},
		{"zero replications", []string{"run", "neutral", "--replications", "0"}, "replications"},
		{"negative workers", []string{"run", "neutral", "--workers", "-1"}, "--workers"},
		{"unknown flag", []string{"run", "neutral", "--bogus"}, "bogus"},
		{"compare one", []string{"compare", "taking"}, "at least 2"},
		{"validate nothing", []string{"validate"}, "at least one"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			args := tc.args
			if args[0] == "run" || args[0] == "compare" {
				args = append(args, "--out", out)
			}
			code, stdout, stderr := cli(t, args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d; stderr %q", code, exitUsage, stderr)
			}
			if lines := strings.Count(strings.TrimSpace(stderr), "\n") + 1; lines != 1 || !strings.Contains(stderr, tc.want) {
				t.Errorf("stderr %q: want one line containing %q", stderr, tc.want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("%s was created; stdout %q", out, stdout)
			}
		})
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

// SIGINT or SIGTERM stops a run within a second with status 130 and leaves
// the previous outputs as they were, with no temporary files.
func TestInterruptionStopsCleanly(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			out := t.TempDir()
			previous := filepath.Join(out, "metrics.csv")
			if err := os.WriteFile(previous, []byte("previous"), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(os.Args[0], "run", "baseline", "--out", out, "--replications", "2000")
			cmd.Env = append(os.Environ(), "RETSIM_AS_CLI=1")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(500 * time.Millisecond)
			sent := time.Now()
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			if took := time.Since(sent); took > time.Second {
				t.Errorf("stopped %v after the signal, want within a second", took)
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
