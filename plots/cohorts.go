package plots

import (
	"fmt"
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/retsim/retsim/sim"
)

// CLV charts the value of a first-year customer by acquisition channel:
// for the cells of cohort 0 (customers who joined in the first year), the
// Value at the greatest age every such cell of every scenario reaches, so
// that all bars cover the same span of life. Bars are means over
// replications, whiskers the 5% and 95% quantiles; a triangle marks each
// cell's mean lifetime value, the expected margin after the horizon
// included (sim.CohortSeries.Lifetime); a dashed line marks the CAC.
func CLV(sums []*sim.Summary) (*Figure, error) {
	age := clvAge(sums)
	u := timeUnit(sums[0].Config)
	f := &Figure{Name: "clv", Title: fmt.Sprintf("Value per first-year customer by acquisition channel: first %d %ss of life (horizon %d %ss)", age+1, u, periods(sums), u),
		Caption: fmt.Sprintf("Bars: mean over replications of the margin (revenue less variable, service, incident and gesture costs) per customer who joined in the first year, "+
			"discounted to the join period and summed over the customer's first %d %ss, churned customers counting zero once gone: "+
			"the longest span of life every channel's first-year customers reach within the %d-%s horizon (acquired customers join from %s 1 on). "+
			"Whiskers: 5%% to 95%% of the replications' means (the range across replications, not a confidence interval of the mean); a channel with few customers (see the cohort table) gives unstable values. "+
			"\"none\" marks a scenario with no first-year customer from that channel. "+
			"Triangles: mean lifetime value, the same margin with the expected margin after the horizon of the customers still active then "+
			"(each valued in closed form with its goodwill, plan, price and hazard frozen as the horizon leaves them). "+
			"Acquisition cost is not subtracted: the dashed line is the CAC, paid for the paid and discount channels only (black when all scenarios share it, else in each scenario's colour).", age+1, u, periods(sums), u, u),
		Legend: newLegend(),
	}
	pal := paletteOf(sums)
	for _, s := range sums {
		f.addScenarioBar(s.Scenario, pal.Style(s.Scenario))
	}
	if age < 0 {
		f.Title = "Value per first-year customer by acquisition channel: no value within the horizon"
	}
	chans := firstYearChannels(sums)
	p := newPanel("", "acquisition channel", "currency per customer (value at joining)")
	ticks := make(plot.ConstantTicks, len(chans))
	for k, ch := range chans {
		ticks[k] = plot.Tick{Value: float64(k), Label: channelLabels[ch]}
	}
	p.X.Tick.Marker = ticks
	p.X.Min, p.X.Max = -0.5, float64(len(chans))-0.5
	whiskers, err := valueBars(p, sums, chans, age)
	if err != nil {
		return nil, fmt.Errorf("clv: %w", err)
	}
	if whiskers {
		f.Legend.Add("5–95% of replications", whiskerThumb{vertical: true})
	}
	marked, err := lifetimeMarks(p, sums, chans)
	if err != nil {
		return nil, fmt.Errorf("clv: %w", err)
	}
	if marked {
		f.Legend.Add("lifetime value (after the horizon included)", &plotter.Scatter{GlyphStyle: lifetimeGlyph})
	}
	drawn, err := cacLines(p, sums, chans)
	if err != nil {
		return nil, fmt.Errorf("clv: %w", err)
	}
	if drawn {
		f.Legend.Add("CAC (paid and discount channels)", &plotter.Line{LineStyle: cacStyle(color.Black)})
	}
	f.Panels = [][]*plot.Plot{{p}}
	return f, nil
}

// valueBars draws, for each channel k of chans at x = k, one bar per
// scenario side by side: the mean Value at age of its cohort-0 cell, with a
// whisker from the 5% to the 95% quantile, or "none" written up from zero
// when the scenario has no such cell. It reports whether it drew whiskers.
func valueBars(p *plot.Plot, sums []*sim.Summary, chans []sim.Channel, age int) (bool, error) {
	whiskers := struct {
		plotter.XYs
		plotter.YErrors
	}{}
	pal := paletteOf(sums)
	var missing plotter.XYs
	for i, s := range sums {
		for k, ch := range chans {
			x, w := barX(k, i, len(sums))
			v, ok := cellValue(s, ch, age)
			if !ok {
				missing = append(missing, plotter.XY{X: x, Y: 0})
				continue
			}
			bar, err := plotter.NewPolygon(plotter.XYs{{X: x - 0.45*w, Y: 0}, {X: x - 0.45*w, Y: v.Mean}, {X: x + 0.45*w, Y: v.Mean}, {X: x + 0.45*w, Y: 0}})
			if err != nil {
				return false, fmt.Errorf("%s: %s: %w", s.Scenario, ch, err)
			}
			bar.Color, bar.LineStyle.Width = pal.Style(s.Scenario).Color, 0
			p.Add(bar)
			whiskers.XYs = append(whiskers.XYs, plotter.XY{X: x, Y: v.Mean})
			whiskers.YErrors = append(whiskers.YErrors, struct{ Low, High float64 }{v.Mean - v.P05, v.P95 - v.Mean})
		}
	}
	if len(missing) > 0 {
		lbl, err := plotter.NewLabels(plotter.XYLabels{XYs: missing, Labels: slices.Repeat([]string{"none"}, len(missing))})
		if err != nil {
			return false, fmt.Errorf("missing bars: %w", err)
		}
		for i := range lbl.TextStyle {
			lbl.TextStyle[i].Font = font.From(sans, tickSize)
			lbl.TextStyle[i].Rotation = math.Pi / 2
			lbl.TextStyle[i].XAlign, lbl.TextStyle[i].YAlign = draw.XLeft, draw.YCenter
		}
		lbl.Offset.Y = vg.Points(4)
		p.Add(lbl)
	}
	if len(whiskers.XYs) == 0 {
		return false, nil
	}
	eb, err := plotter.NewYErrorBars(whiskers)
	if err != nil {
		return false, fmt.Errorf("whiskers: %w", err)
	}
	eb.LineStyle = whiskerStyle
	eb.CapWidth = vg.Points(10)
	p.Add(eb)
	if p.Y.Max > 0 {
		p.Y.Max *= 1.05 // room above the highest whisker
	}
	return true, nil
}

// barX is the centre and width of scenario i's bar (of n) at channel
// position k.
func barX(k, i, n int) (x, width float64) {
	width = 0.8 / float64(n)
	return float64(k) + (float64(i)-float64(n-1)/2)*width, width
}

// lifetimeGlyph marks a lifetime value.
var lifetimeGlyph = draw.GlyphStyle{Color: color.Black, Radius: vg.Points(5), Shape: draw.PyramidGlyph{}}

// lifetimeMarks marks, over each bar of valueBars, the mean lifetime value
// of the scenario's cohort-0 cell of that channel, and reports whether it
// marked any.
func lifetimeMarks(p *plot.Plot, sums []*sim.Summary, chans []sim.Channel) (bool, error) {
	var pts plotter.XYs
	for i, s := range sums {
		for k, ch := range chans {
			for _, c := range s.Cohorts {
				if c.Cohort == 0 && c.Channel == ch && finite(c.Lifetime.Mean) {
					x, _ := barX(k, i, len(sums))
					pts = append(pts, plotter.XY{X: x, Y: c.Lifetime.Mean})
				}
			}
		}
	}
	if len(pts) == 0 {
		return false, nil
	}
	marks, err := plotter.NewScatter(pts)
	if err != nil {
		return false, fmt.Errorf("lifetime: %w", err)
	}
	marks.GlyphStyle = lifetimeGlyph
	top := p.Y.Max
	p.Add(marks)
	if p.Y.Max > top && p.Y.Max > 0 {
		p.Y.Max *= 1.05 // room above the highest mark
	}
	return true, nil
}

// cacLines draws each scenario's CAC, when positive, as a dashed line
// across the bars of the channels of chans that pay it (paid and
// discount, at x = their index): one black line when every scenario has
// the same CAC, else one in each scenario's colour. It reports whether it
// drew any.
func cacLines(p *plot.Plot, sums []*sim.Summary, chans []sim.Channel) (bool, error) {
	same := true
	for _, s := range sums {
		same = same && s.Config.Market.CAC == sums[0].Config.Market.CAC
	}
	drawn, pal := false, paletteOf(sums)
	for i, s := range sums {
		cac := s.Config.Market.CAC
		if cac <= 0 || (same && i > 0) {
			continue
		}
		var c color.Color = color.Black
		if !same {
			c = pal.Style(s.Scenario).Color
		}
		for k, ch := range chans {
			if ch != sim.ChannelPaid && ch != sim.ChannelDiscount {
				continue
			}
			line, err := plotter.NewLine(plotter.XYs{{X: float64(k) - 0.45, Y: cac}, {X: float64(k) + 0.45, Y: cac}})
			if err != nil {
				return false, fmt.Errorf("%s: cac: %w", s.Scenario, err)
			}
			line.LineStyle = cacStyle(c)
			p.Add(line)
			drawn = true
		}
	}
	return drawn, nil
}

// cacStyle is the dashed line of a CAC.
func cacStyle(c color.Color) draw.LineStyle {
	return draw.LineStyle{Color: c, Width: vg.Points(2), Dashes: []vg.Length{vg.Points(6), vg.Points(4)}}
}

// firstYearChannels are the channels with a cohort-0 cell in some scenario,
// in channel order.
func firstYearChannels(sums []*sim.Summary) []sim.Channel {
	var has [sim.NumChannels]bool
	for _, s := range sums {
		for _, c := range s.Cohorts {
			if c.Cohort == 0 {
				has[c.Channel] = true
			}
		}
	}
	var out []sim.Channel
	for ch, ok := range has {
		if ok {
			out = append(out, sim.Channel(ch))
		}
	}
	return out
}

// clvAge is the greatest age at which the mean Value of every cohort-0 cell
// of every scenario is known; cells with no known value are ignored, and
// -1 means none is known.
func clvAge(sums []*sim.Summary) int {
	age := -1
	for _, s := range sums {
		for _, c := range s.Cohorts {
			if c.Cohort != 0 {
				continue
			}
			last := -1
			for a, v := range c.Value {
				if finite(v.Mean) {
					last = a
				}
			}
			if last >= 0 && (age < 0 || last < age) {
				age = last
			}
		}
	}
	return age
}

// cellValue is the Value at age of s's cohort-0 cell of channel ch.
func cellValue(s *sim.Summary, ch sim.Channel, age int) (sim.Stat, bool) {
	for _, c := range s.Cohorts {
		if c.Cohort == 0 && c.Channel == ch && age >= 0 && age < len(c.Value) && finite(c.Value[age].Mean) {
			return c.Value[age], true
		}
	}
	return sim.Stat{}, false
}
