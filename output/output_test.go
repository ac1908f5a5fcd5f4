package output

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/retsim/retsim/sim"
)

func summary(t *testing.T, workers int) *sim.Summary {
	t.Helper()
	cfg := sim.Default()
	cfg.Population.Initial = 500
	cfg.Horizon.Periods = 18
	cfg.Replications = 6
	cfg.Market.PaidPerPeriod = 30
	cfg.Market.CAC = 50
	r, err := sim.Run(context.Background(), "test", cfg, sim.Options{Workers: workers})
	if err != nil {
		t.Fatal(err)
	}
	return sim.Summarize(r)
}

// D5: metrics.csv, cohorts.csv and summary.json are byte-identical for 1, 2
// and 8 workers.
func TestFilesIdenticalForAnyWorkerCount(t *testing.T) {
	var want [][]byte
	for _, workers := range []int{1, 2, 8} {
		sums := []*sim.Summary{summary(t, workers)}
		var got [][]byte
		for _, f := range DataFiles(sums) {
			var b bytes.Buffer
			if err := f.Write(&b); err != nil {
				t.Fatal(err)
			}
			got = append(got, b.Bytes())
		}
		if want == nil {
			want = got
			continue
		}
		for i := range got {
			if !bytes.Equal(got[i], want[i]) {
				t.Errorf("%d workers: %s differs from 1 worker", workers, DataFiles(nil)[i].Name)
			}
		}
	}
}

func TestMetricsContract(t *testing.T) {
	s := summary(t, 0)
	var b bytes.Buffer
	if err := WriteMetrics(&b, []*sim.Summary{s}); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[0], ","); got != "scenario,period,metric,mean,sd,p05,p50,p95" {
		t.Fatalf("header %q", got)
	}
	if want := 1 + s.Config.Horizon.Periods*int(sim.NumMetrics); len(rows) != want {
		t.Errorf("%d rows, want %d (header + periods x metrics)", len(rows), want)
	}
	seen := map[string]bool{}
	for _, r := range rows[1:] {
		seen[r[2]] = true
	}
	for _, name := range []string{"active", "acquired", "acquired_paid", "acquired_discount", "acquired_referral",
		"churned", "churn_rate", "retention_rate", "survival", "goodwill", "promoters", "passives", "detractors",
		"nps", "referrals", "revenue", "cost", "profit", "cumulative_profit", "cumulative_discounted_profit",
		"cost_service", "cost_acquisition"} {
		if !seen[name] {
			t.Errorf("metric %s missing", name)
		}
	}
}

func TestSummaryJSON(t *testing.T) {
	var b bytes.Buffer
	if err := WriteSummary(&b, []*sim.Summary{summary(t, 0)}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Manifest  map[string]any   `json:"manifest"`
		Scenarios []map[string]any `json:"scenarios"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"engine", "seed", "replications", "config_sha256"} {
		if _, ok := doc.Manifest[k]; !ok {
			t.Errorf("manifest lacks %s", k)
		}
	}
	totals := doc.Scenarios[0]["totals"].(map[string]any)
	for _, k := range []string{"cumulative_profit", "cumulative_discounted_profit", "final_active", "final_nps", "clv_per_acquired", "cac_payback_periods", "customer_equity", "value"} {
		st, ok := totals[k].(map[string]any)
		if !ok {
			t.Fatalf("totals lack %s", k)
		}
		for _, q := range []string{"mean", "sd", "p05", "p50", "p95"} {
			if _, ok := st[q]; !ok {
				t.Errorf("totals.%s lacks %s", k, q)
			}
		}
	}
}

// A failing writer leaves the previous outputs as they were and no
// temporary files behind.
func TestWriteAllIsAtomic(t *testing.T) {
	dir := t.TempDir()
	ok := func(s string) File {
		return File{s, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }}
	}
	if err := os.WriteFile(filepath.Join(dir, "a.csv"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := File{"b.csv", func(w io.Writer) error { io.WriteString(w, "half"); return errors.New("boom") }}
	if _, err := WriteAll(dir, []File{ok("a.csv"), boom}); err == nil {
		t.Fatal("no error from a failing writer")
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a.csv")); string(b) != "old" {
		t.Errorf("a.csv = %q after a failed write, want the previous content", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries after a failed write, want only a.csv", len(entries))
	}
	if _, err := WriteAll(dir, []File{ok("a.csv"), ok("b.csv")}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "b.csv")); string(b) != "new" {
		t.Errorf("b.csv = %q", b)
	}
}

func TestCohortsContract(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCohorts(&b, []*sim.Summary{summary(t, 0)}); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[0][:5], ","); got != "scenario,cohort,channel,age,survival_mean" {
		t.Errorf("header starts %q", got)
	}
	if len(rows) < 2 || rows[1][2] != "initial" || rows[1][3] != "0" || rows[1][4] != "1" {
		t.Errorf("first row %v: want the initial cohort at age 0 with survival 1", rows[1])
	}
}

// Text cells starting like a spreadsheet formula are prefixed with a single
// quote; numbers, negative ones too, stay plain numbers.
func TestCSVTextCellsEscaped(t *testing.T) {
	for in, want := range map[string]string{
		`=HYPERLINK("http://x","y")`: `'=HYPERLINK("http://x","y")`,
		"+1":                         "'+1",
		"-5":                         "'-5",
		"@SUM(A1)":                   "'@SUM(A1)",
		"\tx":                        "'\tx",
		"\rx":                        "'\rx",
		"baseline":                   "baseline",
		"a=b":                        "a=b",
		"":                           "",
	} {
		if got := Cell(in); got != want {
			t.Errorf("Cell(%q) = %q, want %q", in, got, want)
		}
	}
	s := summary(t, 0)
	s.Scenario = `=HYPERLINK("http://x","y")`
	for _, tc := range []struct {
		name  string
		write func(io.Writer, []*sim.Summary) error
	}{{"metrics.csv", WriteMetrics}, {"cohorts.csv", WriteCohorts}} {
		var b bytes.Buffer
		if err := tc.write(&b, []*sim.Summary{s}); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&b).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		negatives := 0
		for _, r := range rows[1:] {
			if r[0] != `'=HYPERLINK("http://x","y")` {
				t.Fatalf("%s: scenario cell %q", tc.name, r[0])
			}
			for _, c := range r[1:] {
				if _, err := strconv.ParseFloat(c, 64); err == nil && strings.HasPrefix(c, "-") {
					negatives++
				}
			}
		}
		// Cumulative profit starts negative: acquisition costs come first.
		if tc.name == "metrics.csv" && negatives == 0 {
			t.Errorf("%s holds no plain negative number", tc.name)
		}
	}
}
