package plots

import (
	"errors"
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"

	"github.com/retsim/retsim/compare"
)

// Drivers charts which assumptions drive the outcome, in the style of
// Tornado: one panel per scenario (of its paired difference from the
// reference when there are several), one row per uncertain parameter,
// largest rho^2 at the top, at most maxBars rows, each a horizontal bar
// from zero to the Spearman rank correlation between the parameter's draws
// and the outcome across replications: vermillion when a higher value
// raises the outcome, blue when it lowers it.
func Drivers(a *compare.Assumptions) (*Figure, error) {
	ds := a.Drivers()
	if len(ds) == 0 {
		return nil, errors.New("drivers: no uncertain parameter")
	}
	var panels []*plot.Plot
	for start := 0; start < len(ds); {
		end := start
		for end < len(ds) && ds[end].Scenario == ds[start].Scenario {
			end++
		}
		p, err := driversPanel(ds[start:min(end, start+maxBars)])
		if err != nil {
			return nil, fmt.Errorf("drivers: %s: %w", ds[start].Scenario, err)
		}
		panels, start = append(panels, p), end
	}
	what := outcomeLabel(a.Target.Name, false)
	if len(a.Scenarios) > 1 {
		what = "the paired difference of " + what
	}
	f := &Figure{
		Name:  "drivers",
		Title: fitTitle(fmt.Sprintf("Which assumptions drive %s: rank correlation with each uncertain parameter", what)),
		Caption: fmt.Sprintf("Each row is one uncertain parameter; its bar is Spearman's rank correlation, across %d replications, between the value the replication drew for it and %s. "+
			"Rows are sorted by its square, the share of the outcome's rank variance that the parameter alone explains (drivers.csv), largest at the top. "+
			"Vermillion: a higher value raises the outcome; blue: it lowers it.", len(a.Draws[0]), what),
		Legend: newLegend(),
		Panels: grid(panels),
	}
	f.Legend.Add("raises", &plotter.Polygon{Color: highColor})
	f.Legend.Add("lowers", &plotter.Polygon{Color: lowColor})
	return f, nil
}

// driversPanel draws the bars of one scenario's drivers.
func driversPanel(ds []compare.Driver) (*plot.Plot, error) {
	title := ds[0].Scenario
	if ds[0].Reference != "" {
		title += " − " + ds[0].Reference
	}
	p := newPanel(title, "Spearman rank correlation", "")
	ticks := make(plot.ConstantTicks, len(ds))
	for r, d := range ds {
		y := rowY(r, len(ds))
		ticks[r] = plot.Tick{Value: y, Label: d.Key}
		if !finite(d.Rho) {
			continue
		}
		bar, err := plotter.NewPolygon(plotter.XYs{{X: 0, Y: y - barHalf}, {X: d.Rho, Y: y - barHalf}, {X: d.Rho, Y: y + barHalf}, {X: 0, Y: y + barHalf}})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", d.Key, err)
		}
		bar.Color, bar.LineStyle.Width = highColor, 0
		if d.Rho < 0 {
			bar.Color = lowColor
		}
		p.Add(bar)
	}
	p.Y.Tick.Marker = ticks
	p.Add(rule{at: 0, vertical: true, style: zeroStyle})
	p.X.Min, p.X.Max = -1, 1
	p.Y.Min, p.Y.Max = -0.5, float64(len(ds))-0.5
	return p, nil
}
