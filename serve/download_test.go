package serve

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/retsim/retsim/scenarios"
	"github.com/retsim/retsim/sim"
)

// moved is a request that moves giving with the panel and the dials.
func moved() url.Values {
	return url.Values{"ref": {"taking"}, "scenario": {"giving"}, "reps": {"3"}, "horizon.periods": {"18"},
		"policy.giving": {"0.7"}, "churn.alpha": {"0.9"}, "seed": {"11"}, "rep": {"2"}, "customer": {"5"}}
}

// TestScenarioFileLoads: the scenario downloaded loads, as `retsim run`
// loads a file, into the configuration the explorer ran: the moved
// scenario with the reference's seed and the replications. A file given at
// start is extended by its absolute path.
func TestScenarioFileLoads(t *testing.T) {
	dir := t.TempDir()
	mine := filepath.Join(dir, "mine.yaml")
	if err := os.WriteFile(mine, []byte("extends: giving\ndescription: Mine.\nmarket:\n  cac: 90\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := newServer(t, mine)
	for _, scenario := range []string{"giving", mine} {
		q := moved()
		q.Set("scenario", scenario)
		rec := get(context.Background(), s, "/api/scenario.yaml", q)
		if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Disposition"), "attachment") {
			t.Fatalf("%s: status %d, %q: %s", scenario, rec.Code, rec.Header().Get("Content-Disposition"), rec.Body)
		}
		file := filepath.Join(t.TempDir(), "moved.yaml")
		if err := os.WriteFile(file, rec.Body.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := scenarios.Load(file, scenarios.Sources{})
		if err != nil {
			t.Fatalf("%s: the file does not load: %v\n%s", scenario, err, rec.Body)
		}
		req, err := parseValues(q, s.choices)
		if err != nil {
			t.Fatal(err)
		}
		_, want, err := req.load(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.Config, want.Config) {
			t.Errorf("%s: the file loads another configuration than the explorer ran:\n%s", scenario, rec.Body)
		}
		if got.Config.Seed != 11 || got.Config.Replications != 3 || got.Config.Policy.Giving != 0.7 || got.Config.Churn.Alpha != 0.9 {
			t.Errorf("%s: seed %d, replications %d, giving %g, churn.alpha %g", scenario, got.Config.Seed, got.Config.Replications, got.Config.Policy.Giving, got.Config.Churn.Alpha)
		}
	}
}

// TestDataFile: the data download is comparison_series.csv of the
// comparison: a header and a row for each period of each series.
func TestDataFile(t *testing.T) {
	rec := get(context.Background(), newServer(t), "/api/data.csv", moved())
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") {
		t.Fatalf("status %d, %q: %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	rows, err := csv.NewReader(rec.Body).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 1+18 || !strings.Contains(strings.Join(rows[0], ","), "period") {
		t.Errorf("%d rows, header %v", len(rows), rows[0])
	}
}

// TestNoReport: a server without a Reporter answers the report with 404.
func TestNoReport(t *testing.T) {
	if rec := get(context.Background(), newServer(t), "/api/report.html", moved()); rec.Code != http.StatusNotFound {
		t.Errorf("status %d", rec.Code)
	}
}

// TestStory: the story of a customer is sim.Trace's under each policy,
// the reference with the shared horizon and seed only; a customer or
// replication beyond the run is refused beside its control.
func TestStory(t *testing.T) {
	s := newServer(t)
	rec := get(context.Background(), s, "/api/story", moved())
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var got Stories
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	req, err := parseValues(moved(), s.choices)
	if err != nil {
		t.Fatal(err)
	}
	ref, alt, err := req.load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for i, cfg := range []sim.Config{ref.Config, alt.Config} {
		want, _, err := sim.Trace(context.Background(), cfg, 2, 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Stories) != 2 || !reflect.DeepEqual(got.Stories[i], *want) {
			t.Errorf("story %d is not sim.Trace's", i)
		}
	}
	if got.Reference != "taking" || got.Scenario != "moved giving" {
		t.Errorf("stories of %q and %q", got.Reference, got.Scenario)
	}
	for _, tc := range []struct{ key, value, want string }{
		{"rep", "3", "rep: must be from 0 to 2"},
		{"customer", "10000000", "customer: must be from 0 to"},
		{"customer", "-1", "customer: must be a whole number from 0"},
	} {
		q := moved()
		q.Set(tc.key, tc.value)
		rec := get(context.Background(), s, "/api/story", q)
		var f Failure
		_ = json.Unmarshal(rec.Body.Bytes(), &f)
		if rec.Code != http.StatusBadRequest || f.Field != tc.key || !strings.HasPrefix(f.Error, tc.want) {
			t.Errorf("%s=%s: status %d, %+v", tc.key, tc.value, rec.Code, f)
		}
	}
}

// TestParameters: the panel offers every parameter of sim.Params but
// replications, with its unit, range and source, the dials marked.
func TestParameters(t *testing.T) {
	ps := Parameters()
	if len(ps) != len(sim.Params)-1 {
		t.Errorf("%d parameters, want %d", len(ps), len(sim.Params)-1)
	}
	dials := 0
	for _, p := range ps {
		q, _ := sim.Lookup(p.Key)
		if p.Unit != q.Unit || p.Range != q.Range() || p.Source != q.Source || p.Doc != q.Doc || p.Key == "replications" {
			t.Errorf("%s: %+v", p.Key, p)
		}
		if p.Dial {
			dials++
		}
	}
	if dials != len(Dials) {
		t.Errorf("%d dials marked, want %d", dials, len(Dials))
	}
}
