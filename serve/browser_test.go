package serve

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/retsim/retsim/scenarios"
	"github.com/retsim/retsim/sim"
)

// browser starts a headless Chromium for the test, or skips the test when
// none is installed, unless CI is set: there its absence is a failure.
func browser(t *testing.T) context.Context {
	t.Helper()
	var path string
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("no chromium found; CI needs it for the browser tests")
		}
		t.Skip("no chromium found")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelBrowser(); cancelAlloc() })
	return ctx
}

// run runs a in the browser of ctx, failing the test on error.
func run[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// until waits, up to a minute, for the JavaScript expression to be true.
func until(expression string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](expression, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(time.Minute))
}

// TestBrowserSlider: in a real browser, the page loads from a link with
// its state, runs, and a moved slider starts a new run whose verdict
// replaces the old one and whose state is in the address.
func TestBrowserSlider(t *testing.T) {
	srv := httptest.NewServer(LocalOnly(newServer(t))) // on 127.0.0.1:0, as retsim serve serves it
	t.Cleanup(srv.Close)                               // after the browser's cleanup: it closes the page's requests
	ctx := browser(t)
	run(t, ctx, "load", chromedp.Navigate(srv.URL+"/?ref=baseline&scenario=baseline&reps=2&horizon.periods=12"))
	run(t, ctx, "first run", until(`document.getElementById("verdict").textContent.includes("the same discounted profit")`))
	first := run(t, ctx, "verdict", chromedp.TextContent(chromedp.ID("verdict")))
	run(t, ctx, "move the slider", chromedp.Evaluate[chromedp.Void](`(() => {
		const i = document.getElementById("dial-policy.giving");
		i.value = "1";
		i.dispatchEvent(new Event("input", {bubbles: true}));
		i.dispatchEvent(new Event("change", {bubbles: true}));
	})()`))
	run(t, ctx, "second run", until(`document.getElementById("verdict").textContent.startsWith("moved baseline is ")`))
	second := run(t, ctx, "verdict", chromedp.TextContent(chromedp.ID("verdict")))
	location := run(t, ctx, "address", chromedp.Location())
	lines := run(t, ctx, "charts", chromedp.Evaluate[int](`document.querySelectorAll("#charts svg path.mean").length`))
	if first == second {
		t.Errorf("verdict did not change: %q", second)
	}
	if !strings.Contains(location, "policy.giving=1") || !strings.Contains(location, "horizon.periods=12") {
		t.Errorf("address %q does not keep the moved slider and the horizon", location)
	}
	if lines != 7 { // two lines in each of three charts, one in the difference's
		t.Errorf("%d chart lines, want 7", lines)
	}
}

// TestBrowserBadLink: a link with a value --set would refuse shows the same
// message beside the controls and runs nothing.
func TestBrowserBadLink(t *testing.T) {
	srv := httptest.NewServer(newServer(t))
	t.Cleanup(srv.Close)
	ctx := browser(t)
	run(t, ctx, "load", chromedp.Navigate(srv.URL+"/?ref=taking&scenario=giving&policy.giving=2"))
	run(t, ctx, "refusal", until(`document.getElementById("error").textContent !== ""`))
	msg := run(t, ctx, "error", chromedp.TextContent(chromedp.ID("error")))
	if want := "set:policy.giving=2: policy.giving: must be in [0, 1], got 2"; msg != want {
		t.Errorf("error %q, want %q", msg, want)
	}
}

// statuses records the status of every finished /api/run request.
type statuses struct {
	h    http.Handler
	mu   sync.Mutex
	seen []int
}

func (s *statuses) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	s.h.ServeHTTP(rec, r)
	if r.URL.Path == "/api/run" {
		s.mu.Lock()
		s.seen = append(s.seen, rec.status)
		s.mu.Unlock()
	}
}

func (s *statuses) list() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.seen)
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) { w.status = code; w.ResponseWriter.WriteHeader(code) }

// TestBrowserAbortsStaleRun: moving a slider while a long run is in flight
// aborts it in the browser, and the server stops simulating it: its
// handler ends, cancelled, long before the run could finish (64
// replications of 240 periods take minutes), and the new run's verdict
// shows.
func TestBrowserAbortsStaleRun(t *testing.T) {
	rec := &statuses{h: newServer(t)}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	ctx := browser(t)
	run(t, ctx, "load", chromedp.Navigate(srv.URL+"/?ref=baseline&scenario=baseline&reps=64&horizon.periods=240"))
	run(t, ctx, "long run started", until(`document.getElementById("status").textContent.startsWith("Simulating 64")`))
	time.Sleep(300 * time.Millisecond)
	start := time.Now()
	run(t, ctx, "move the sliders", chromedp.Evaluate[chromedp.Void](`(() => {
		for (const [id, v] of [["reps", "2"], ["dial-horizon.periods", "12"]]) {
			const i = document.getElementById(id);
			i.value = v;
			i.dispatchEvent(new Event("input", {bubbles: true}));
		}
	})()`))
	run(t, ctx, "short run", until(`document.getElementById("status").textContent.startsWith("2 replications of 12 months")`))
	for time.Since(start) < 20*time.Second && !slices.Contains(rec.list(), http.StatusServiceUnavailable) {
		time.Sleep(50 * time.Millisecond)
	}
	if got := rec.list(); !slices.Contains(got, http.StatusServiceUnavailable) {
		t.Errorf("statuses %v after %s: the long run's handler has not ended cancelled", got, time.Since(start))
	}
}

// screenshots is where the browser tests write their screenshots:
// $RETSIM_SCREENSHOTS when set (make explorer-screenshot), else a
// temporary directory.
func screenshots(t *testing.T) string {
	dir := os.Getenv("RETSIM_SCREENSHOTS")
	if dir == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// storyView is the page the story test opens: taking against giving, with
// the story of the first customer of replication 1 among the first 20 who
// leaves under taking and stays under giving (customer 0 if none does).
func storyView(t *testing.T, s *Server) (url.Values, [2]*sim.Story) {
	t.Helper()
	q := url.Values{"ref": {"taking"}, "scenario": {"giving"}, "reps": {"4"}, "horizon.periods": {"36"}, "rep": {"1"}, "customer": {"0"}}
	req, err := parseValues(q, s.choices)
	if err != nil {
		t.Fatal(err)
	}
	ref, alt, err := req.load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var first [2]*sim.Story
	for c := 0; c < 20; c++ {
		var st [2]*sim.Story
		for i, cfg := range []sim.Config{ref.Config, alt.Config} {
			if st[i], _, err = sim.Trace(context.Background(), cfg, 1, c); err != nil {
				t.Fatal(err)
			}
		}
		if c == 0 {
			first = st
		}
		if st[0].Left >= 0 && st[1].Left < 0 {
			q.Set("customer", strconv.Itoa(c))
			return q, st
		}
	}
	return q, first
}

// TestBrowserStoryAndPanel: in a real browser, the page opened from a
// link tells one customer's story under both policies as sim.Trace
// records it (goodwill, likelihood to recommend and class each period,
// and the period it leaves), offers the downloads of the view, and shows
// a value the panel sets that --set would refuse beside its control, with
// --set's message. Screenshots at desktop (1400x900) and phone (390 px
// wide) widths are written (see screenshots).
func TestBrowserStoryAndPanel(t *testing.T) {
	s := newServer(t)
	srv := httptest.NewServer(LocalOnly(s))
	t.Cleanup(srv.Close)
	q, stories := storyView(t, s)
	ctx := browser(t)
	run(t, ctx, "viewport", chromedp.EmulateViewport(1400, 900))
	run(t, ctx, "load", chromedp.Navigate(srv.URL+"/?"+q.Encode()))
	run(t, ctx, "story", until(`document.querySelectorAll("#story-table tbody tr").length > 0`))
	run(t, ctx, "full answer", until(`document.getElementById("status").textContent.startsWith("4 replications")`))

	type row struct {
		Goodwill, Class [2]string
		Gone            [2]bool
	}
	rows := run(t, ctx, "story table", chromedp.Evaluate[[]row](`[...document.querySelectorAll("#story-table tbody tr")].map((tr) => {
		const r = {Goodwill: ["", ""], Class: ["", ""], Gone: [false, false]};
		let c = 1;
		for (let i = 0; i < 2; i++) {
			const cell = tr.cells[c];
			if (cell.className === "gone") { r.Gone[i] = true; c++; continue; }
			r.Goodwill[i] = cell.textContent; r.Class[i] = tr.cells[c + 3].textContent; c += 4;
		}
		return r;
	})`))
	want := max(len(stories[0].Periods), len(stories[1].Periods))
	if len(rows) != want {
		t.Fatalf("%d rows, want %d", len(rows), want)
	}
	for p, r := range rows {
		for i, st := range stories {
			if p >= len(st.Periods) {
				if !r.Gone[i] {
					t.Errorf("period %d, policy %d: shown after the customer left in period %d", p, i, st.Left)
				}
				continue
			}
			sp := st.Periods[p]
			g, err := strconv.ParseFloat(r.Goodwill[i], 64)
			if err != nil || math.Abs(g-sp.Goodwill) > 0.005+1e-9 {
				t.Errorf("period %d, policy %d: goodwill %q, engine %g", p, i, r.Goodwill[i], sp.Goodwill)
			}
			if w := fmt.Sprintf("%d %s", sp.LTR, sp.Class); r.Class[i] != w {
				t.Errorf("period %d, policy %d: %q, engine %q", p, i, r.Class[i], w)
			}
		}
	}
	summary := run(t, ctx, "summary", chromedp.TextContent(chromedp.ID("story-summary")))
	for _, st := range stories {
		if st.Left >= 0 && !strings.Contains(summary, fmt.Sprintf("leaves at the end of period %d", st.Left)) {
			t.Errorf("summary %q does not say the customer leaves in period %d", summary, st.Left)
		}
	}
	links := run(t, ctx, "downloads", chromedp.Evaluate[[]string](`["dl-yaml", "dl-csv", "dl-report"].map((id) => document.getElementById(id).getAttribute("href"))`))
	for i, path := range []string{"api/scenario.yaml?", "api/data.csv?", "api/report.html?"} {
		if !strings.HasPrefix(links[i], path) || !strings.Contains(links[i], "customer="+q.Get("customer")) {
			t.Errorf("download %q, want %s and the view's query", links[i], path)
		}
	}

	dir := screenshots(t)
	shot := func(name string, a chromedp.Action[[]byte]) {
		t.Helper()
		png := run(t, ctx, name, a)
		if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", filepath.Join(dir, name))
	}
	shot("explorer-desktop.png", chromedp.CaptureScreenshot())
	shot("explorer-story.png", chromedp.Screenshot(chromedp.ID("story")))
	run(t, ctx, "phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	shot("explorer-phone.png", chromedp.FullScreenshot(100))
	run(t, ctx, "desktop again", chromedp.EmulateViewport(1400, 900))

	run(t, ctx, "set a parameter in the panel", chromedp.Evaluate[chromedp.Void](`(() => {
		const i = document.getElementById("param-churn.alpha");
		i.value = "-1";
		i.dispatchEvent(new Event("change", {bubbles: true}));
	})()`))
	run(t, ctx, "refusal", until(`document.getElementById("err-churn.alpha").textContent !== ""`))
	msg := run(t, ctx, "message", chromedp.Evaluate[string](`document.getElementById("err-churn.alpha").textContent`))
	_, err := scenarios.Load("giving", scenarios.Sources{Sets: []string{"churn.alpha=-1"}})
	if err == nil || msg != err.Error() {
		t.Errorf("beside churn.alpha: %q, want --set's %v", msg, err)
	}
	if loc := run(t, ctx, "address", chromedp.Location()); !strings.Contains(loc, "churn.alpha=-1") {
		t.Errorf("address %q does not keep the panel's value", loc)
	}
}

// runs records the replications asked of every /api/run request.
type runs struct {
	h    http.Handler
	mu   sync.Mutex
	reps []string
}

func (s *runs) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/api/run" {
		s.mu.Lock()
		s.reps = append(s.reps, r.URL.Query().Get("reps"))
		s.mu.Unlock()
	}
	s.h.ServeHTTP(w, r)
}

// TestBrowserFirstAnswerRefines: a view of 8 replications answers first
// from 2, then from all 8, whose verdict is the one the server gives for
// 8; a view of 2 asks once.
func TestBrowserFirstAnswerRefines(t *testing.T) {
	s := newServer(t)
	rec := &runs{h: s}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	ctx := browser(t)
	q := url.Values{"ref": {"taking"}, "scenario": {"giving"}, "reps": {"8"}, "horizon.periods": {"12"}}
	run(t, ctx, "load", chromedp.Navigate(srv.URL+"/?"+q.Encode()))
	run(t, ctx, "full answer", until(`document.getElementById("status").textContent.startsWith("8 replications of 12 months")`))
	verdict := run(t, ctx, "verdict", chromedp.TextContent(chromedp.ID("verdict")))
	if want := runResult(t, s, q).Verdict; verdict != want {
		t.Errorf("verdict %q, want the server's for 8 replications %q", verdict, want)
	}
	rec.mu.Lock()
	got := slices.Clone(rec.reps)
	rec.mu.Unlock()
	if !slices.Equal(got, []string{"2", "8"}) {
		t.Errorf("runs asked with replications %v, want [2 8]", got)
	}
}
