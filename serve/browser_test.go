package serve

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
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
	run(t, ctx, "short run", until(`document.getElementById("status").textContent.startsWith("2 replications of 12 periods")`))
	for time.Since(start) < 20*time.Second && !slices.Contains(rec.list(), http.StatusServiceUnavailable) {
		time.Sleep(50 * time.Millisecond)
	}
	if got := rec.list(); !slices.Contains(got, http.StatusServiceUnavailable) {
		t.Errorf("statuses %v after %s: the long run's handler has not ended cancelled", got, time.Since(start))
	}
}
