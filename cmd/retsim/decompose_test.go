package main

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// readCSVFile reads a CSV file of out as rows keyed by column name.
func readCSVFile(t *testing.T, path string) []map[string]string {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	rows, err := csv.NewReader(fh).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var out []map[string]string
	for _, r := range rows[1:] {
		m := map[string]string{}
		for i, h := range rows[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

func TestCompareDecompose(t *testing.T) {
	out := t.TempDir()
	args := []string{"compare", "taking", "giving", "--decompose", "-r", "4", "--out", out, "--set", "population.initial=300", "--set", "horizon.periods=12"}
	code, stdout, stderr := cli(t, args...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	totals := map[string]string{} // outcome -> comparison.csv's mean_diff
	for _, r := range readCSVFile(t, filepath.Join(out, "comparison.csv")) {
		totals[r["outcome"]] = r["mean_diff"]
	}
	sums, groups := map[string]float64{}, map[string][]string{}
	for _, r := range readCSVFile(t, filepath.Join(out, "decomposition.csv")) {
		o := r["outcome"]
		if r["group"] == "total" {
			if r["mean"] != totals[o] {
				t.Errorf("%s: total %s, want comparison.csv's mean difference %s", o, r["mean"], totals[o])
			}
			continue
		}
		x, err := strconv.ParseFloat(r["mean"], 64)
		if err != nil {
			t.Fatalf("%s, %s: mean %q: %v", o, r["group"], r["mean"], err)
		}
		sums[o] += x
		groups[o] = append(groups[o], r["group"]+"="+r["parameters"])
	}
	if len(sums) != len(totals) {
		t.Fatalf("decomposition.csv has %d outcomes, comparison.csv %d", len(sums), len(totals))
	}
	want := "learning=learning.budget policy.giving=policy.giving policy.generosity=policy.generosity policy.human_share=policy.human_share policy.staff_skill=policy.staff_skill policy.people=policy.people"
	for o, sum := range sums {
		total, _ := strconv.ParseFloat(totals[o], 64)
		if math.Abs(sum-total) > 1e-9*math.Max(1, math.Abs(total)) {
			t.Errorf("%s: parts add up to %g, want the comparison's total difference %g", o, sum, total)
		}
		if got := strings.Join(groups[o], " "); got != want {
			t.Errorf("%s: groups %s, want the dials and sections in which giving differs from taking: %s", o, got, want)
		}
	}
	for _, f := range []string{"decomposition.png", "decomposition.svg"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("%s not written: %v", f, err)
		}
	}
	html, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Which lever earns the difference: giving minus taking", `id="chart-decomposition"`} {
		if !strings.Contains(string(html), s) {
			t.Errorf("report.html lacks %q", s)
		}
	}
	if !strings.Contains(stdout, "giving minus taking split among 6 groups of parameters") {
		t.Errorf("decomposition table not printed:\n%s", stdout)
	}
}

func TestCompareDecomposeRejects(t *testing.T) {
	small := []string{"-r", "2", "--set", "population.initial=300", "--set", "horizon.periods=12"}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"three scenarios", []string{"compare", "taking", "baseline", "giving", "--decompose"}, "two scenarios"},
		{"independent seeds", []string{"compare", "taking", "giving", "--decompose", "--independent"}, "common random numbers"},
		{"identical scenarios", []string{"compare", "giving", "giving", "--decompose"}, "do not differ in any parameter"},
		{"unknown group", []string{"compare", "taking", "giving", "--decompose-groups", "policy.giving,tacking"}, `"tacking" is neither a parameter nor a section`},
		{"too many groups", []string{"compare", "taking", "giving", "--decompose-groups",
			"policy.giving,policy.generosity,policy.human_share,policy.staff_skill,taking,giving,discounts,generosity,pricing,market,churn"},
			"churn, other), at most 10"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			code, _, stderr := cli(t, append(append(tc.args, "--out", out), small...)...)
			if code != exitUsage || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, exitUsage, tc.want)
			}
			if strings.Contains(tc.name, "too many") && (strings.Count(strings.TrimSpace(stderr), "\n") > 0 || !strings.Contains(stderr, "--decompose-groups")) {
				t.Errorf("stderr %q: want one line suggesting --decompose-groups", stderr)
			}
			if entries, _ := os.ReadDir(out); len(entries) > 0 {
				t.Errorf("%d files written into --out, want none", len(entries))
			}
		})
	}
}
