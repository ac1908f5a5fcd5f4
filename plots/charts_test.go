package plots

import (
	"bytes"
	"fmt"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/retsim/retsim/output"
	"github.com/retsim/retsim/plots/plotstest"
	"github.com/retsim/retsim/sim"
)

// bandPanels is the number of band panels of each band figure.
var bandPanels = map[string]int{"active": 1, "churn": 2, "advocacy": 2, "money": 2}

func TestFiguresSVG(t *testing.T) {
	all := plotstest.Scenarios(t, 3)
	for _, n := range []int{1, 3} {
		sums := all[:n]
		figs, err := Figures(sums)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"active", "active_by_channel", "churn", "advocacy", "nps_classes", "money", "clv", "costs"}
		if len(figs) != len(want) {
			t.Fatalf("%d scenarios: %d figures, want %d", n, len(figs), len(want))
		}
		for i, f := range figs {
			t.Run(fmt.Sprintf("%s/%d_scenarios", f.Name, n), func(t *testing.T) {
				if f.Name != want[i] {
					t.Errorf("figure %d is %q, want %q", i, f.Name, want[i])
				}
				if f.Title == "" || f.Caption == "" {
					t.Errorf("missing title or caption")
				}
				var buf bytes.Buffer
				if err := f.Render(&buf, SVG); err != nil {
					t.Fatal(err)
				}
				doc := parseSVG(t, buf.Bytes())
				if !doc.hasText(f.Title) {
					t.Errorf("title %q not drawn", f.Title)
				}
				for _, s := range sums {
					if !doc.hasText(s.Scenario) {
						t.Errorf("scenario %q not named (legend or panel title)", s.Scenario)
					}
				}
				if panels, ok := bandPanels[f.Name]; ok {
					// One band per scenario and panel, plus one legend sample per scenario.
					if got, want := doc.bandFills(), n*(panels+1); got != want {
						t.Errorf("%d band fills, want %d", got, want)
					}
				}
				if strings.Contains(buf.String(), "font-family:Liberation Sans;") {
					t.Errorf("svg font has no fallback")
				}
			})
		}
	}
}

func TestFilesWritePNGAndSVG(t *testing.T) {
	all := plotstest.Scenarios(t, 3)
	for _, n := range []int{1, 3} {
		t.Run(fmt.Sprintf("%d_scenarios", n), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			files, err := Files(all[:n])
			if err != nil {
				t.Fatal(err)
			}
			paths, err := output.WriteAll(dir, files)
			if err != nil {
				t.Fatal(err)
			}
			if len(paths) != 16 {
				t.Fatalf("%d files, want 16: %v", len(paths), paths)
			}
			for _, p := range paths {
				b, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				switch filepath.Ext(p) {
				case ".png":
					img, err := png.Decode(bytes.NewReader(b))
					if err != nil {
						t.Fatalf("%s: %v", p, err)
					}
					if sz := img.Bounds().Size(); sz.X != 1200 || sz.Y != 800 {
						t.Errorf("%s: %dx%d px, want 1200x800", p, sz.X, sz.Y)
					}
				case ".svg":
					parseSVG(t, b)
				default:
					t.Errorf("unexpected file %s", p)
				}
			}
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			entries = slices.DeleteFunc(entries, func(e os.DirEntry) bool { return e.Name() == ".retsim" }) // the generations
			if len(entries) != len(paths) {
				t.Errorf("%d entries in %s besides .retsim, want %d (temporary files left?)", len(entries), dir, len(paths))
			}
		})
	}
}

func TestFilesErrors(t *testing.T) {
	if _, err := Files(nil); err == nil {
		t.Error("no scenarios: want an error")
	}
	sums := plotstest.Scenarios(t, 1)
	f, err := Active(sums)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Render(&bytes.Buffer{}, "gif"); err == nil {
		t.Error("unknown format: want an error")
	}
}

var breakEvenLabel = regexp.MustCompile(`^month \d+$`)

func TestBreakEvenMarkers(t *testing.T) {
	launch := map[string]float64{"market.cac": 150, "market.paid_per_period": 300, "market.potential": 1500}
	sums := []*sim.Summary{plotstest.Run(t, "launch", launch), plotstest.Run(t, "steady", nil)}
	// One label per money panel for the launch, none for the steady scenario.
	want := map[string]int{}
	for _, m := range []sim.Metric{sim.CumulativeProfit, sim.CumulativeDiscountedProfit} {
		x, ok := ZeroCrossing(sums[0].Series(m))
		if !ok {
			t.Fatalf("launch scenario: median %s never rises through 0; the test needs it to", m)
		}
		want[fmt.Sprintf("month %.0f", math.Ceil(x))]++
		if _, ok := ZeroCrossing(sums[1].Series(m)); ok {
			t.Fatalf("steady scenario: median %s rises through 0; the test needs it not to", m)
		}
	}
	f, err := Money(sums)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Render(&buf, SVG); err != nil {
		t.Fatal(err)
	}
	doc := parseSVG(t, buf.Bytes())
	got := map[string]int{}
	for _, s := range doc.texts {
		if breakEvenLabel.MatchString(s) {
			got[s]++
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("break-even labels %v, want %v", got, want)
	}
	if !doc.hasText("break-even: median reaches 0") {
		t.Error("no legend entry for break-even")
	}
}

func TestRenderIsDeterministic(t *testing.T) {
	sums := plotstest.Scenarios(t, 2)
	render := func() [][]byte {
		figs, err := Figures(sums)
		if err != nil {
			t.Fatal(err)
		}
		out := make([][]byte, len(figs))
		for i, f := range figs {
			var buf bytes.Buffer
			if err := f.Render(&buf, SVG); err != nil {
				t.Fatal(err)
			}
			out[i] = buf.Bytes()
		}
		return out
	}
	a, b := render(), render()
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			t.Errorf("figure %d: two renderings of the same summaries differ", i)
		}
	}
}
