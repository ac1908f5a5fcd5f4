package main

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromium finds a Chromium or Chrome binary. Without one the browser
// test skips, except under CI (CI=true), where it fails so that a missing
// browser cannot pass unnoticed.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no chromium binary on PATH; CI needs one (apt-get install chromium)")
	}
	t.Skip("no chromium binary on PATH: skipping the browser test of report.html (install chromium to run it)")
	return ""
}

// TestReportInBrowser loads the report.html of each command that writes
// one (compare, run, sweep, sensitivity, fit), from small runs, in headless
// Chromium: the verdict (and the headline table under it, where there is
// one) must be within the first screen at 1400x900, and at 400 px wide the
// page must not scroll sideways (wide tables scroll in their own box).
func TestReportInBrowser(t *testing.T) {
	skipUnderRace(t)
	bin := chromium(t)
	fitData := filepath.Join("..", "..", "examples", "fader-hardie-2007-regular.csv")
	pages := []struct {
		args    []string
		verdict string // in the verdict
	}{
		{append([]string{"compare", "taking", "giving"}, small...), "giving is ahead of taking by"},
		{append([]string{"run", "baseline"}, small...), "baseline is worth"},
		{append([]string{"sweep", "baseline", "--param", "policy.giving=0:1:3", "--param", "switching.cost=0:0.9:3"}, small...), "is highest at"},
		{append([]string{"sensitivity", "baseline", "--params", "policy.giving,churn.alpha,pricing.list_price"}, small...), "moves most with"},
		{[]string{"fit", fitData, "--every", "12", "--train", "8", "--draws", "50"}, "churn is"},
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(bin), chromedp.NoSandbox, chromedp.DisableGPU)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	// The first run starts the browser and must not have a deadline.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1400, 900)); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	for _, pg := range pages {
		t.Run(pg.args[0], func(t *testing.T) {
			out := t.TempDir()
			code, _, stderr := cli(t, append(pg.args, "--out", out)...)
			if code != exitOK {
				t.Fatalf("%s: exit %d: %s", pg.args[0], code, stderr)
			}
			page := (&url.URL{Scheme: "file", Path: filepath.Join(out, "report.html")}).String()
			tctx, cancel := context.WithTimeout(ctx, 20*time.Second)
			defer cancel()
			// bottom is where the first element matching a CSS selector ends,
			// in pixels from the top of the page; ok is false when none does.
			bottom := func(sel string) (y float64, ok bool) {
				t.Helper()
				q := `document.querySelector(` + strconv.Quote(sel) + `)`
				y, err := chromedp.Run(tctx, chromedp.Evaluate[float64](q+` ? `+q+`.getBoundingClientRect().bottom + window.scrollY : -1`))
				if err != nil {
					t.Fatalf("%s: %v", sel, err)
				}
				return y, y >= 0
			}

			if err := chromedp.Do(tctx, chromedp.EmulateViewport(1400, 900), chromedp.Navigate(page)); err != nil {
				t.Fatalf("loading %s at 1400x900: %v", page, err)
			}
			verdict, err := chromedp.Run(tctx, chromedp.Evaluate[string](`document.getElementById("verdict").textContent`))
			if err != nil || !strings.Contains(verdict, pg.verdict) {
				t.Errorf("verdict %q (%v), want it to say %q", verdict, err, pg.verdict)
			}
			if y, ok := bottom("#verdict"); !ok || y <= 0 || y > 900 {
				t.Errorf("at 1400x900 the verdict ends at %.0f px, want within the first 900", y)
			}
			if y, ok := bottom("#verdict + .scroll table"); ok && y > 900 {
				t.Errorf("at 1400x900 the headline table ends at %.0f px, want within the first 900", y)
			} else if !ok && pg.args[0] != "run" {
				t.Error("no headline table under the verdict")
			}

			if err := chromedp.Do(tctx, chromedp.EmulateViewport(400, 900), chromedp.Navigate(page)); err != nil {
				t.Fatalf("loading %s at 400 px: %v", page, err)
			}
			widths, err := chromedp.Run(tctx, chromedp.Evaluate[[]float64](`[document.scrollingElement.scrollWidth, window.innerWidth]`))
			if err != nil {
				t.Fatal(err)
			}
			if widths[1] != 400 {
				t.Errorf("window.innerWidth %.0f, want the emulated 400", widths[1])
			}
			if widths[0] > widths[1] {
				t.Errorf("at 400 px wide the page is %.0f px wide: it scrolls sideways", widths[0])
			}
		})
	}
}
