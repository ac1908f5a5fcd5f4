package main

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/retsim/retsim/serve"
)

// explorerGet serves GET path?q on the explorer as retsim serve builds it
// (its guard and its report) and returns the body, failing on any status
// but 200.
func explorerGet(t *testing.T, path string, q url.Values) []byte {
	t.Helper()
	srv, err := serve.New(nil, serveGuard, serveReport)
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequestWithContext(context.Background(), http.MethodGet, path+"?"+q.Encode(), nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("%s: status %d: %s", path, rec.Code, rec.Body)
	}
	return rec.Body.Bytes()
}

// verdictOf is the text of report.html's verdict.
var verdictOf = regexp.MustCompile(`(?s)id="verdict">(.*?)</div>`)

// TestExplorerMatchesCompare: the explorer's verdict and its numbers are
// those of `retsim compare REF FILE` run on the scenario file the explorer
// downloads, with the same replications and horizon: the paired
// difference (mean, intervals, share ahead) and the crossover equal
// comparison.json's to the bit, the sentence states them, and the
// explorer's report.html has the CLI's verdicts.
func TestExplorerMatchesCompare(t *testing.T) {
	q := url.Values{"ref": {"taking"}, "scenario": {"giving"}, "reps": {"4"}, "horizon.periods": {"24"}, "policy.giving": {"0.8"}}
	var res struct {
		Verdict   string
		Outcome   map[string]any
		Crossover map[string]any
	}
	if err := json.Unmarshal(explorerGet(t, "/api/run", q), &res); err != nil {
		t.Fatal(err)
	}
	yaml := explorerGet(t, "/api/scenario.yaml", q)
	dir := t.TempDir()
	// The file says which command compares it as the explorer does.
	_, command, ok := strings.Cut(string(yaml), "#   retsim compare ")
	if !ok {
		t.Fatalf("no compare command in the scenario file:\n%s", yaml)
	}
	args := append([]string{"compare"}, strings.Fields(strings.SplitN(command, "\n", 2)[0])...)
	if want := []string{"compare", "taking", "moved-giving.yaml", "--replications", "4", "--set", "horizon.periods=24"}; !reflect.DeepEqual(args, want) {
		t.Errorf("command %q, want %q", args, want)
	}
	args[2] = filepath.Join(dir, args[2])
	if err := os.WriteFile(args[2], yaml, 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if code, _, stderr := cli(t, append(args, "--out", out)...); code != exitOK {
		t.Fatalf("compare: exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(filepath.Join(out, "comparison.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cmp struct {
		Outcomes   []map[string]any
		Crossovers []map[string]any
	}
	if err := json.Unmarshal(data, &cmp); err != nil {
		t.Fatal(err)
	}
	var diff map[string]any
	for _, o := range cmp.Outcomes {
		if o["outcome"] == "cumulative_discounted_profit" {
			diff = o["diff"].(map[string]any)
		}
	}
	if !reflect.DeepEqual(res.Outcome["diff"], diff) {
		t.Errorf("explorer's difference %v,\ncompare's %v", res.Outcome["diff"], diff)
	}
	for _, x := range cmp.Crossovers {
		if x["metric"] == "cumulative_discounted_profit" {
			x["scenario"] = res.Crossover["scenario"]
			if !reflect.DeepEqual(res.Crossover, x) {
				t.Errorf("explorer's crossover %v,\ncompare's %v", res.Crossover, x)
			}
		}
	}
	// The sentence states compare's numbers, to three significant digits.
	mean := diff["mean_diff"].(float64)
	div := 1.0
	for _, d := range []float64{1e3, 1e6, 1e9} {
		if math.Abs(mean) >= d {
			div = d
		}
	}
	ci := diff["ci95"].(map[string]any)
	for _, x := range []float64{math.Abs(mean), ci["low"].(float64), ci["high"].(float64)} {
		if s := strconv.FormatFloat(x/div, 'g', 3, 64); !strings.Contains(res.Verdict, s) {
			t.Errorf("verdict %q does not state %s", res.Verdict, s)
		}
	}
	beats := strconv.FormatFloat(math.Round(100*diff["p_beats"].(float64)), 'f', 0, 64) + "% of 4 replications"
	if !strings.Contains(res.Verdict, beats) {
		t.Errorf("verdict %q does not state %q", res.Verdict, beats)
	}
	// report.html: the explorer's verdicts are the CLI's, but for the name of
	// the moved scenario (the CLI names it after its file).
	cliReport, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	want := verdictOf.FindSubmatch(cliReport)
	got := verdictOf.FindSubmatch(explorerGet(t, "/api/report.html", q))
	if want == nil || got == nil {
		t.Fatalf("no verdict in a report: CLI's %v, explorer's %v", want != nil, got != nil)
	}
	if w := strings.ReplaceAll(string(want[1]), "moved-giving", "moved giving"); w != string(got[1]) {
		t.Errorf("explorer's report verdicts %s,\nCLI's %s", got[1], w)
	}
}
