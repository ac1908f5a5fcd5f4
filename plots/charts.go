// Package plots draws the charts of one or several scenarios' summaries:
// active customers, churn, advocacy, money, lifetime value and costs, with
// their uncertainty across replications. Each chart is a Figure that
// renders to PNG (1200 x 800 px) or SVG; a scenario has the same colour in
// every chart (a Palette of the run's scenario names). Figures and Files check that
// there is at least one summary; the single-chart functions expect one.
package plots

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/retsim/retsim/output"
	"github.com/retsim/retsim/sim"
)

// Figures builds every chart for sums, each scenario in its colour of the
// run's Palette, in this order: active, active_by_channel,
// churn, advocacy, nps_classes, money, clv, costs.
func Figures(sums []*sim.Summary) ([]*Figure, error) {
	if len(sums) == 0 {
		return nil, errors.New("plots: no scenarios")
	}
	builders := []func([]*sim.Summary) (*Figure, error){
		Active, ActiveByChannel, Churn, Advocacy, NPSClasses, Money, CLV, Costs,
	}
	figs := make([]*Figure, 0, len(builders))
	for _, build := range builders {
		f, err := build(sums)
		if err != nil {
			return nil, err
		}
		figs = append(figs, f)
	}
	return figs, nil
}

// Files returns every chart of Figures as PNG and SVG output files.
func Files(sums []*sim.Summary) ([]output.File, error) {
	figs, err := Figures(sums)
	if err != nil {
		return nil, err
	}
	var files []output.File
	for _, f := range figs {
		files = append(files, f.Files(PNG, SVG)...)
	}
	return files, nil
}

// bandSpec is one panel of per-scenario bands of a metric.
type bandSpec struct {
	title, yLabel string
	metric        sim.Metric
	scale         float64 // 100 for shares shown in %
	zero          bool    // draw a line at zero
	fromZero      bool    // start the y axis at zero
	breakEven     bool    // also mark where each median rises through zero
	// events marks the periods where something happens to every customer
	// of some scenario (see priceEvents), if not nil.
	events func([]*sim.Summary) []event
}

// bandFigure draws one panel per spec, side by side, each with a band per
// scenario, and a legend of the scenarios.
func bandFigure(name, title, caption string, sums []*sim.Summary, specs ...bandSpec) (*Figure, error) {
	f := scenarioFigure(name, title, caption, sums)
	pal := paletteOf(sums)
	row := make([]*plot.Plot, len(specs))
	var headroom vg.Length // above the data of the panels with events
	for k, spec := range specs {
		p := newPanel(spec.title, xLabel(sums), spec.yLabel)
		for _, s := range sums {
			if err := Band(p, s.Series(spec.metric), spec.scale, pal.Style(s.Scenario)); err != nil {
				return nil, fmt.Errorf("%s: %s: %s: %w", name, s.Scenario, spec.metric, err)
			}
		}
		if spec.zero {
			zeroLine(p)
		}
		if spec.breakEven {
			if err := markBreakEven(p, sums, spec.metric); err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
		}
		if spec.events != nil {
			for _, e := range spec.events(sums) {
				p.Add(e)
				headroom = max(headroom, e.height())
			}
		}
		if spec.fromZero {
			p.Y.Min = 0
		}
		row[k] = p
	}
	if headroom > 0 { // the same room above every panel, so that their data areas align
		for _, p := range row {
			p.Add(spacer(headroom))
		}
	}
	addBreakEvenLegend(&f.Legend, sums, specs)
	f.Panels = [][]*plot.Plot{row}
	return f, nil
}

// markBreakEven marks each scenario's break-even.
func markBreakEven(p *plot.Plot, sums []*sim.Summary, m sim.Metric) error {
	slot, pal := 0, paletteOf(sums)
	for _, s := range sums {
		if x, ok := ZeroCrossing(s.Series(m)); ok {
			if err := MarkCrossing(p, x, timeUnit(s.Config), pal.Style(s.Scenario), slot); err != nil {
				return fmt.Errorf("%s: break-even: %w", s.Scenario, err)
			}
			slot++
		}
	}
	return nil
}

// addBreakEvenLegend explains the break-even markers of specs in l: the
// marker when some median crosses zero, and why a scenario has none when
// its median never was below zero or never reaches it.
func addBreakEvenLegend(l *plot.Legend, sums []*sim.Summary, specs []bandSpec) {
	var crossed, above, below bool
	for _, spec := range specs {
		if !spec.breakEven {
			continue
		}
		for _, s := range sums {
			stats := s.Series(spec.metric)
			if _, ok := ZeroCrossing(stats); ok {
				crossed = true
			} else if len(stats) > 0 && stats[0].P50 >= 0 {
				above = true
			} else {
				below = true
			}
		}
	}
	if crossed {
		l.Add("break-even: median reaches 0", &plotter.Scatter{GlyphStyle: crossingGlyph(color.Gray{0x99})})
	}
	if above {
		l.Add("no break-even: ≥ 0 from the start", &plotter.Scatter{GlyphStyle: draw.GlyphStyle{Color: color.Gray{0x99}, Radius: vg.Points(6), Shape: draw.RingGlyph{}}})
	}
	if below {
		l.Add("no break-even: < 0 to the end", &plotter.Scatter{GlyphStyle: draw.GlyphStyle{Color: color.Gray{0x99}, Radius: vg.Points(6), Shape: draw.RingGlyph{}}})
	}
}

// zeroLine adds a thin black line at y = 0 across the whole data area.
func zeroLine(p *plot.Plot) { p.Add(rule{at: 0, style: zeroStyle}) }

// Active charts active customers over time.
func Active(sums []*sim.Summary) (*Figure, error) {
	return bandFigure("active", "Active customers: median and 5–95% band across replications",
		"Customers active at the start of each period, new joiners included. The line is the median over replications, the shaded band holds 90% of them.",
		sums, bandSpec{yLabel: "active customers (customers)", metric: sim.Active, scale: 1})
}

// Churn charts the churn rate per period and the survival of the first cohort.
func Churn(sums []*sim.Summary) (*Figure, error) {
	u := timeUnit(sums[0].Config)
	return bandFigure("churn", "Churn: median and 5–95% band across replications",
		"Left: share of the customers active in a period who leave at its end. Right: share of the period-0 customers still active. Lines are medians over replications, bands hold 90% of them. "+
			"A step in churn a few "+u+"s in, at the dashed line, is the end of the acquisition discount (discounts.months): customers then pay the list price, "+
			"which moves their goodwill as a price rise does; steps at anniversaries are loyalty price rises (taking.loyalty_rise) or retention discounts ending.",
		sums,
		bandSpec{title: "Churn rate per " + u, yLabel: "% of active customers leaving", metric: sim.ChurnRate, scale: 100, fromZero: true, events: priceEvents},
		bandSpec{title: "Survival of the first cohort", yLabel: "% of period-0 customers still active", metric: sim.Survival, scale: 100, fromZero: true})
}

// priceEvents marks the end of the acquisition discount, the first price
// rise its customers meet, at the period discounts.months of the scenarios
// that give one (discounts.depth x (1 - policy.generosity) > 0), naming
// them unless all do.
func priceEvents(sums []*sim.Summary) []event {
	var months []int
	who := map[int][]string{}
	for _, s := range sums {
		d := s.Config.Discounts
		if m := d.Months; d.Depth*(1-s.Config.Policy.Generosity) > 0 && m > 0 {
			if who[m] == nil {
				months = append(months, m)
			}
			who[m] = append(who[m], s.Scenario)
		}
	}
	out := make([]event, len(months))
	for i, m := range months {
		text := fmt.Sprintf("acquisition discount ends (%s %d)", timeUnit(sums[0].Config), m)
		if len(who[m]) < len(sums) {
			text = strings.Join(who[m], ", ") + ": " + text
		}
		out[i] = event{at: float64(m), text: text}
	}
	return out
}

// Advocacy charts NPS and referrals over time.
func Advocacy(sums []*sim.Summary) (*Figure, error) {
	u := timeUnit(sums[0].Config)
	return bandFigure("advocacy", "Advocacy: median and 5–95% band across replications",
		"Left: Net Promoter Score of active customers (% promoters minus % detractors). Right: referrals (recommendations) made by promoters per "+u+", converted into customers or not.",
		sums,
		bandSpec{title: "Net Promoter Score", yLabel: "NPS (points, −100 to 100)", metric: sim.NPS, scale: 1, zero: true},
		bandSpec{title: "Referrals made per " + u, yLabel: "referrals made per " + u, metric: sim.Referrals, scale: 1, fromZero: true})
}

// Money charts cumulative profit, undiscounted and discounted, with the
// break-even period of each scenario's median.
func Money(sums []*sim.Summary) (*Figure, error) {
	return bandFigure("money", "Cumulative profit: median and 5–95% band across replications",
		"Profit (revenue less all costs, acquisition included) summed to the end of each period; right, each period's profit discounted to period 0. A dot marks where a median first rises to zero, labelled with the first period at or above it; "+
			"a median that never crosses zero has no dot, and the legend says whether it stays at or above zero from the first period or below it to the horizon.",
		sums,
		bandSpec{title: "Cumulative profit", yLabel: "currency", metric: sim.CumulativeProfit, scale: 1, zero: true, breakEven: true},
		bandSpec{title: "Cumulative discounted profit", yLabel: "currency (value at period 0)", metric: sim.CumulativeDiscountedProfit, scale: 1, zero: true, breakEven: true})
}

// part is one layer of a stacked chart: a name for the legend, its fill
// and its mean value per period.
type part struct {
	name   string
	fill   color.Color
	values []float64
}

// partFill is the fill of the k-th part of a whole with no colours of its own.
func partFill(k int) color.Color { return partColors[k%len(partColors)] }

// stackFigure draws one panel per scenario, titled with its name, each a
// stack of the scenario's parts from the bottom up, small multiples with a
// shared y range. total, if not nil, returns a series drawn as a black line
// over the stack, named totalName in the legend, and the gap between the
// line and the top of the stack is filled: green as profit where the line
// is above, red as loss where it is below.
func stackFigure(name, title, caption, yLabel string, sums []*sim.Summary,
	parts func(*sim.Summary) []part, totalName string, total func(*sim.Summary) []float64) (*Figure, error) {
	f := &Figure{Name: name, Title: title, Caption: caption, Legend: newLegend(), ShareX: true, ShareY: true}
	panels := make([]*plot.Plot, len(sums))
	var gaps [2]bool // some profit, some loss
	for i, s := range sums {
		p := newPanel(s.Scenario, xLabel(sums), yLabel)
		ps := parts(s)
		layers, fills := make([][]float64, len(ps)), make([]color.Color, len(ps))
		for k, pt := range ps {
			layers[k], fills[k] = pt.values, pt.fill
		}
		if i == 0 {
			for k := len(ps) - 1; k >= 0; k-- { // the legend lists the top layer first, as drawn
				f.Legend.Add(ps[k].name, &plotter.Polygon{Color: fills[k]})
			}
		}
		if err := Stack(p, layers, fills); err != nil {
			return nil, fmt.Errorf("%s: %s: %w", name, s.Scenario, err)
		}
		if total != nil {
			line, top := total(s), stackTop(layers)
			filled, err := gapAreas(p, top, line)
			if err != nil {
				return nil, fmt.Errorf("%s: %s: %w", name, s.Scenario, err)
			}
			gaps[0], gaps[1] = gaps[0] || filled[0], gaps[1] || filled[1]
			if err := curve(p, line, totalStyle); err != nil {
				return nil, fmt.Errorf("%s: %s: %w", name, s.Scenario, err)
			}
		}
		panels[i] = p
	}
	if total != nil {
		f.Legend.Add(totalName, &plotter.Line{LineStyle: totalStyle})
		for k, label := range []string{"profit (" + totalName + " − costs)", "loss (costs − " + totalName + ")"} {
			if gaps[k] {
				f.Legend.Add(label, &plotter.Polygon{Color: gapFills[k]})
			}
		}
	}
	shareY(panels)
	f.Panels = grid(panels)
	return f, nil
}

// gapFills fill the gap between a stack and the line over it: profit
// (line above, green, light so that the line stays in front) and loss
// (line below, red over the costs the line does not cover).
var gapFills = [2]color.NRGBA{{0x00, 0x9E, 0x73, 0x55}, {0xD5, 0x5E, 0x00, 0x88}}

// stackTop is the height of a stack of layers at each period.
func stackTop(layers [][]float64) []float64 {
	if len(layers) == 0 {
		return nil
	}
	top := make([]float64, len(layers[0]))
	for _, l := range layers {
		for t, v := range l {
			top[t] += v
		}
	}
	return top
}

// gapAreas fills the area between lo and hi (x = period) in gapFills[0]
// where hi is above lo and gapFills[1] where it is below, splitting the
// area where the two cross, and reports which of the two it filled.
func gapAreas(p *plot.Plot, lo, hi []float64) (filled [2]bool, err error) {
	for _, r := range runs(len(lo), func(t int) bool { return finite(lo[t]) && finite(hi[t]) }) {
		var upper, lower plotter.XYs
		side := -1
		flush := func() error {
			if side < 0 || len(upper) < 2 {
				return nil
			}
			slices.Reverse(lower)
			poly, err := plotter.NewPolygon(append(upper, lower...))
			if err != nil {
				return err
			}
			poly.Color, poly.LineStyle.Width = gapFills[side], 0
			p.Add(poly)
			filled[side] = true
			return nil
		}
		for t := r.start; t < r.end; t++ {
			s := 0
			if hi[t] < lo[t] {
				s = 1
			}
			if side >= 0 && s != side { // the two cross between t-1 and t
				a, b := hi[t-1]-lo[t-1], hi[t]-lo[t]
				x := float64(t-1) + a/(a-b)
				y := lo[t-1] + (lo[t]-lo[t-1])*(x-float64(t-1))
				upper, lower = append(upper, plotter.XY{X: x, Y: y}), append(lower, plotter.XY{X: x, Y: y})
				if err := flush(); err != nil {
					return filled, err
				}
				upper, lower = plotter.XYs{{X: x, Y: y}}, plotter.XYs{{X: x, Y: y}}
			}
			side = s
			upper, lower = append(upper, plotter.XY{X: float64(t), Y: hi[t]}), append(lower, plotter.XY{X: float64(t), Y: lo[t]})
		}
		if err := flush(); err != nil {
			return filled, err
		}
	}
	return filled, nil
}

// totalStyle draws a total over a stack.
var totalStyle = draw.LineStyle{Color: color.Black, Width: vg.Points(2.5)}

// NPSClasses charts the mean shares of detractors, passives and promoters.
func NPSClasses(sums []*sim.Summary) (*Figure, error) {
	classes := []struct {
		name   string
		fill   color.Color
		metric sim.Metric
	}{
		{"detractors (0–6)", partColors[3], sim.Detractors}, // rose
		{"passives (7–8)", partColors[2], sim.Passives},     // sand
		{"promoters (9–10)", partColors[1], sim.Promoters},  // teal
	}
	parts := func(s *sim.Summary) []part {
		out := make([]part, len(classes))
		for k, c := range classes {
			out[k] = part{c.name, c.fill, means(s.Series(c.metric), 100)}
		}
		return out
	}
	f, err := stackFigure("nps_classes", "Promoters, passives and detractors: mean share of active customers",
		"Each panel is one scenario: the mean over replications of the share of active customers in each likelihood-to-recommend class (0–10 scale), end of period.",
		"% of active customers", sums, parts, "", nil)
	if err != nil {
		return nil, err
	}
	for _, row := range f.Panels {
		for _, p := range row {
			if p != nil {
				p.Y.Min, p.Y.Max = 0, 100
			}
		}
	}
	return f, nil
}

// costKinds are the costs of a period, in stacking order, with their
// legend names.
var costKinds = []struct {
	name   string
	metric sim.Metric
}{
	{"variable cost", sim.CostVariable},
	{"service contacts", sim.CostService},
	{"incident fixes", sim.CostIncidents},
	{"gestures", sim.CostGestures},
	{"referral rewards", sim.CostReferral},
	{"acquisition", sim.CostAcquisition},
	{"frontline staff", sim.CostStaff},
	{"complaint learning", sim.CostLearning},
}

// Costs charts revenue and the costs by kind.
func Costs(sums []*sim.Summary) (*Figure, error) {
	u := timeUnit(sums[0].Config)
	parts := func(s *sim.Summary) []part {
		out := make([]part, len(costKinds))
		for k, c := range costKinds {
			out[k] = part{c.name, partFill(k), means(s.Series(c.metric), 1)}
		}
		return out
	}
	revenue := func(s *sim.Summary) []float64 { return means(s.Series(sim.Revenue), 1) }
	return stackFigure("costs", "Where the money goes: revenue and costs by kind (mean per "+u+")",
		"Each panel is one scenario: costs stacked by kind, means over replications (means add up, medians would not). The black line is revenue; "+
			"the green area between the line and the top of the stack is the period's profit (revenue less all costs), a red one where the stack rises above the line a loss. Panels share their axes.",
		"currency per "+u, sums, parts, "revenue", revenue)
}

// ActiveByChannel charts the mean number of active customers of each
// acquisition channel as a stack, one panel per scenario.
func ActiveByChannel(sums []*sim.Summary) (*Figure, error) {
	parts := func(s *sim.Summary) []part {
		out := make([]part, sim.NumChannels)
		for ch := range out {
			out[ch] = part{channelLabels[ch], partFill(ch), means(s.Series(sim.ActiveInitial+sim.Metric(ch)), 1)}
		}
		return out
	}
	return stackFigure("active_by_channel", "Active customers by acquisition channel (mean)",
		"Each panel is one scenario. Layers: mean active customers of each acquisition channel at the start of each period; together they make up all active customers.",
		"active customers (customers)", sums, parts, "", nil)
}

// channelLabels name the acquisition channels in legends and axes.
var channelLabels = [sim.NumChannels]string{
	sim.ChannelInitial:  "initial customers",
	sim.ChannelPaid:     "paid",
	sim.ChannelDiscount: "discount",
	sim.ChannelReferral: "referral",
}

// means returns the mean of each period's Stat times scale.
func means(stats []sim.Stat, scale float64) []float64 {
	out := make([]float64, len(stats))
	for t, s := range stats {
		out[t] = s.Mean * scale
	}
	return out
}

// scenarioFigure is an empty figure whose legend lists the scenarios of
// sums with their band samples, in their colours of the run's Palette.
func scenarioFigure(name, title, caption string, sums []*sim.Summary) *Figure {
	f := &Figure{Name: name, Title: title, Caption: caption, Legend: newLegend()}
	pal := paletteOf(sums)
	for _, s := range sums {
		f.addScenario(s.Scenario, pal.Style(s.Scenario))
	}
	return f
}

// xLabel is the time axis label, e.g. "month (0 = first)".
func xLabel(sums []*sim.Summary) string {
	return timeUnit(sums[0].Config) + " (0 = first)"
}

// periods is the longest horizon among sums.
func periods(sums []*sim.Summary) int {
	n := 0
	for _, s := range sums {
		n = max(n, len(s.Series(sim.Active)))
	}
	return n
}

// grid arranges panels row by row: up to eight in at most two rows (a
// figure is wider than tall), more in a near-square grid.
func grid(panels []*plot.Plot) [][]*plot.Plot {
	cols := int(math.Ceil(math.Sqrt(float64(len(panels)))))
	if len(panels) <= 8 {
		cols = max(cols, (len(panels)+1)/2)
	}
	rows := (len(panels) + cols - 1) / cols
	out := make([][]*plot.Plot, rows)
	for r := range out {
		out[r] = make([]*plot.Plot, cols)
		copy(out[r], panels[r*cols:min(len(panels), (r+1)*cols)])
	}
	return out
}

// shareY gives every panel the union of their y ranges, so that small
// multiples compare at a glance.
func shareY(panels []*plot.Plot) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, p := range panels {
		lo, hi = math.Min(lo, p.Y.Min), math.Max(hi, p.Y.Max)
	}
	for _, p := range panels {
		p.Y.Min, p.Y.Max = lo, hi
	}
}
