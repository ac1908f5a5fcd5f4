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

// TestReportInBrowser loads the report.html of a small comparison in
// headless Chromium: the verdict must be within the first screen at
// 1400x900, and at 400 px wide the page must not scroll sideways (wide
// tables scroll in their own box).
func TestReportInBrowser(t *testing.T) {
	bin := chromium(t)
	out := t.TempDir()
	code, _, stderr := cli(t, append([]string{"compare", "taking", "giving", "--out", out}, small...)...)
	if code != exitOK {
		t.Fatalf("compare: exit %d: %s", code, stderr)
	}
	page := (&url.URL{Scheme: "file", Path: filepath.Join(out, "report.html")}).String()

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(bin), chromedp.NoSandbox, chromedp.DisableGPU)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	// The first run starts the browser and must not have a deadline.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1400, 900)); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	tctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	// bottom is where the first element matching a CSS selector ends, in
	// pixels from the top of the page.
	bottom := func(sel string) float64 {
		t.Helper()
		y, err := chromedp.Run(tctx, chromedp.Evaluate[float64](`document.querySelector(`+strconv.Quote(sel)+`).getBoundingClientRect().bottom + window.scrollY`))
		if err != nil {
			t.Fatalf("%s: %v", sel, err)
		}
		return y
	}

	if err := chromedp.Do(tctx, chromedp.Navigate(page)); err != nil {
		t.Fatalf("loading %s at 1400x900: %v", page, err)
	}
	verdict, err := chromedp.Run(tctx, chromedp.Evaluate[string](`document.getElementById("verdict").textContent`))
	if err != nil || !strings.Contains(verdict, "giving is ahead of taking by") {
		t.Errorf("verdict %q (%v), want giving ahead of taking", verdict, err)
	}
	for _, sel := range []string{"#verdict", "#verdict + .scroll table"} {
		if y := bottom(sel); y <= 0 || y > 900 {
			t.Errorf("at 1400x900 %s ends at %.0f px, want within the first 900", sel, y)
		}
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
}
