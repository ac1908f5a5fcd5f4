package main

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mathext"
)

// Fader & Hardie (2007), regular segment: customers active at the start of
// each year.
const regularSegment = "period,alive\n0,1000\n1,631\n2,468\n3,382\n4,326\n5,289\n6,262\n7,241\n8,223\n9,207\n10,194\n11,183\n12,173\n"

// Fit, then simulate: the emitted scenario validates and runs, and under the
// neutral policy its first cohort's survival matches the fitted sBG curve
// within 4 Monte Carlo standard errors at every period, for rows that are
// the scenario's periods and for yearly rows fitted per month (--every 12).
func TestFitEmitsARunnableScenario(t *testing.T) {
	yearly, err := os.ReadFile(filepath.Join("..", "..", "examples", "fader-hardie-2007-regular.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		data      string
		args      []string
		periods   int
		published bool // alpha and beta are the published per-row estimates
	}{
		{"rows are periods", regularSegment, nil, 13, true},
		{"yearly rows, monthly scenario", string(yearly), []string{"--every", "12"}, 37, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fitEmitAndRun(t, tc.data, tc.args, tc.periods, tc.published)
		})
	}
}

// fitEmitAndRun fits data with args, emits a scenario extending neutral,
// runs it over periods and checks the simulated survival of the first
// cohort against the fitted curve.
func fitEmitAndRun(t *testing.T, data string, args []string, periods int, published bool) {
	t.Helper()
	dir := t.TempDir()
	file := filepath.Join(dir, "regular.csv")
	if err := os.WriteFile(file, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	scenario := filepath.Join(dir, "fitted.yaml")
	code, stdout, stderr := cli(t, append([]string{"fit", file, "--train", "8", "--json", "--out", dir, "--emit-scenario", scenario, "--base", "neutral"}, args...)...)
	if code != exitOK {
		t.Fatalf("fit: exit %d: %s", code, stderr)
	}
	var res struct{ Alpha, Beta float64 }
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatal(err)
	}
	if published && (math.Abs(res.Alpha-0.704) > 0.001 || math.Abs(res.Beta-1.182) > 0.001) {
		t.Errorf("alpha %.4f beta %.4f, published 0.704 and 1.182", res.Alpha, res.Beta)
	}
	emitted, err := os.ReadFile(scenario)
	if err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256([]byte(data)); !strings.Contains(string(emitted), hex.EncodeToString(sum[:])) {
		t.Errorf("the emitted scenario does not record the data's SHA-256 %x:\n%s", sum, emitted)
	}
	if code, _, stderr := cli(t, "validate", scenario); code != exitOK {
		t.Fatalf("validate: exit %d: %s", code, stderr)
	}
	out := filepath.Join(dir, "run")
	const reps = 20
	code, _, stderr = cli(t, "run", scenario, "--out", out, "--replications", strconv.Itoa(reps), "--set", "population.initial=2000", "--set", "horizon.periods="+strconv.Itoa(periods))
	if code != exitOK {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	f, err := os.Open(filepath.Join(out, "metrics.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, r := range rows[1:] {
		if r[2] != "survival" {
			continue
		}
		p, _ := strconv.Atoi(r[1])
		mean, _ := strconv.ParseFloat(r[3], 64)
		sd, _ := strconv.ParseFloat(r[4], 64)
		want := math.Exp(mathext.Lbeta(res.Alpha, res.Beta+float64(p)) - mathext.Lbeta(res.Alpha, res.Beta))
		if se := sd / math.Sqrt(reps); math.Abs(mean-want) > 4*se+1e-12 {
			t.Errorf("period %d: simulated survival %.4f, fitted %.4f, 4 SE %.4f", p, mean, want, 4*se)
		}
		checked++
	}
	if checked != periods {
		t.Errorf("checked %d periods, want %d", checked, periods)
	}
}

func TestFitRejectsBadFilesWithTheLine(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(bad, []byte("period,alive\n0,100\n1,120\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := cli(t, "fit", bad, "--out", filepath.Join(dir, "out"))
	if code != exitUsage {
		t.Errorf("exit %d, want %d", code, exitUsage)
	}
	if want := bad + ":3:"; !strings.Contains(stderr, want) {
		t.Errorf("stderr %q lacks %q", stderr, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); err == nil {
		t.Error("output directory created for a bad file")
	}
}

// fit's seed comes from --seed, else RETSIM_SEED, else 1.
func TestFitSeedFromTheEnvironment(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "regular.csv")
	if err := os.WriteFile(data, []byte(regularSegment), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		env  string
		args []string
		want uint64
	}{
		{"", nil, 1},
		{"9007199254740993", nil, 9007199254740993},
		{"9007199254740993", []string{"--seed", "3"}, 3},
	} {
		t.Setenv("RETSIM_SEED", tc.env)
		if tc.env == "" {
			os.Unsetenv("RETSIM_SEED")
		}
		code, stdout, stderr := cli(t, append([]string{"fit", data, "--json", "--draws", "10", "--out", dir}, tc.args...)...)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		var res struct{ Seed uint64 }
		if err := json.Unmarshal([]byte(stdout), &res); err != nil {
			t.Fatal(err)
		}
		if res.Seed != tc.want {
			t.Errorf("RETSIM_SEED=%q %v: seed %d, want %d", tc.env, tc.args, res.Seed, tc.want)
		}
	}
}

// Rows named in a unit other than the scenario's period are refused
// unless --every says how many periods apart they are, in one line naming
// the file and what to pass; rows named period take --every as given. A
// fit writes report.html, listed in files.json.
func TestFitEvery(t *testing.T) {
	dir := t.TempDir()
	yearly := filepath.Join("..", "..", "examples", "fader-hardie-2007-regular.csv")
	unitless := filepath.Join(dir, "regular.csv")
	if err := os.WriteFile(unitless, []byte(regularSegment), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		args  []string
		code  int
		every int    // in the JSON of a fit that ran
		err   string // in stderr of one that did not
	}{
		{"years for months, unstated", []string{yearly}, exitUsage, 0, yearly + ": one row a year is 12 months of scenario baseline: pass --every 12 to fit churn per month\n"},
		{"years for months, misstated", []string{yearly, "--every", "3"}, exitUsage, 0, yearly + ": one row a year is 12 months of scenario baseline, not --every 3: pass --every 12\n"},
		{"years for months, stated", []string{yearly, "--every", "12"}, exitOK, 12, ""},
		{"unitless rows, stated", []string{unitless, "--every", "12"}, exitOK, 12, ""},
		{"unitless rows", []string{unitless}, exitOK, 1, ""},
		{"every 0", []string{unitless, "--every", "0"}, exitUsage, 0, "--every: must be from 1 to 1000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-"))
			code, stdout, stderr := cli(t, append([]string{"fit", "--json", "--train", "8", "--draws", "20", "--out", out}, tc.args...)...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d: %s", code, tc.code, stderr)
			}
			if tc.code != exitOK {
				if !strings.Contains(stderr, tc.err) || strings.Count(stderr, "\n") != 1 {
					t.Errorf("stderr %q, want one line with %q", stderr, tc.err)
				}
				if _, err := os.Stat(out); err == nil {
					t.Error("output directory created for a refused fit")
				}
				return
			}
			var res struct {
				Every       int
				Alpha, Beta float64
			}
			if err := json.Unmarshal([]byte(stdout), &res); err != nil {
				t.Fatal(err)
			}
			if res.Every != tc.every {
				t.Errorf("every %d, want %d", res.Every, tc.every)
			}
			index, err := os.ReadFile(filepath.Join(out, "files.json"))
			if err != nil {
				t.Fatal(err)
			}
			html, err := os.ReadFile(filepath.Join(out, "report.html"))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(index), `"report.html"`) || !strings.Contains(string(html), `id="verdict"`) {
				t.Errorf("files.json %s; report.html has a verdict: %v", index, strings.Contains(string(html), `id="verdict"`))
			}
		})
	}
}
