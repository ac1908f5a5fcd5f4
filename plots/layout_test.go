package plots

import (
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/retsim/retsim/sim"
)

// dataArea records the data area a plot draws its data in.
type dataArea struct{ r *vg.Rectangle }

// Plot implements plot.Plotter.
func (d dataArea) Plot(c draw.Canvas, _ *plot.Plot) { *d.r = c.Rectangle }

// TestPanelsAlign draws figures of small multiples and checks that the
// panels of a row have their data areas at the same height, and those of a
// column at the same place across, whatever their labels and notes.
func TestPanelsAlign(t *testing.T) {
	seven := make([]*sim.Summary, 7)
	for i := range seven {
		seven[i] = handSummary(string(rune('a'+i)), float64(i)/6)
	}
	two := []*sim.Summary{handSummary("taking", 0), handSummary("giving", 1)}
	charts := map[string]func() (*Figure, error){
		"active_by_channel": func() (*Figure, error) { return ActiveByChannel(seven) },
		"costs":             func() (*Figure, error) { return Costs(seven) },
		"nps_classes":       func() (*Figure, error) { return NPSClasses(seven) },
		"churn":             func() (*Figure, error) { return Churn(two) }, // an event above one panel only
		"sweep":             func() (*Figure, error) { return Sweep(handSweep()) },
	}
	for name, build := range charts {
		f, err := build()
		if err != nil {
			t.Fatal(err)
		}
		areas := make([][]vg.Rectangle, len(f.Panels))
		for j, row := range f.Panels {
			areas[j] = make([]vg.Rectangle, len(row))
			for i, p := range row {
				if p != nil {
					p.Add(dataArea{&areas[j][i]})
				}
			}
		}
		f.Draw(draw.New(vgimg.NewWith(vgimg.UseWH(Width, Height), vgimg.UseDPI(DPI))))
		const tol = 0.01 // points
		near := func(a, b vg.Length) bool { return a-b < tol && b-a < tol }
		for j, row := range f.Panels {
			for i, p := range row {
				if p == nil {
					continue
				}
				a, first := areas[j][i], areas[j][0]
				if !near(a.Min.Y, first.Min.Y) || !near(a.Max.Y, first.Max.Y) {
					t.Errorf("%s: panel (%d, %d) spans y %v to %v, the first of its row %v to %v", name, j, i, a.Min.Y, a.Max.Y, first.Min.Y, first.Max.Y)
				}
				if top := areas[0][i]; !near(a.Min.X, top.Min.X) || !near(a.Max.X, top.Max.X) {
					t.Errorf("%s: panel (%d, %d) spans x %v to %v, the top of its column %v to %v", name, j, i, a.Min.X, a.Max.X, top.Min.X, top.Max.X)
				}
			}
		}
	}
}
