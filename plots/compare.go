package plots

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/retsim/retsim/compare"
	"github.com/retsim/retsim/sim"
)

// This file draws the charts of package compare: the paired difference of
// scenarios against a reference over time (Difference), the outcomes of a
// parameter sweep (Sweep) and a one-at-a-time sensitivity analysis
// (Tornado).

// diffPanel is one panel of Difference: the paired difference of a
// cumulative metric.
type diffPanel struct {
	metric        sim.Metric
	title, yLabel string
}

// diffPanels are the panels of Difference, in the order of
// compare.CrossoverMetrics: the headline, discounted, first.
var diffPanels = []diffPanel{
	{sim.CumulativeDiscountedProfit, "Cumulative discounted profit (value at period 0)", "difference (currency)"},
	{sim.CumulativeProfit, "Cumulative profit", "difference (currency)"},
}

// Difference charts each scenario of c minus the reference over time, one
// wide panel per cumulative profit metric, discounted above undiscounted.
// Each panel shows, for each scenario, the median of the per-replication
// differences and a band holding 5 to 95% of them, in the scenario's colour
// (its colour in the run's Palette, the reference first, as in the other
// charts); a black line at zero (no difference);
// and, where the scenario overtakes the reference for good, a dashed
// vertical line at the median crossover period and a dot on the zero line
// with a whisker over its 5-95% range. A note above the data gives those
// periods and the share of replications in which it never happens.
func Difference(c *compare.Comparison) (*Figure, error) {
	if len(c.Scenarios) == 0 {
		return nil, errors.New("difference: no scenario to compare with the reference")
	}
	who := "Each scenario"
	if len(c.Scenarios) == 1 {
		who = c.Scenarios[0]
	}
	pairing := "common random numbers"
	if !c.CommonRandomNumbers {
		pairing = "independent seeds"
	}
	f := &Figure{
		Name:    "difference",
		Title:   fitTitle(fmt.Sprintf("%s minus %s: paired difference in cumulative profit (%s)", who, c.Reference, pairing)),
		Caption: differenceCaption(c),
		Legend:  newLegend(),
	}
	pal := comparisonPalette(c)
	for _, name := range c.Scenarios {
		f.addScenario(name, pal.Style(name))
	}
	f.Legend.Add("0 = "+c.Reference+" (reference)", &plotter.Line{LineStyle: zeroStyle})
	f.Panels = make([][]*plot.Plot, len(diffPanels))
	marked := false
	for i, spec := range diffPanels {
		p, m, err := differencePanel(c, spec)
		if err != nil {
			return nil, fmt.Errorf("difference: %s: %w", spec.metric, err)
		}
		f.Panels[i], marked = []*plot.Plot{p}, marked || m
	}
	if marked {
		grey := color.Gray{0x99}
		f.Legend.Add("overtakes for good",
			&plotter.Line{LineStyle: draw.LineStyle{Color: grey, Width: vg.Points(2.5)}}, &plotter.Scatter{GlyphStyle: crossingGlyph(grey)})
	}
	return f, nil
}

// differenceCaption tells how to read Difference.
func differenceCaption(c *compare.Comparison) string {
	pairs := "Every scenario ran with the reference's seed (common random numbers), so each difference compares the same simulated world under two policies."
	if !c.CommonRandomNumbers {
		pairs = "The scenarios ran with different seeds, so the pairs are independent and the bands wider than with common random numbers."
	}
	return fmt.Sprintf("Each line is the median over %d replications of a scenario's cumulative profit minus %s's in the same replication; "+
		"the band holds 90%% of those differences (5%% to 95%%). Above zero the scenario is ahead. Top: profit discounted to period 0; bottom: undiscounted. %s "+
		"A dashed line marks the median period from which the scenario stays ahead of %s to the horizon in a replication; "+
		"the whisker on the zero line and the note above the panel give the 5–95%% range of that period over the replications where it happens, "+
		"and the share of replications where it never happens within the %d %ss.",
		c.Replications, c.Reference, pairs, c.Reference, c.Periods, comparisonUnit(c))
}

// differencePanel draws one metric of every scenario of c and reports
// whether it marked a crossover.
func differencePanel(c *compare.Comparison, spec diffPanel) (*plot.Plot, bool, error) {
	unit := comparisonUnit(c)
	p := newPanel(spec.title, unit+" (0 = first)", spec.yLabel)
	var lines []noteLine
	type mark struct {
		cr  *compare.Crossover
		sty Style
	}
	var marks []mark
	pal := comparisonPalette(c)
	for _, name := range c.Scenarios {
		sty := pal.Style(name)
		ds := findSeries(c, name, spec.metric.String())
		if ds == nil {
			return nil, false, fmt.Errorf("%s: no series in the comparison", name)
		}
		if err := Band(p, diffStats(ds), 1, sty); err != nil {
			return nil, false, fmt.Errorf("%s: %w", name, err)
		}
		if cr := findCrossover(c, name, spec.metric.String()); cr != nil {
			lines = append(lines, crossoverNotes(*cr, c.Periods, unit, sty.Color)...)
			if finite(cr.Period.P50) {
				marks = append(marks, mark{cr, sty})
			}
		}
	}
	p.Add(rule{at: 0, style: zeroStyle})
	for _, m := range marks {
		if err := markOvertake(p, m.cr.Period, m.sty); err != nil {
			return nil, false, fmt.Errorf("%s: crossover: %w", m.cr.Scenario, err)
		}
	}
	addNotes(p, lines)
	return p, len(marks) > 0, nil
}

// findSeries is the difference series of scenario and metric in c, or nil.
func findSeries(c *compare.Comparison, scenario, metric string) *compare.DiffSeries {
	for i := range c.Series {
		if s := &c.Series[i]; s.Scenario == scenario && s.Metric == metric {
			return s
		}
	}
	return nil
}

// findCrossover is the crossover of scenario and metric in c, or nil.
func findCrossover(c *compare.Comparison, scenario, metric string) *compare.Crossover {
	for i := range c.Crossovers {
		if cr := &c.Crossovers[i]; cr.Scenario == scenario && cr.Metric == metric {
			return cr
		}
	}
	return nil
}

// diffStats are the per-period summaries of the differences of s.
func diffStats(s *compare.DiffSeries) []sim.Stat {
	out := make([]sim.Stat, len(s.Periods))
	for t, d := range s.Periods {
		out[t] = d.Diff
	}
	return out
}

// crossoverNotes are the line of text describing cr: when the scenario
// overtakes the reference for good, in whole periods named unit (e.g.
// "month"), and in what share of the replications it does not within the
// horizon of the given number of periods.
func crossoverNotes(cr compare.Crossover, periods int, unit string, c color.Color) []noteLine {
	var lines []noteLine
	whole := func(x float64) string { return strconv.FormatFloat(math.Round(x), 'f', 0, 64) }
	if finite(cr.Period.P50) {
		never := ""
		if cr.Never > 0 {
			never = fmt.Sprintf("; never in %s%%", shortNumber(100*cr.Never))
		}
		lines = append(lines, noteLine{c, fmt.Sprintf("%s overtakes: %s %s (90%%: %s–%s%s)",
			cr.Scenario, unit, whole(cr.Period.P50), whole(math.Floor(cr.Period.P05)), whole(math.Ceil(cr.Period.P95)), never)})
	} else if cr.N > 0 {
		lines = append(lines, noteLine{c, fmt.Sprintf("%s: not ahead in %d %ss", cr.Scenario, periods, unit)})
	}
	return lines
}

// comparisonPalette is the run's Palette of a comparison: the reference,
// then the scenarios compared with it.
func comparisonPalette(c *compare.Comparison) Palette {
	return NewPalette(append([]string{c.Reference}, c.Scenarios...))
}

// comparisonUnit names a period of a comparison in words, e.g. "month".
func comparisonUnit(c *compare.Comparison) string {
	return sim.Horizon{Periods: c.Periods, PeriodsPerYear: c.PeriodsPerYear}.PeriodName()
}

// markOvertake marks a crossover period: a dashed vertical line in sty's
// colour at the median and a dot on the zero line with a whisker from the
// 5% to the 95% quantile.
func markOvertake(p *plot.Plot, period sim.Stat, sty Style) error {
	p.Add(rule{at: period.P50, vertical: true, style: draw.LineStyle{Color: sty.Color, Width: vg.Points(1.5), Dashes: []vg.Length{vg.Points(6), vg.Points(4)}}})
	span := struct {
		plotter.XYs
		plotter.XErrors
	}{plotter.XYs{{X: period.P50, Y: 0}}, plotter.XErrors{{Low: period.P50 - period.P05, High: period.P95 - period.P50}}}
	if finite(period.P05) && finite(period.P95) {
		eb, err := plotter.NewXErrorBars(span)
		if err != nil {
			return err
		}
		eb.LineStyle = draw.LineStyle{Color: sty.Color, Width: vg.Points(2.5)}
		eb.CapWidth = vg.Points(10)
		p.Add(eb)
	}
	dot, err := plotter.NewScatter(span.XYs)
	if err != nil {
		return err
	}
	dot.GlyphStyle = crossingGlyph(sty.Color)
	p.Add(dot)
	return nil
}

// sweepStyle draws the outcome of a 1-D sweep: one series, not a scenario.
var sweepStyle = ScenarioStyle(1)

// Sweep charts a sweep of one or two parameters: with one axis, one panel
// per outcome with the parameter's values on the x axis and the outcome's
// median and 5-95% band across replications; with two, one heat map per
// outcome of its mean over the grid. More axes are an error.
func Sweep(s *compare.SweepResult) (*Figure, error) {
	if len(s.Outcomes) == 0 {
		return nil, errors.New("sweep: no outcome")
	}
	points := 1
	for _, a := range s.Axes {
		if a.Steps < 2 {
			return nil, fmt.Errorf("sweep: axis %s: %d grid points, want at least 2", a.Key, a.Steps)
		}
		points *= a.Steps
	}
	if len(s.Points) != points {
		return nil, fmt.Errorf("sweep: %d points, the axes span %d", len(s.Points), points)
	}
	switch len(s.Axes) {
	case 1:
		return sweepLines(s)
	case 2:
		return sweepHeat(s)
	}
	return nil, fmt.Errorf("sweep: can chart 1 or 2 axes, got %d", len(s.Axes))
}

// sweepLines charts a sweep of one axis.
func sweepLines(s *compare.SweepResult) (*Figure, error) {
	a := s.Axes[0]
	f := &Figure{
		Name:  "sweep",
		Title: fitTitle(fmt.Sprintf("Sweep of %s: median and 5–95%% band of each outcome across replications", a.Key)),
		Caption: fmt.Sprintf("Each panel is one outcome of the simulated horizon as %s moves from %s to %s in %d even steps (dots), every other parameter at its base value. "+
			"Every point ran with the same seed (common random numbers), so neighbouring points differ only through the parameter. "+
			"Lines are medians over %d replications, bands hold 90%% of them.", a.Key, shortNumber(a.From), shortNumber(a.To), a.Steps, s.Replications),
		Legend: newLegend(),
	}
	f.Legend.Add("median, 5–95% band", sweepStyle.Thumbnails()...)
	f.Legend.Add("grid point", &plotter.Scatter{GlyphStyle: pointGlyph})
	panels := make([]*plot.Plot, len(s.Outcomes))
	for k, o := range s.Outcomes {
		p := newPanel(panelTitle(outcomeLabel(o.Name, true)), paramLabel(a.Key), o.Unit)
		stats := make([]sim.Stat, len(s.Points))
		for i := range stats {
			stats[i] = s.Stat(i, k)
		}
		if err := Band(p, stats, 1, sweepStyle); err != nil {
			return nil, fmt.Errorf("sweep: %s: %w", o.Name, err)
		}
		if err := medianDots(p, stats); err != nil {
			return nil, fmt.Errorf("sweep: %s: %w", o.Name, err)
		}
		p.X.Tick.Marker = gridTicks{axis: a, index: true}
		panels[k] = p
	}
	f.Panels = grid(panels)
	return f, nil
}

// pointGlyph marks a grid point of a sweep.
var pointGlyph = draw.GlyphStyle{Color: sweepStyle.Color, Radius: vg.Points(4), Shape: rimmedDot{}}

// medianDots adds a dot at each finite median of stats, at x = index.
func medianDots(p *plot.Plot, stats []sim.Stat) error {
	var xys plotter.XYs
	for i, s := range stats {
		if finite(s.P50) {
			xys = append(xys, plotter.XY{X: float64(i), Y: s.P50})
		}
	}
	if len(xys) == 0 {
		return nil
	}
	dots, err := plotter.NewScatter(xys)
	if err != nil {
		return err
	}
	dots.GlyphStyle = pointGlyph
	p.Add(dots)
	return nil
}

// gridTicks label the axis of a sweep parameter: at each grid point when
// there are at most maxGridTicks of them, else at round values within the
// grid. With index set, grid point i is drawn at x = i (as Band draws
// series): the grid is evenly spaced, so x maps linearly to the value.
type gridTicks struct {
	axis  compare.Axis
	index bool
}

// maxGridTicks is the most grid points an axis labels one by one.
const maxGridTicks = 6

// Ticks implements plot.Ticker.
func (g gridTicks) Ticks(_, _ float64) []plot.Tick {
	a := g.axis
	var ticks []plot.Tick
	if a.Steps <= maxGridTicks {
		for _, v := range a.Values() {
			ticks = append(ticks, plot.Tick{Value: v, Label: shortNumber(v)})
		}
	} else {
		ticks = compactTicks{}.Ticks(math.Min(a.From, a.To), math.Max(a.From, a.To))
	}
	if g.index {
		step := (a.To - a.From) / float64(a.Steps-1)
		for i := range ticks {
			ticks[i].Value = (ticks[i].Value - a.From) / step
		}
	}
	return ticks
}

// sweepHeat charts a sweep of two axes: one heat map per outcome, the first
// axis across and the second up.
func sweepHeat(s *compare.SweepResult) (*Figure, error) {
	ax, ay := s.Axes[0], s.Axes[1]
	f := &Figure{
		Name:  "sweep",
		Title: fitTitle(fmt.Sprintf("Sweep of %s × %s: mean of each outcome across replications", ax.Key, ay.Key)),
		Caption: fmt.Sprintf("Each panel is one outcome of the simulated horizon over a grid of %s (across, %s to %s, %d steps) and %s (up, %s to %s, %d steps), "+
			"every other parameter at its base value and every point run with the same seed (common random numbers). "+
			"Colour is the mean over %d replications, from dark (lowest in the panel) to yellow (highest), on the scale of the panel: the bar over it gives the range, its title the unit. "+
			"Each cell prints its mean; grey cells have no defined value.",
			ax.Key, shortNumber(ax.From), shortNumber(ax.To), ax.Steps, ay.Key, shortNumber(ay.From), shortNumber(ay.To), ay.Steps, s.Replications),
		Legend: newLegend(),
		ShareX: true, ShareY: true,
	}
	cm := viridis()
	panels := make([]*plot.Plot, len(s.Outcomes))
	undefined := false
	for k, o := range s.Outcomes {
		g := meanGrid(s, k)
		panels[k] = heatPanel(g, o, ax, ay, cm)
		undefined = undefined || g.undefined()
	}
	if undefined {
		f.Legend.Add("no defined value", &plotter.Polygon{Color: nanColor})
	}
	f.Panels = grid(panels)
	return f, nil
}

// nanColor fills a heat map cell with no defined value.
var nanColor = color.Gray{0xCC}

// heatPanel draws g as a heat map coloured by cm over its finite range,
// each cell labelled with its value, titled with the outcome, its range and
// its unit in a smaller font than other panels so that narrow panels hold
// it.
func heatPanel(g *gridXYZ, o compare.Outcome, xAxis, yAxis compare.Axis, cm palette.ColorMap) *plot.Plot {
	title := panelTitle(outcomeLabel(o.Name, true)) + "\n(" + o.Unit + ")"
	lo, hi, ok := g.finiteRange()
	if !ok {
		title = panelTitle(outcomeLabel(o.Name, true)) + "\nno defined value"
	}
	p := newPanel(title, paramLabel(xAxis.Key), paramLabel(yAxis.Key))
	p.Title.TextStyle.Font.Size = font.Length(labelSize)
	p.X.Tick.Marker, p.Y.Tick.Marker = gridTicks{axis: xAxis}, gridTicks{axis: yAxis}
	if !ok {
		return p
	}
	if lo == hi { // one colour: the middle of the palette
		lo, hi = lo-0.5, hi+0.5
	}
	h := plotter.NewHeatMap(g, cm.Palette(256))
	h.Min, h.Max, h.NaN = lo, hi, nanColor
	p.Add(h, cellLabels{h}, colorBar{cm: cm, lo: lo, hi: hi})
	return p
}

// colorBar is the colour scale of a heat map: a strip of the colour map
// over the top of the data area, labelled with the values at its ends, in
// room the plot makes for it above its data (see GlyphBoxes).
type colorBar struct {
	cm     palette.ColorMap
	lo, hi float64
}

// colorBarHeight is the height of a colour bar's strip; colorBarGap
// separates it from the data.
const (
	colorBarHeight = vg.Length(10)
	colorBarGap    = vg.Length(6)
)

// Plot implements plot.Plotter.
func (b colorBar) Plot(c draw.Canvas, _ *plot.Plot) {
	lo, hi := shortNumber(b.lo), shortNumber(b.hi)
	sty := cellLabelStyle
	sty.Color = color.Black
	y0 := c.Max.Y + colorBarGap
	left, right := c.Min.X+sty.Width(lo)+4, c.Max.X-sty.Width(hi)-4
	if right <= left {
		return
	}
	strip := c
	strip.Rectangle = vg.Rectangle{Min: vg.Point{X: left, Y: y0}, Max: vg.Point{X: right, Y: y0 + colorBarHeight}}
	gradient{b.cm}.Thumbnail(&strip)
	sty.XAlign = draw.XLeft
	c.FillText(sty, vg.Point{X: c.Min.X, Y: y0 + colorBarHeight/2}, lo)
	sty.XAlign = draw.XRight
	c.FillText(sty, vg.Point{X: c.Max.X, Y: y0 + colorBarHeight/2}, hi)
}

// GlyphBoxes implements plot.GlyphBoxer: room above the data area for the bar.
func (b colorBar) GlyphBoxes(*plot.Plot) []plot.GlyphBox {
	h := max(colorBarHeight, cellLabelStyle.Height("0")) + colorBarGap
	return []plot.GlyphBox{{X: 0, Y: 1, Rectangle: vg.Rectangle{Max: vg.Point{X: 1, Y: h}}}}
}

// cellLabels print the value of each finite cell of a heat map at its
// centre, in black on light colours and white on dark ones, in the largest
// of cellLabelSizes at which every label fits in its cell; in none when
// the smallest does not fit.
type cellLabels struct{ h *plotter.HeatMap }

// cellLabelStyle is the text style of cellLabels.
var cellLabelStyle = text.Style{Font: font.From(sans, tickSize), XAlign: draw.XCenter, YAlign: draw.YCenter, Handler: plot.DefaultTextHandler}

// cellLabelSizes are the font sizes cellLabels try, in points, largest first.
var cellLabelSizes = []float64{tickSize, 11, 9, 7}

// Plot implements plot.Plotter.
func (l cellLabels) Plot(c draw.Canvas, p *plot.Plot) {
	g := l.h.GridXYZ
	trX, trY := p.Transforms(&c)
	cols, rows := g.Dims()
	w := cellSize(cols, func(i int) vg.Length { return trX(g.X(i)) }, c.Max.X-c.Min.X)
	h := cellSize(rows, func(j int) vg.Length { return trY(g.Y(j)) }, c.Max.Y-c.Min.Y)
	type label struct {
		pt  vg.Point
		txt string
		v   float64
	}
	var labels []label
	for i := range cols {
		for j := range rows {
			if v := g.Z(i, j); finite(v) {
				labels = append(labels, label{vg.Point{X: trX(g.X(i)), Y: trY(g.Y(j))}, shortNumber(v), v})
			}
		}
	}
	base := cellLabelStyle
	fits := func(size float64) bool {
		base.Font.Size = font.Length(size)
		for _, lb := range labels {
			if base.Width(lb.txt) > 0.9*w || base.Height(lb.txt) > 0.9*h {
				return false
			}
		}
		return true
	}
	i := slices.IndexFunc(cellLabelSizes, fits)
	if i < 0 {
		return
	}
	base.Font.Size = font.Length(cellLabelSizes[i])
	for _, lb := range labels {
		sty := base
		sty.Color = color.Black
		if color.GrayModel.Convert(l.color(lb.v)).(color.Gray).Y < 0x80 {
			sty.Color = color.White
		}
		c.FillText(sty, lb.pt, lb.txt)
	}
}

// color is the heat map's colour of a finite value v, picked as
// plotter.HeatMap picks it.
func (l cellLabels) color(v float64) color.Color {
	pal := l.h.Palette.Colors()
	i := int((v-l.h.Min)*float64(len(pal)-1)/(l.h.Max-l.h.Min) + 0.5)
	return pal[min(len(pal)-1, max(0, i))]
}

// cellSize is the smallest distance between neighbouring cell centres,
// at(i) the position of centre i; whole with a single cell.
func cellSize(n int, at func(int) vg.Length, whole vg.Length) vg.Length {
	size := whole
	for i := 1; i < n; i++ {
		d := at(i) - at(i-1)
		size = min(size, max(d, -d))
	}
	return size
}

// gridXYZ is a plotter.GridXYZ: z[c*len(ys)+r] is the value at (xs[c], ys[r]).
type gridXYZ struct {
	xs, ys, z []float64
}

// meanGrid is the mean of outcome k of a 2-axis sweep at each point, the
// first axis as columns and the second as rows (the first varies slowest
// in s.Points, as in z).
func meanGrid(s *compare.SweepResult, k int) *gridXYZ {
	g := &gridXYZ{xs: s.Axes[0].Values(), ys: s.Axes[1].Values(), z: make([]float64, len(s.Points))}
	for p := range s.Points {
		g.z[p] = s.Stat(p, k).Mean
	}
	return g
}

// Dims implements plotter.GridXYZ.
func (g *gridXYZ) Dims() (c, r int) { return len(g.xs), len(g.ys) }

// Z implements plotter.GridXYZ.
func (g *gridXYZ) Z(c, r int) float64 { return g.z[c*len(g.ys)+r] }

// X implements plotter.GridXYZ.
func (g *gridXYZ) X(c int) float64 { return g.xs[c] }

// Y implements plotter.GridXYZ.
func (g *gridXYZ) Y(r int) float64 { return g.ys[r] }

// undefined reports whether some value of g is not finite.
func (g *gridXYZ) undefined() bool {
	for _, v := range g.z {
		if !finite(v) {
			return true
		}
	}
	return false
}

// finiteRange is the least and greatest finite value of g; ok is false
// when it has none.
func (g *gridXYZ) finiteRange() (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range g.z {
		if finite(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	return lo, hi, lo <= hi
}

// viridisControls are five colours of the viridis colour map (van der Walt
// and Smith, matplotlib), from dark purple to yellow: luminance rises
// monotonically, so the map reads in grey and under colour blindness.
var viridisControls = []color.Color{
	color.NRGBA{0x44, 0x01, 0x54, 0xFF},
	color.NRGBA{0x3B, 0x52, 0x8B, 0xFF},
	color.NRGBA{0x21, 0x91, 0x8C, 0xFF},
	color.NRGBA{0x5E, 0xC9, 0x62, 0xFF},
	color.NRGBA{0xFD, 0xE7, 0x25, 0xFF},
}

// viridis is a colour map over [0, 1] interpolating viridisControls with
// luminance linear in the value.
func viridis() palette.ColorMap {
	cm, err := moreland.NewLuminance(viridisControls)
	if err != nil {
		panic(err) // the controls are constant and increase in luminance
	}
	cm.SetMin(0)
	cm.SetMax(1)
	return cm
}

// gradient is a legend sample of a colour map over [0, 1]: its colours
// from left to right in gradientSteps steps.
type gradient struct{ cm palette.ColorMap }

// gradientSteps is the number of colours of a gradient.
const gradientSteps = 16

// Thumbnail implements plot.Thumbnailer.
func (g gradient) Thumbnail(c *draw.Canvas) {
	w := (c.Max.X - c.Min.X) / gradientSteps
	for i := range gradientSteps {
		col, err := g.cm.At((float64(i) + 0.5) / gradientSteps)
		if err != nil {
			continue
		}
		x := c.Min.X + vg.Length(i)*w
		c.FillPolygon(col, []vg.Point{{X: x, Y: c.Min.Y}, {X: x + w, Y: c.Min.Y}, {X: x + w, Y: c.Max.Y}, {X: x, Y: c.Max.Y}})
	}
}

// maxBars is the most bars Tornado draws.
const maxBars = 20

// Colours of the two ends of a tornado bar: Okabe-Ito blue for the low end
// and vermillion for the high end, a pair told apart under colour blindness.
var (
	lowColor  = scenarioColors[1]
	highColor = scenarioColors[5]
)

// whiskerStyle draws a 95% interval.
var whiskerStyle = draw.LineStyle{Color: color.Black, Width: vg.Points(1.5)}

// Tornado charts a sensitivity analysis: one row per bar of t, largest
// swing at the top, at most maxBars rows. In each row two horizontal bars
// from zero show the mean paired difference of the outcome from the base
// when the parameter is moved to its low end (upper bar) and to its high
// end (lower bar), each with a whisker over its 95% interval.
func Tornado(t *compare.Tornado) (*Figure, error) {
	if len(t.Bars) == 0 {
		return nil, fmt.Errorf("sensitivity: %s: no parameter could be moved (%d skipped)", t.Outcome, len(t.Skipped))
	}
	bars := t.Bars[:min(len(t.Bars), maxBars)]
	p := newPanel("", fmt.Sprintf("%s difference (%s)", outcomeLabel(t.Outcome, false), t.Unit), "parameter (low → high value)")
	ticks := make(plot.ConstantTicks, len(bars))
	for r, b := range bars {
		ticks[r] = plot.Tick{Value: rowY(r, len(bars)), Label: barLabel(t, b)}
	}
	p.Y.Tick.Marker = ticks
	p.Add(rule{at: 0, vertical: true, style: zeroStyle})
	if err := tornadoBars(p, bars); err != nil {
		return nil, fmt.Errorf("sensitivity: %s: %w", t.Outcome, err)
	}
	p.Y.Min, p.Y.Max = -0.5, float64(len(bars))-0.5
	pad := 0.06 * (p.X.Max - p.X.Min) // the longest bar and its whisker end clear of the edge
	p.X.Min, p.X.Max = p.X.Min-pad, p.X.Max+pad
	f := &Figure{
		Name:    "sensitivity",
		Title:   fitTitle(fmt.Sprintf("Sensitivity of %s: effect of moving each parameter %s (paired, 95%% intervals)", outcomeLabel(t.Outcome, false), movedHow(t.Bars))),
		Caption: tornadoCaption(t, len(bars)),
		Legend:  newLegend(),
		Panels:  [][]*plot.Plot{{p}},
	}
	f.Legend.Add("low end (upper bar)", &plotter.Polygon{Color: lowColor})
	f.Legend.Add("high end (lower bar)", &plotter.Polygon{Color: highColor})
	f.Legend.Add("95% interval of the mean", whiskerThumb{})
	return f, nil
}

// movedHow says how a sensitivity analysis moved its parameters, from the
// ends of its bars (those marked with a Note aside): "over its allowed
// range" when every end is an end of the parameter's range, "±20%" when
// every end is the base value moved by one share of it, else "to a low and
// a high value".
func movedHow(bars []compare.Bar) string {
	var step float64
	relative, ranged, n := true, true, 0
	for _, b := range bars {
		if b.Note != "" {
			continue
		}
		n++
		if p, ok := sim.Lookup(b.Key); !ok || b.Low != p.Min || b.High != p.Max {
			ranged = false
		}
		if b.Base == 0 {
			relative = false
			continue
		}
		lo, hi := (b.Base-b.Low)/math.Abs(b.Base), (b.High-b.Base)/math.Abs(b.Base)
		if step == 0 {
			step = hi
		}
		if math.Abs(lo-step) > 1e-9 || math.Abs(hi-step) > 1e-9 {
			relative = false
		}
	}
	switch {
	case n == 0:
	case ranged: // before relative: 0.5 moved over [0, 1] is also ±100%
		return "over its allowed range"
	case relative && step > 0:
		return "±" + strconv.FormatFloat(math.Round(1000*step)/10, 'f', -1, 64) + "%"
	}
	return "to a low and a high value"
}

// tornadoCaption tells how to read Tornado drawn with the first shown bars
// of t.
func tornadoCaption(t *compare.Tornado, shown int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Each row moves one parameter alone to its low end (blue, upper bar) and its high end (vermillion, lower bar), the values in its label: "+
		"the 5–95%% of its uncertain: distribution, else its whole allowed range where both ends are natural (probabilities), else its base value ∓%g%% (sensitivity.csv's basis column says which), "+
		"every other parameter at its base value and every run with the base's seed (common random numbers). "+
		"A bar is the mean over %d replications of %s at that end minus %s at the base in the same replication; the black whisker at its tip is the 95%% t interval of that mean. "+
		"Rows are sorted by swing (the distance between the two bars' ends), largest at the top. "+
		"At the base the mean is %s %s (5–95%% of replications: %s to %s).",
		100*compare.SensitivityStep, t.Replications, t.Outcome, t.Outcome, shortNumber(t.Base.Mean), t.Unit, shortNumber(t.Base.P05), shortNumber(t.Base.P95))
	for _, bar := range t.Bars[:shown] {
		if bar.Note != "" {
			b.WriteString(" * marks ends adjusted or drawn from a distribution (clipped to the allowed range or a related parameter, rounded to whole numbers); sensitivity.csv's note says how.")
			break
		}
	}
	if slices.ContainsFunc(t.Bars[:shown], func(bar compare.Bar) bool { return bar.Replications > 0 && bar.Replications < t.Replications }) {
		fmt.Fprintf(&b, " n=R marks a bar with fewer replications: the adaptive analysis stopped it once its place was settled, those below the top %d once their swing interval lay below the top's (screened out); "+
			"its whiskers are wider, and with n=1 there are none.", t.Top)
	}
	if shown < len(t.Bars) {
		fmt.Fprintf(&b, " Only the %d largest of %d swings are shown; sensitivity.csv lists all.", shown, len(t.Bars))
	}
	if len(t.Skipped) > 0 {
		fmt.Fprintf(&b, " %d parameter(s) could not be moved and are left out (see sensitivity.csv).", len(t.Skipped))
	}
	return b.String()
}

// rowY is the y of row r of n, row 0 at the top.
func rowY(r, n int) float64 { return float64(n - 1 - r) }

// barLabel names a tornado row of t: "key (low → high)", with a * when
// the ends were moved otherwise than the rest (the bar has a Note) and
// "n=R" when the bar has fewer replications than t's most.
func barLabel(t *compare.Tornado, b compare.Bar) string {
	s := fmt.Sprintf("%s (%s → %s)", b.Key, exactNumber(b.Low), exactNumber(b.High))
	if b.Note != "" {
		s += " *"
	}
	if b.Replications > 0 && b.Replications < t.Replications {
		s += fmt.Sprintf(" n=%d", b.Replications)
	}
	return s
}

// barHalf is half the thickness of a tornado bar, in rows; the low end's
// bar sits above the row's centre and the high end's below.
const barHalf = 0.18

// tornadoBars draws both ends of each bar, row r at rowY(r), with whiskers.
func tornadoBars(p *plot.Plot, bars []compare.Bar) error {
	var whiskers struct {
		plotter.XYs
		plotter.XErrors
	}
	for r, b := range bars {
		y := rowY(r, len(bars))
		for _, end := range []struct {
			diff compare.Paired
			y    float64
			fill color.Color
		}{{b.LowDiff, y + barHalf + 0.02, lowColor}, {b.HighDiff, y - barHalf - 0.02, highColor}} {
			if !finite(end.diff.Mean) {
				continue
			}
			bar, err := plotter.NewPolygon(plotter.XYs{{X: 0, Y: end.y - barHalf}, {X: end.diff.Mean, Y: end.y - barHalf}, {X: end.diff.Mean, Y: end.y + barHalf}, {X: 0, Y: end.y + barHalf}})
			if err != nil {
				return fmt.Errorf("%s: %w", b.Key, err)
			}
			bar.Color, bar.LineStyle.Width = end.fill, 0
			p.Add(bar)
			if iv := end.diff.CI95; finite(iv.Low) && finite(iv.High) {
				whiskers.XYs = append(whiskers.XYs, plotter.XY{X: end.diff.Mean, Y: end.y})
				whiskers.XErrors = append(whiskers.XErrors, struct{ Low, High float64 }{end.diff.Mean - iv.Low, iv.High - end.diff.Mean})
			}
		}
	}
	if len(whiskers.XYs) == 0 {
		return nil
	}
	eb, err := plotter.NewXErrorBars(whiskers)
	if err != nil {
		return fmt.Errorf("whiskers: %w", err)
	}
	eb.LineStyle, eb.CapWidth = whiskerStyle, vg.Points(8)
	p.Add(eb)
	return nil
}

// zeroStyle draws the line of no difference.
var zeroStyle = draw.LineStyle{Color: color.Black, Width: vg.Points(1)}

// rule is a straight line across the whole data area of a plot, vertical
// at x = at or horizontal at y = at. Its data range holds at, so the line
// is always in view, and nothing across.
type rule struct {
	at       float64
	vertical bool
	style    draw.LineStyle
}

// Plot implements plot.Plotter.
func (r rule) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	if r.vertical {
		x := trX(r.at)
		c.StrokeLine2(r.style, x, c.Min.Y, x, c.Max.Y)
		return
	}
	y := trY(r.at)
	c.StrokeLine2(r.style, c.Min.X, y, c.Max.X, y)
}

// DataRange implements plot.DataRanger.
func (r rule) DataRange() (xmin, xmax, ymin, ymax float64) {
	inf := math.Inf(1)
	if r.vertical {
		return r.at, r.at, inf, -inf
	}
	return inf, -inf, r.at, r.at
}

// noteLine is one line of text about a series drawn in a colour: the text
// in black, after a sample of the colour, so that light colours stay
// readable.
type noteLine struct {
	color color.Color
	text  string
}

// notes are lines of text over the top left corner of a plot's data area,
// in columns of at most noteRows lines, in room the plot makes for them
// above its data (see GlyphBoxes), so that they never cover the data and
// many of them take little height.
type notes []noteLine

// noteRows is the most lines of notes one above another.
const noteRows = 3

// noteColumnGap separates columns of notes.
const noteColumnGap = vg.Length(18)

// noteStyle is the text style of notes.
var noteStyle = text.Style{Color: color.Black, Font: font.From(sans, noteSize), XAlign: draw.XLeft, YAlign: draw.YTop, Handler: plot.DefaultTextHandler}

// notePad is the space around notes.
const notePad = vg.Length(6)

// noteSwatch is the length of the colour sample before a note's text, and
// noteSwatchGap the space after it.
const (
	noteSwatch    = vg.Length(14)
	noteSwatchGap = vg.Length(5)
)

// width is the width of the line, its colour sample included.
func (l noteLine) width() vg.Length { return noteSwatch + noteSwatchGap + noteStyle.Width(l.text) }

// lineHeight is the height of one line of notes.
func (noteLine) lineHeight() vg.Length { return noteStyle.Height("M") * 1.15 }

// columns splits the notes into columns of at most noteRows lines, as
// even in length as they can be.
func (n notes) columns() []notes {
	cols := (len(n) + noteRows - 1) / noteRows
	rows := (len(n) + cols - 1) / max(cols, 1)
	var out []notes
	for start := 0; start < len(n); start += rows {
		out = append(out, n[start:min(len(n), start+rows)])
	}
	return out
}

// width is the width of the widest line of n.
func (n notes) width() vg.Length {
	var w vg.Length
	for _, l := range n {
		w = max(w, l.width())
	}
	return w
}

// Plot implements plot.Plotter.
func (n notes) Plot(c draw.Canvas, _ *plot.Plot) {
	top := c.Max.Y + n.size().Y
	x := c.Min.X + notePad
	for _, col := range n.columns() {
		y := top
		for _, l := range col {
			mid := y - l.lineHeight()/2
			c.StrokeLine2(draw.LineStyle{Color: l.color, Width: vg.Points(4)}, x, mid, x+noteSwatch, mid)
			c.FillText(noteStyle, vg.Point{X: x + noteSwatch + noteSwatchGap, Y: y}, l.text)
			y -= l.lineHeight()
		}
		x += col.width() + noteColumnGap
	}
}

// GlyphBoxes implements plot.GlyphBoxer: one box over the left end of the
// data area, as high as the notes, which the plot keeps free. It claims no
// width: the notes run along the top of the data area, however wide.
func (n notes) GlyphBoxes(*plot.Plot) []plot.GlyphBox {
	return []plot.GlyphBox{{X: 0, Y: 1, Rectangle: vg.Rectangle{Max: vg.Point{Y: n.size().Y}}}}
}

// size is the width and height the notes take, padding included.
func (n notes) size() vg.Point {
	var sz vg.Point
	for i, col := range n.columns() {
		if i > 0 {
			sz.X += noteColumnGap
		}
		sz.X += col.width()
		var h vg.Length
		for _, l := range col {
			h += l.lineHeight()
		}
		sz.Y = max(sz.Y, h)
	}
	return vg.Point{X: sz.X + 2*notePad, Y: sz.Y + notePad}
}

// addNotes adds lines over p's data area, if there are any.
func addNotes(p *plot.Plot, lines []noteLine) {
	if len(lines) > 0 {
		p.Add(notes(lines))
	}
}

// titleWidth is the widest a figure title may be on one line.
const titleWidth = Width - 2*vg.Inch

// fitTitle breaks a figure title too wide for one line after its first
// colon.
func fitTitle(s string) string {
	sty := text.Style{Font: font.From(sans, figureTitleSize), Handler: plot.DefaultTextHandler}
	if sty.Width(s) <= titleWidth {
		return s
	}
	return strings.Replace(s, ": ", ":\n", 1)
}

// panelTitleWidth is the widest a panel title may be on one line: the
// spacing of panels four to a row beside a legend.
const panelTitleWidth = 2.2 * vg.Inch

// panelTitle breaks a panel title wider than panelTitleWidth into two lines
// at its space nearest the middle.
func panelTitle(s string) string {
	return breakWide(s, text.Style{Font: font.From(sans, panelTitleSize), Handler: plot.DefaultTextHandler}, panelTitleWidth)
}

// breakWide breaks s, in sty, into two lines when it is wider than width:
// before its last parenthesis, if it has one after its first word, else at
// its space nearest the middle.
func breakWide(s string, sty text.Style, width vg.Length) string {
	if sty.Width(s) <= width {
		return s
	}
	if i := strings.LastIndex(s, " ("); i > 0 {
		return s[:i] + "\n" + s[i+1:]
	}
	best := -1
	for i, r := range s {
		if r == ' ' && (best < 0 || abs(i-len(s)/2) < abs(best-len(s)/2)) {
			best = i
		}
	}
	if best < 0 {
		return s
	}
	return s[:best] + "\n" + s[best+1:]
}

func abs(x int) int { return max(x, -x) }

// acronyms are written in capitals in outcome labels.
var acronyms = map[string]string{"clv": "CLV", "nps": "NPS", "cac": "CAC"}

// outcomeLabel is an outcome's name as words, "final_nps" as "final NPS",
// with a capital first letter if capital.
func outcomeLabel(name string, capital bool) string {
	words := strings.Split(name, "_")
	for i, w := range words {
		if a, ok := acronyms[w]; ok {
			words[i] = a
		}
	}
	s := strings.Join(words, " ")
	if capital && s != "" {
		s = strings.ToUpper(s[:1]) + s[1:]
	}
	return s
}

// paramLabel is an axis label for a parameter: its key and, if it has one,
// its unit, e.g. "market.cac (currency/customer)".
func paramLabel(key string) string {
	if p, ok := sim.Lookup(key); ok && p.Unit != "" {
		return key + " (" + p.Unit + ")"
	}
	return key
}

// shortNumber writes x to three significant digits, with a k or M suffix
// from a thousand up: 12345 as "12.3k", 0.01234 as "0.0123".
func shortNumber(x float64) string {
	if !finite(x) || x == 0 {
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	scale := math.Pow10(2 - int(math.Floor(math.Log10(math.Abs(x)))))
	return compact(math.Round(x*scale)/scale, -1)
}

// exactNumber writes x in full, as short as it reads back exactly.
func exactNumber(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
