package serve

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/retsim/retsim/scenarios"
	"github.com/retsim/retsim/sim"
)

// allow is a guard that accepts every run.
func allow(string, []sim.Config) (sim.Options, error) { return sim.Options{}, nil }

func newServer(t *testing.T, files ...string) *Server {
	t.Helper()
	s, err := New(files, allow, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// get serves GET path?query on s with ctx, and returns the recorder.
func get(ctx context.Context, s http.Handler, path string, q url.Values) *httptest.ResponseRecorder {
	req := httptest.NewRequestWithContext(ctx, http.MethodGet, path+"?"+q.Encode(), nil)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec
}

func runResult(t *testing.T, s http.Handler, q url.Values) *Result {
	t.Helper()
	rec := get(context.Background(), s, "/api/run", q)
	if rec.Code != http.StatusOK {
		t.Fatalf("%s: status %d: %s", q.Encode(), rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	var res Result
	if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	return &res
}

// TestRunSeries: a run answers every chart with one value per period in
// every series, two lines (reference, scenario) in the scenarios' charts
// and one in the difference's, and a verdict.
func TestRunSeries(t *testing.T) {
	s := newServer(t)
	res := runResult(t, s, url.Values{"ref": {"taking"}, "scenario": {"giving"}, "reps": {"3"}, "horizon.periods": {"12"}, "policy.giving": {"0.8"}})
	if res.Periods != 12 || res.Replications != 3 || res.Reference != "taking" || res.Scenario != "moved giving" {
		t.Fatalf("got %d periods, %d replications, %s against %s", res.Periods, res.Replications, res.Scenario, res.Reference)
	}
	if len(res.Charts) != 4 {
		t.Fatalf("%d charts, want 4", len(res.Charts))
	}
	for i, c := range res.Charts {
		want := 2
		if i == 3 {
			want = 1
		}
		if len(c.Lines) != want || c.Band == "" {
			t.Errorf("%s: %d lines, band %q; want %d lines and a named band", c.Title, len(c.Lines), c.Band, want)
		}
		for _, l := range c.Lines {
			if len(l.Mean) != 12 || len(l.Low) != 12 || len(l.High) != 12 {
				t.Errorf("%s %s: lengths %d, %d, %d; want 12", c.Title, l.Name, len(l.Mean), len(l.Low), len(l.High))
			}
		}
	}
	if !strings.HasPrefix(res.Verdict, "moved giving is ") || !strings.Contains(res.Verdict, "taking") {
		t.Errorf("verdict %q", res.Verdict)
	}
}

// TestDialsMoveTheScenario: a scenario compared with itself differs by
// exactly zero in every replication and period (common random numbers);
// a dial moves the scenario only, so the difference is no longer zero.
func TestDialsMoveTheScenario(t *testing.T) {
	s := newServer(t)
	q := url.Values{"ref": {"baseline"}, "scenario": {"baseline"}, "reps": {"2"}, "horizon.periods": {"12"}}
	same := runResult(t, s, q)
	diff := same.Charts[3].Lines[0]
	for p := range diff.Mean {
		if diff.Mean[p] != 0 || diff.Low[p] != 0 || diff.High[p] != 0 {
			t.Fatalf("period %d: difference %v [%v, %v] between identical scenarios, want 0", p, diff.Mean[p], diff.Low[p], diff.High[p])
		}
	}
	if !strings.Contains(same.Verdict, "the same discounted profit") {
		t.Errorf("verdict %q", same.Verdict)
	}
	q.Set("policy.giving", "1")
	moved := runResult(t, s, q)
	if moved.Scenario != "moved baseline" || same.Scenario != "baseline" {
		t.Errorf("scenarios named %q, then %q; want baseline, then moved baseline", same.Scenario, moved.Scenario)
	}
	last := moved.Charts[3].Lines[0].Mean[11]
	if last == 0 {
		t.Errorf("policy.giving=1 left the difference at zero")
	}
	// The reference's line is the same as before: the dial did not move it.
	if a, b := same.Charts[2].Lines[0].Mean[11], moved.Charts[2].Lines[0].Mean[11]; a != b {
		t.Errorf("reference's discounted profit moved from %v to %v", a, b)
	}
}

// TestRefused: what a client may not ask is refused with 400 (414 for a
// long query) and a message of one line naming the parameter at fault,
// the same message --set gives for a bad value.
func TestRefused(t *testing.T) {
	dir := t.TempDir()
	notGiven := filepath.Join(dir, "mine.yaml")
	if err := os.WriteFile(notGiven, []byte("extends: baseline\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := newServer(t)
	base := func(kv ...string) url.Values {
		q := url.Values{"ref": {"taking"}, "scenario": {"giving"}}
		for i := 0; i < len(kv); i += 2 {
			q.Add(kv[i], kv[i+1])
		}
		return q
	}
	for _, tc := range []struct {
		name   string
		q      url.Values
		status int
		field  string
		msg    string
	}{
		{"out of range", base("policy.giving", "2"), 400, "policy.giving", "set:policy.giving=2: policy.giving: must be in [0, 1], got 2"},
		{"not a number", base("switching.cost", "abc"), 400, "switching.cost", `set:switching.cost=abc: switching.cost: must be a number, got "abc"`},
		{"not whole", base("horizon.periods", "12.5"), 400, "horizon.periods", "set:horizon.periods=12.5: horizon.periods: must be a whole number, got 12.5"},
		{"no replications", base("reps", "0"), 400, "reps", `reps: must be a whole number from 1 to 64, got "0"`},
		{"too many replications", base("reps", "65"), 400, "reps", `reps: must be a whole number from 1 to 64, got "65"`},
		{"unknown parameter", base("churn.nope", "1"), 400, "churn.nope", `unknown parameter "churn.nope"`},
		{"replications", base("replications", "10"), 400, "replications", `unknown parameter "replications"`},
		{"twice", base("policy.people", "0.1", "policy.people", "0.2"), 400, "policy.people", "policy.people: given 2 times; give it once"},
		{"long value", base("policy.people", strings.Repeat("1", 65)), 400, "policy.people", "policy.people: value of 65 bytes exceeds the limit of 64"},
		{"file not given", url.Values{"ref": {"taking"}, "scenario": {notGiven}}, 400, "scenario", `scenario: "` + notGiven + `" is not offered; choose a built-in scenario or a file given at start`},
		{"system file", url.Values{"ref": {"/etc/passwd"}, "scenario": {"giving"}}, 400, "ref", `ref: "/etc/passwd" is not offered; choose a built-in scenario or a file given at start`},
		{"long query", base("policy.people", strings.Repeat("x", MaxQuery)), 414, "", "exceeds the limit of 2048"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := get(context.Background(), s, "/api/run", tc.q)
			var f Failure
			if err := json.Unmarshal(rec.Body.Bytes(), &f); err != nil {
				t.Fatalf("status %d, body %q: %v", rec.Code, rec.Body, err)
			}
			if rec.Code != tc.status || f.Field != tc.field || !strings.HasSuffix(f.Error, tc.msg) || strings.Contains(f.Error, "\n") {
				t.Errorf("status %d, field %q, error %q; want %d, %q, %q", rec.Code, f.Field, f.Error, tc.status, tc.field, tc.msg)
			}
		})
	}
}

// TestSameMessageAsSet: the message for a bad dial, or a bad value of
// any parameter of the panel, is the one scenarios.Load gives the same
// --set argument, and names the parameter as the field at fault.
func TestSameMessageAsSet(t *testing.T) {
	s := newServer(t)
	for _, kv := range [][2]string{{"policy.human_share", "-0.5"}, {"churn.alpha", "0"}, {"seed", "-1"},
		{"horizon.periods_per_year", "2.5"}, {"market.cac", "abc"}} {
		t.Run(kv[0], func(t *testing.T) {
			_, want := scenarios.Load("giving", scenarios.Sources{Sets: []string{kv[0] + "=" + kv[1]}})
			rec := get(context.Background(), s, "/api/run", url.Values{"ref": {"taking"}, "scenario": {"giving"}, kv[0]: {kv[1]}})
			var f Failure
			if err := json.Unmarshal(rec.Body.Bytes(), &f); err != nil || want == nil || f.Error != want.Error() {
				t.Errorf("got %q (%v), want %v", f.Error, err, want)
			}
			if rec.Code != http.StatusBadRequest || f.Field != kv[0] {
				t.Errorf("status %d, field %q", rec.Code, f.Field)
			}
		})
	}
}

// TestFileGivenAtStart: a file named at start is offered, and runs; a bad
// one is refused at start with the loader's message.
func TestFileGivenAtStart(t *testing.T) {
	dir := t.TempDir()
	mine := filepath.Join(dir, "mine.yaml")
	if err := os.WriteFile(mine, []byte("extends: baseline\npolicy:\n  giving: 0.9\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := newServer(t, mine)
	rec := get(context.Background(), s, "/api/scenarios", nil)
	if !strings.Contains(rec.Body.String(), `"name":"`+mine+`"`) || !strings.Contains(rec.Body.String(), `"policy.giving":0.9`) {
		t.Errorf("file not offered with its dials: %s", rec.Body)
	}
	if !strings.Contains(rec.Body.String(), `"defaults":["baseline","`+mine+`"]`) {
		t.Errorf("the page does not open on the file against baseline: %s", rec.Body)
	}
	res := runResult(t, s, url.Values{"ref": {"baseline"}, "scenario": {mine}, "reps": {"2"}, "horizon.periods": {"6"}})
	if res.Scenario != "mine" {
		t.Errorf("scenario %q, want mine", res.Scenario)
	}
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("policy:\n  giving: 7\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var se *scenarios.Error
	if _, err := New([]string{bad}, allow, nil); !errors.As(err, &se) {
		t.Errorf("New with a bad file: %v, want a *scenarios.Error", err)
	}
}

// TestGuardRefuses: a run the guard refuses is not simulated; its message
// reaches the client.
func TestGuardRefuses(t *testing.T) {
	s, err := New(nil, func(string, []sim.Config) (sim.Options, error) {
		return sim.Options{}, errors.New("serve: forecast too large; lower replications")
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	rec := get(context.Background(), s, "/api/run", url.Values{"ref": {"taking"}, "scenario": {"giving"}})
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "forecast too large") {
		t.Errorf("status %d, body %s", rec.Code, rec.Body)
	}
}

// TestCancelStops: a run whose client goes away stops: the handler returns
// long before the run could finish (64 replications of 240 periods of two
// scenarios take minutes on this machine) and gives its turn back.
func TestCancelStops(t *testing.T) {
	s := newServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	rec := get(ctx, s, "/api/run", url.Values{"ref": {"taking"}, "scenario": {"giving"}, "reps": {"64"}, "horizon.periods": {"240"}})
	took := time.Since(start)
	if rec.Code == http.StatusOK {
		t.Fatalf("the run finished in %s despite the cancel", took)
	}
	if took > 10*time.Second {
		t.Errorf("the handler took %s after a cancel at 200ms", took)
	}
	if n := len(s.turns) + len(s.quick); n != 0 {
		t.Errorf("%d turns still held", n)
	}
}

// TestWaitsForATurn: with every turn of its lane taken, a run waits, and
// gives up when its client goes away; a quick run (the page's first
// answer) does not wait for the turns of full runs, nor a full run for
// those of quick runs.
func TestWaitsForATurn(t *testing.T) {
	for _, tc := range []struct {
		name  string
		taken func(*Server) chan struct{}
		reps  string
		want  int
	}{
		{"full runs' turns taken, a full run", func(s *Server) chan struct{} { return s.turns }, "3", http.StatusServiceUnavailable},
		{"quick runs' turns taken, a quick run", func(s *Server) chan struct{} { return s.quick }, "2", http.StatusServiceUnavailable},
		{"full runs' turns taken, a quick run", func(s *Server) chan struct{} { return s.turns }, "2", http.StatusOK},
		{"quick runs' turns taken, a full run", func(s *Server) chan struct{} { return s.quick }, "3", http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t)
			for range Concurrent {
				tc.taken(s) <- struct{}{}
			}
			timeout := 100 * time.Millisecond
			if tc.want == http.StatusOK {
				timeout = time.Minute // a run of 6 periods: the bound only stops a hung test
			}
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			rec := get(ctx, s, "/api/run", url.Values{"ref": {"taking"}, "scenario": {"giving"}, "reps": {tc.reps}, "horizon.periods": {"6"}})
			if rec.Code != tc.want || (tc.want != http.StatusOK && !strings.Contains(rec.Body.String(), "no turn")) {
				t.Errorf("status %d, want %d; body %s", rec.Code, tc.want, rec.Body)
			}
		})
	}
}

// TestClientGoneAsTheRunEnds: a client that goes away while its run ends
// without an error is answered 503, not with a panic of the handler.
func TestClientGoneAsTheRunEnds(t *testing.T) {
	s := newServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := httptest.NewRequest(http.MethodGet, "/api/run", nil).WithContext(ctx)
	w := httptest.NewRecorder()
	ok := s.simulate(w, r, []sim.Config{sim.Default()}, func(context.Context, sim.Options) error {
		cancel()
		return nil
	})
	if ok || w.Code != http.StatusServiceUnavailable || !strings.Contains(w.Body.String(), "canceled") {
		t.Errorf("ok %v, status %d, body %s; want false, 503 and why", ok, w.Code, w.Body)
	}
}

// TestPage: the page and its script come from the binary, and may load
// nothing from elsewhere.
func TestPage(t *testing.T) {
	s := newServer(t)
	for path, want := range map[string]string{"/": "<title>retsim explorer</title>", "/explorer.js": "AbortController", "/explorer.css": "svg"} {
		rec := get(context.Background(), s, path, nil)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), want) {
			t.Errorf("%s: status %d, no %q", path, rec.Code, want)
		}
		if csp := rec.Header().Get("Content-Security-Policy"); csp != "default-src 'self'" {
			t.Errorf("%s: Content-Security-Policy %q; the page must load nothing from elsewhere", path, csp)
		}
	}
}

// TestBodyLimited: a body beyond MaxBody is not read.
func TestBodyLimited(t *testing.T) {
	s := newServer(t)
	body := "ref=taking&scenario=giving&policy.giving=" + strings.Repeat("0", MaxBody)
	req := httptest.NewRequest(http.MethodPost, "/api/run", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "too large") {
		t.Errorf("status %d, body %s", rec.Code, rec.Body)
	}
}

// TestLocalOnly: only requests for localhost or a loopback address pass.
func TestLocalOnly(t *testing.T) {
	h := LocalOnly(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	for host, want := range map[string]int{
		"127.0.0.1:8080": 200, "localhost:8080": 200, "[::1]:8080": 200, "localhost": 200, "127.0.0.2": 200,
		"rebound.example:8080": 421, "rebound.example": 421, "192.168.1.5:8080": 421, "": 421,
	} {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Host = host
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != want {
			t.Errorf("Host %q: status %d, want %d", host, rec.Code, want)
		}
	}
}
