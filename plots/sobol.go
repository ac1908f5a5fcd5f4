package plots

import (
	"cmp"
	"errors"
	"fmt"
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"

	"github.com/retsim/retsim/experiment"
)

// Colours of the Sobol bars: Okabe-Ito blue for the first-order index and
// orange for the total, a pair told apart under colour blindness.
var (
	sobolFirstColor = scenarioColors[1]
	sobolTotalColor = scenarioColors[0]
)

// Sobol charts the Sobol indices of a Saltelli experiment: one panel per
// outcome whose indices are defined, one row per parameter, largest total
// index at the top, at most maxBars rows; in each row a bar for the
// first-order index S1 (upper, blue) and one for the total index ST
// (lower, orange), each with a whisker over its 95% bootstrap interval.
func Sobol(r *experiment.Result) (*Figure, error) {
	if r.Sobol == nil {
		return nil, errors.New("sobol: the experiment's design is not saltelli")
	}
	var panels []*plot.Plot
	for k, o := range r.Plan.Outcomes {
		idx := r.Sobol[k]
		if !slices.ContainsFunc(idx, func(x experiment.Index) bool { return finite(x.ST) }) {
			continue
		}
		p, err := sobolPanel(r, k)
		if err != nil {
			return nil, fmt.Errorf("sobol: %s: %w", o.Name, err)
		}
		panels = append(panels, p)
	}
	if len(panels) == 0 {
		return nil, errors.New("sobol: no outcome varies over the design, so none has Sobol indices")
	}
	f := &Figure{
		Name:  "sobol",
		Title: fitTitle(fmt.Sprintf("Which parameters matter to %s: Sobol indices", r.Plan.Scenario)),
		Caption: fmt.Sprintf("Each row is one parameter of the experiment. The blue bar is its first-order Sobol index, the share of the variance of the outcome's mean (over %d replications) across the design that the parameter explains alone; "+
			"the orange bar is its total index, that share with its interactions with the other parameters included. Whiskers are 95%% bootstrap intervals (%d resamples of %d base samples, sobol.csv). "+
			"A total index well above the first-order one means the parameter acts through interactions; one near zero, that the parameter can be fixed anywhere in its range.",
			r.Plan.Base.Replications, r.Plan.Resamples, r.Plan.Design.Samples),
		Legend: newLegend(),
		Panels: grid(panels),
	}
	f.Legend.Add("first-order S1", &plotter.Polygon{Color: sobolFirstColor})
	f.Legend.Add("total ST", &plotter.Polygon{Color: sobolTotalColor})
	return f, nil
}

// sobolPanel draws the indices of outcome k.
func sobolPanel(r *experiment.Result, k int) (*plot.Plot, error) {
	idx := r.Sobol[k]
	order := make([]int, len(idx))
	for f := range order {
		order[f] = f
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(orZero(idx[b].ST), orZero(idx[a].ST)) })
	order = order[:min(len(order), maxBars)]
	p := newPanel(panelTitle(outcomeLabel(r.Plan.Outcomes[k].Name, true)), "Sobol index (share of variance)", "")
	ticks := make(plot.ConstantTicks, len(order))
	lo, hi := 0.0, 1.0
	for row, f := range order {
		y := rowY(row, len(order))
		ticks[row] = plot.Tick{Value: y, Label: r.Plan.Design.Factors[f].Key}
		x := idx[f]
		for _, bar := range []struct {
			value, low, high, y float64
			color               color.NRGBA
		}{{x.S1, x.S1CI95.Low, x.S1CI95.High, y + barHalf + 0.02, sobolFirstColor}, {x.ST, x.STCI95.Low, x.STCI95.High, y - barHalf - 0.02, sobolTotalColor}} {
			if !finite(bar.value) {
				continue
			}
			poly, err := plotter.NewPolygon(plotter.XYs{{X: 0, Y: bar.y - barHalf}, {X: bar.value, Y: bar.y - barHalf}, {X: bar.value, Y: bar.y + barHalf}, {X: 0, Y: bar.y + barHalf}})
			if err != nil {
				return nil, fmt.Errorf("%s: %w", r.Plan.Design.Factors[f].Key, err)
			}
			poly.Color, poly.LineStyle.Width = bar.color, 0
			p.Add(poly)
			if finite(bar.low) && finite(bar.high) {
				whisker, err := plotter.NewLine(plotter.XYs{{X: bar.low, Y: bar.y}, {X: bar.high, Y: bar.y}})
				if err != nil {
					return nil, fmt.Errorf("%s: %w", r.Plan.Design.Factors[f].Key, err)
				}
				whisker.LineStyle = whiskerStyle
				p.Add(whisker)
				lo, hi = math.Min(lo, bar.low), math.Max(hi, bar.high)
			}
		}
	}
	p.Y.Tick.Marker = ticks
	p.Add(rule{at: 0, vertical: true, style: zeroStyle})
	p.X.Min, p.X.Max = lo, hi
	p.Y.Min, p.Y.Max = -0.5, float64(len(order))-0.5
	return p, nil
}

// orZero is x, or 0 when x is not a number, for sorting.
func orZero(x float64) float64 {
	if math.IsNaN(x) {
		return 0
	}
	return x
}
