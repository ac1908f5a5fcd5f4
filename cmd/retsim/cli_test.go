package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/retsim/retsim/sim"
)

func TestVersion(t *testing.T) {
	code, stdout, stderr := cli(t, "--version")
	if code != exitOK || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	for _, want := range []string{sim.Version, runtime.Version()} {
		if !strings.Contains(stdout, want) {
			t.Errorf("--version printed %q, want it to contain %q", stdout, want)
		}
	}
}

// goIdentifier matches a Go package-qualified name such as sim.Params.
var goIdentifier = regexp.MustCompile(`\b(sim|compare|scenarios|output|plots|report|fit|cobra|pflag|strconv)\.[A-Z]`)

// TestUsageMistakes checks that every mistake on the command line exits
// with status 2 and one plain line: prefixed once with "retsim: ", without
// Go identifiers.
func TestUsageMistakes(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"frobnicate"}, `retsim: unknown command "frobnicate" (see 'retsim --help')`},
		{[]string{"runn"}, "did you mean run?"},
		{[]string{"run", "a", "b"}, "retsim: run: takes 1 scenario, got 2"},
		{[]string{"compare", "taking"}, "retsim: compare: takes at least 2 scenarios, got 1"},
		{[]string{"run", "baseline", "--no-such-flag"}, "unknown flag: --no-such-flag"},
		{[]string{"sweep", "baseline", "--param", "nope=0:1:3"}, "nope: unknown parameter (see 'retsim params')"},
		{[]string{"help", "frob"}, `retsim: help: unknown help topic "frob"`},
		{[]string{"completion", "frob"}, `retsim: unknown command "frob" (see 'retsim completion --help')`},
		{[]string{"scenarios", "frob"}, "retsim: scenarios: takes 0 arguments, got 1"},
		{[]string{"run", "baseline", "--replications", "many"}, `retsim: --replications: "many" is not a whole number`},
		{[]string{"run", "baseline", "--seed", "-1"}, `retsim: --seed: "-1" is not a whole number >= 0`},
		{[]string{"compare", "a", "b", "--precision", "tight"}, `retsim: --precision: "tight" is not a number`},
		{[]string{"run", "baseline", "--precision", "-1"}, "--precision: must be a finite number > 0, got -1"},
		{[]string{"run", "baseline", "--outcome", "nope"}, `--outcome: unknown outcome "nope"`},
		{[]string{"run", "baseline+policy.giving=2"}, "policy.giving: must be in [0, 1], got 2"},
		{[]string{"sweep", "baseline", "--param", "policy.giving=0:1:3", "--against", "nosuch"}, "nosuch: unknown built-in scenario"},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			code, _, stderr := cli(t, c.args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d (usage)", code, exitUsage)
			}
			if !strings.Contains(stderr, c.want) {
				t.Errorf("stderr %q lacks %q", stderr, c.want)
			}
			if strings.Count(stderr, "retsim: ") != 1 || strings.Contains(stderr, "retsim: retsim") {
				t.Errorf("stderr %q: want one line with one retsim: prefix", stderr)
			}
			if m := goIdentifier.FindString(stderr); m != "" {
				t.Errorf("stderr %q names a Go identifier %q", stderr, m)
			}
		})
	}
}

// TestReportManifest checks that report.html records the command line and
// the version that made it.
func TestReportManifest(t *testing.T) {
	out := t.TempDir()
	args := append([]string{"run", "baseline", "--out", out}, small...)
	if code, _, stderr := cli(t, args...); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	for _, want := range []string{"retsim run baseline --out=" + out, "--replications=3", "--set=population.initial=300", "--set=horizon.periods=12",
		"retsim " + sim.Version + ", built with " + runtime.Version()} {
		if !strings.Contains(page, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
}

// TestFilesIndex checks that files.json lists exactly the files each
// command that writes an output set wrote, itself and report.html
// included, and the command line.
func TestFilesIndex(t *testing.T) {
	fitData := filepath.Join("..", "..", "examples", "fader-hardie-2007-regular.csv")
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{append([]string{"compare", "taking", "giving"}, small...), []string{"comparison.csv", "difference.png"}},
		{append([]string{"sweep", "baseline", "--param", "policy.giving=0:1:2"}, small...), []string{"sweep.csv", "sweep.png"}},
		{append([]string{"sensitivity", "baseline", "--params", "policy.giving"}, small...), []string{"sensitivity.csv", "sensitivity.png"}},
		{[]string{"fit", fitData, "--every", "12", "--draws", "10"}, []string{"fit_survival.png", "fit_survival.svg"}},
	} {
		t.Run(tc.args[0], func(t *testing.T) {
			out := t.TempDir()
			if code, _, stderr := cli(t, append(tc.args, "--out", out)...); code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			b, err := os.ReadFile(filepath.Join(out, "files.json"))
			if err != nil {
				t.Fatal(err)
			}
			var ix struct {
				Engine, Command string
				Files           []string
			}
			if err := json.Unmarshal(b, &ix); err != nil {
				t.Fatalf("files.json: %v", err)
			}
			if !strings.HasPrefix(ix.Command, "retsim "+tc.args[0]+" "+tc.args[1]) || ix.Engine != "retsim "+sim.Version {
				t.Errorf("files.json: command %q, engine %q", ix.Command, ix.Engine)
			}
			listed := map[string]bool{}
			for _, f := range ix.Files {
				listed[f] = true
				if _, err := os.Stat(filepath.Join(out, f)); err != nil {
					t.Errorf("files.json lists %s: %v", f, err)
				}
			}
			entries, err := os.ReadDir(out)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				if !strings.HasPrefix(e.Name(), ".") && !listed[e.Name()] {
					t.Errorf("%s written but not in files.json", e.Name())
				}
			}
			for _, want := range append(tc.want, "report.html", "files.json") {
				if !listed[want] {
					t.Errorf("files.json lacks %s", want)
				}
			}
		})
	}
}

// retsim params says what each parameter means and where its default comes
// from, on the parameter's line, after its range and default.
func TestParamsShowMeaning(t *testing.T) {
	code, stdout, stderr := cli(t, "params")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(stdout, "\n")
	if !strings.Contains(lines[0], "MEANING") {
		t.Errorf("header %q lacks MEANING", lines[0])
	}
	for _, p := range sim.Params {
		i := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, p.Key+" ") })
		if i < 0 || !strings.Contains(lines[i], p.Doc) || !strings.Contains(lines[i], "["+p.Source+"]") {
			t.Errorf("no line for %s with its meaning %q and source", p.Key, p.Doc)
		}
	}
}
