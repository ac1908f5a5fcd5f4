package plots

import (
	"errors"
	"fmt"
	"image/color"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/retsim/retsim/compare"
)

// totalColor fills the bar of the whole difference in a waterfall, grey so
// that the black whisker on it stays visible.
var totalColor = color.Gray{0x99}

// connectorStyle draws the step from one waterfall bar to the next.
var connectorStyle = draw.LineStyle{Color: color.Gray{0x66}, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(3), vg.Points(3)}}

// waterfallHalf is half the width of a waterfall bar, in bars.
const waterfallHalf = 0.35

// Waterfall charts a decomposition: one panel per outcome, in which the
// groups' parts of the paired difference (mean Shapley values) follow each
// other from left to right as floating bars, each starting where the one
// before ended, in the group's colour and numbered on the x axis as in the legend, with a
// whisker over its 95% interval; a grey bar on the right is the whole
// difference, with its 95% interval, which the parts add up to.
func Waterfall(d *compare.Decomposition) (*Figure, error) {
	if len(d.Groups) == 0 || len(d.Outcomes) == 0 {
		return nil, errors.New("decomposition: no group or no outcome to chart")
	}
	f := &Figure{
		Name: "decomposition",
		Title: fitTitle(fmt.Sprintf("%s minus %s, split by lever: part of each group of parameters (Shapley values, 95%% intervals)",
			d.Scenario, d.Reference)),
		Caption: waterfallCaption(d),
		Legend:  newLegend(),
	}
	for g, group := range d.Groups {
		f.Legend.Add(strconv.Itoa(g+1)+"  "+group.Name, &plotter.Polygon{Color: groupColor(g)})
	}
	f.Legend.Add("total: "+d.Scenario+" − "+d.Reference, &plotter.Polygon{Color: totalColor})
	f.Legend.Add("95% interval of the mean", whiskerThumb{vertical: true})
	panels := make([]*plot.Plot, len(d.Outcomes))
	for i, o := range d.Outcomes {
		p, err := waterfallPanel(o, len(d.Groups))
		if err != nil {
			return nil, fmt.Errorf("decomposition: %s: %w", o.Outcome, err)
		}
		panels[i] = p
	}
	f.Panels = grid(panels)
	return f, nil
}

// groupColor is the colour of group g of a decomposition; past the eighth
// the colours repeat, and the numbers tell the groups apart.
func groupColor(g int) color.NRGBA { return partColors[g%len(partColors)] }

// waterfallCaption tells how to read Waterfall.
func waterfallCaption(d *compare.Decomposition) string {
	return fmt.Sprintf("Each panel splits one outcome's paired difference, %s minus %s, among the %d groups of parameters in which the two differ (legend; decomposition.csv lists each group's parameters). "+
		"Read the bars from left to right: each starts where the one before ended and rises or falls by its group's part, "+
		"the group's Shapley value: what moving the group's parameters from %s's values to %s's adds, averaged over every order in which the groups could be moved, "+
		"from the %d configurations that mix the groups, every one run with the same seed (common random numbers). "+
		"In every replication the parts add up to the difference; the grey bar on the right is that difference. "+
		"Bars are means over %d replications; whiskers are 95%% t intervals of those means.",
		d.Scenario, d.Reference, len(d.Groups), d.Reference, d.Scenario, d.Configurations(), d.Replications)
}

// waterfallPanel draws one outcome's parts, groups 0..k-1 at x = 0..k-1,
// and the total at x = k+1, a slot apart so that its label stands clear.
func waterfallPanel(o compare.OutcomeParts, k int) (*plot.Plot, error) {
	p := newPanel(panelTitle(outcomeLabel(o.Outcome, true)), "", "difference ("+o.Unit+")")
	var whiskers struct {
		plotter.XYs
		plotter.YErrors
	}
	whisker := func(x, mean float64, iv compare.Interval) {
		if finite(iv.Low) && finite(iv.High) {
			whiskers.XYs = append(whiskers.XYs, plotter.XY{X: x, Y: mean})
			whiskers.YErrors = append(whiskers.YErrors, struct{ Low, High float64 }{mean - iv.Low, iv.High - mean})
		}
	}
	cum := 0.0
	for g, part := range o.Parts {
		if !finite(part.Mean) {
			continue
		}
		x, end := float64(g), cum+part.Mean
		if err := addBar(p, x, cum, end, groupColor(g)); err != nil {
			return nil, err
		}
		whisker(x, end, compare.Interval{Low: cum + part.CI95.Low, High: cum + part.CI95.High})
		p.Add(segment{from: plotter.XY{X: x + waterfallHalf, Y: end}, to: plotter.XY{X: x + 1 - waterfallHalf, Y: end}, style: connectorStyle})
		cum = end
	}
	totalX := float64(k) + 1
	if t := o.Total; finite(t.Mean) {
		if err := addBar(p, totalX, 0, t.Mean, totalColor); err != nil {
			return nil, err
		}
		whisker(totalX, t.Mean, t.CI95)
	}
	p.Add(rule{at: 0, style: zeroStyle})
	if len(whiskers.XYs) > 0 {
		eb, err := plotter.NewYErrorBars(whiskers)
		if err != nil {
			return nil, fmt.Errorf("whiskers: %w", err)
		}
		eb.LineStyle, eb.CapWidth = whiskerStyle, vg.Points(8)
		p.Add(eb)
	}
	ticks := make(plot.ConstantTicks, k+1)
	for g := range k {
		ticks[g] = plot.Tick{Value: float64(g), Label: strconv.Itoa(g + 1)}
	}
	ticks[k] = plot.Tick{Value: totalX, Label: compare.TotalGroup}
	p.X.Tick.Marker = ticks
	p.X.Min, p.X.Max = -0.6, totalX+0.6
	return p, nil
}

// addBar adds a bar at x from y = from to y = to in fill.
func addBar(p *plot.Plot, x, from, to float64, fill color.Color) error {
	bar, err := plotter.NewPolygon(plotter.XYs{{X: x - waterfallHalf, Y: from}, {X: x + waterfallHalf, Y: from}, {X: x + waterfallHalf, Y: to}, {X: x - waterfallHalf, Y: to}})
	if err != nil {
		return err
	}
	bar.Color, bar.LineStyle.Width = fill, 0
	p.Add(bar)
	return nil
}

// segment is a straight line between two data points.
type segment struct {
	from, to plotter.XY
	style    draw.LineStyle
}

// Plot implements plot.Plotter.
func (s segment) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	c.StrokeLine2(s.style, trX(s.from.X), trY(s.from.Y), trX(s.to.X), trY(s.to.Y))
}
