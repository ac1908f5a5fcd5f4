package plots

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/retsim/retsim/sim"
)

// Band adds a per-period summary to p: a translucent polygon from the 5% to
// the 95% quantile and a line through the median, both in sty. stats[t] is
// drawn at x = t and every value is multiplied by scale (100 shows a share
// in %). A period whose quantiles are NaN (nothing to measure) breaks the
// band and the line, so gaps are shown as gaps.
func Band(p *plot.Plot, stats []sim.Stat, scale float64, sty Style) error {
	lo, mid, hi := make([]float64, len(stats)), make([]float64, len(stats)), make([]float64, len(stats))
	for t, s := range stats {
		lo[t], mid[t], hi[t] = s.P05*scale, s.P50*scale, s.P95*scale
	}
	if err := area(p, lo, hi, sty.fill()); err != nil {
		return fmt.Errorf("band: %w", err)
	}
	if err := curve(p, mid, sty.line()); err != nil {
		return fmt.Errorf("median: %w", err)
	}
	return nil
}

// Stack adds layers[k] (one value per period) as areas stacked in order
// from the bottom, layer k filled with fills[k]. A NaN in a layer breaks
// that layer and every layer above it.
func Stack(p *plot.Plot, layers [][]float64, fills []color.Color) error {
	if len(layers) == 0 {
		return nil
	}
	lo := make([]float64, len(layers[0]))
	for k, layer := range layers {
		hi := make([]float64, len(lo))
		for t := range hi {
			hi[t] = lo[t] + layer[t]
		}
		if err := area(p, lo, hi, fills[k]); err != nil {
			return fmt.Errorf("layer %d: %w", k, err)
		}
		lo = hi
	}
	return nil
}

// area adds one filled polygon between lo and hi (x = period) for each run
// of periods where both are finite.
func area(p *plot.Plot, lo, hi []float64, fill color.Color) error {
	for _, r := range runs(len(lo), func(t int) bool { return finite(lo[t]) && finite(hi[t]) }) {
		ring := make(plotter.XYs, 0, 2*(r.end-r.start))
		for t := r.start; t < r.end; t++ {
			ring = append(ring, plotter.XY{X: float64(t), Y: hi[t]})
		}
		for t := r.end - 1; t >= r.start; t-- {
			ring = append(ring, plotter.XY{X: float64(t), Y: lo[t]})
		}
		poly, err := plotter.NewPolygon(ring)
		if err != nil {
			return err
		}
		poly.Color = fill
		poly.LineStyle.Width = 0
		p.Add(poly)
	}
	return nil
}

// curve adds one line through ys (x = period) for each run of finite values.
func curve(p *plot.Plot, ys []float64, ls draw.LineStyle) error {
	for _, r := range runs(len(ys), func(t int) bool { return finite(ys[t]) }) {
		xys := make(plotter.XYs, 0, r.end-r.start)
		for t := r.start; t < r.end; t++ {
			xys = append(xys, plotter.XY{X: float64(t), Y: ys[t]})
		}
		l, err := plotter.NewLine(xys)
		if err != nil {
			return err
		}
		l.LineStyle = ls
		p.Add(l)
	}
	return nil
}

// span is the half-open range of periods [start, end).
type span struct{ start, end int }

// runs returns the maximal spans of periods in [0, n) where ok holds.
func runs(n int, ok func(t int) bool) []span {
	var out []span
	for t := 0; t < n; t++ {
		if !ok(t) {
			continue
		}
		s := span{start: t}
		for t < n && ok(t) {
			t++
		}
		s.end = t
		out = append(out, s)
	}
	return out
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// ZeroCrossing returns the first point where the median of stats rises
// from below zero to zero or above, as a fractional period found by linear
// interpolation between the two periods around it. ok is false when the
// median never does so (for example when it starts above zero).
func ZeroCrossing(stats []sim.Stat) (x float64, ok bool) {
	for t := 1; t < len(stats); t++ {
		a, b := stats[t-1].P50, stats[t].P50
		if a < 0 && b >= 0 {
			return float64(t-1) + a/(a-b), true
		}
	}
	return 0, false
}

// MarkCrossing adds a filled dot in sty's colour at (x, 0) and, below and
// right of it, a label naming the first whole period at or after x in the
// given unit (e.g. "month 13"). Labels of several crossings on one plot
// take successive slots (0, 1, ...) downwards so that they do not overlap.
func MarkCrossing(p *plot.Plot, x float64, unit string, sty Style, slot int) error {
	dot, err := plotter.NewScatter(plotter.XYs{{X: x, Y: 0}})
	if err != nil {
		return err
	}
	dot.GlyphStyle = crossingGlyph(sty.Color)
	lbl, err := plotter.NewLabels(plotter.XYLabels{
		XYs:    plotter.XYs{{X: x, Y: 0}},
		Labels: []string{fmt.Sprintf("%s %.0f", unit, math.Ceil(x))},
	})
	if err != nil {
		return err
	}
	lbl.TextStyle[0].Font = font.From(sans, tickSize)
	lbl.TextStyle[0].Color = sty.Color
	lbl.Offset = vg.Point{X: vg.Points(8), Y: -vg.Points(float64(tickSize+6) * float64(slot+1))}
	p.Add(dot, lbl)
	return nil
}

// crossingGlyph is the marker of a zero crossing: a dot with a black rim.
func crossingGlyph(c color.Color) draw.GlyphStyle {
	return draw.GlyphStyle{Color: c, Radius: vg.Points(6), Shape: rimmedDot{}}
}

// rimmedDot is a filled circle with a thin black outline, visible on top
// of a band of the same colour.
type rimmedDot struct{}

// DrawGlyph implements draw.GlyphDrawer.
func (rimmedDot) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	draw.CircleGlyph{}.DrawGlyph(c, sty, pt)
	draw.RingGlyph{}.DrawGlyph(c, draw.GlyphStyle{Color: color.Black, Radius: sty.Radius}, pt)
}

// event is a dashed grey vertical line at period at, named by text above
// the data area, from the line rightwards, in room the plot makes for it
// (see GlyphBoxes): something that happens to customers then (see
// priceEvents).
type event struct {
	at   float64
	text string
}

// eventStyle draws an event's line.
var eventStyle = draw.LineStyle{Color: color.Gray{0x66}, Width: vg.Points(1.5), Dashes: []vg.Length{vg.Points(6), vg.Points(4)}}

// Plot implements plot.Plotter.
func (e event) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	x := trX(e.at)
	c.StrokeLine2(eventStyle, x, c.Min.Y, x, c.Max.Y)
	c.FillText(eventText, vg.Point{X: x, Y: c.Max.Y + eventGap}, e.text)
}

// eventText is the text style of an event, and eventGap the space between
// it and the data area.
var eventText = text.Style{Color: color.Gray{0x44}, Font: font.From(sans, noteSize), XAlign: draw.XLeft, YAlign: draw.YBottom, Handler: plot.DefaultTextHandler}

const eventGap = vg.Length(4)

// GlyphBoxes implements plot.GlyphBoxer: room for the text above the data
// area, from the line rightwards.
func (e event) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	sz := vg.Point{X: eventText.Width(e.text), Y: e.height()}
	return []plot.GlyphBox{{X: p.X.Norm(e.at), Y: 1, Rectangle: vg.Rectangle{Max: sz}}}
}

// height is the room the event's text takes above the data area.
func (e event) height() vg.Length { return eventText.Height(e.text) + eventGap }

// spacer is room of its height kept free above a plot's data area, so that
// panels side by side, some with room for text there, align.
type spacer vg.Length

// Plot implements plot.Plotter: a spacer draws nothing.
func (spacer) Plot(draw.Canvas, *plot.Plot) {}

// GlyphBoxes implements plot.GlyphBoxer.
func (s spacer) GlyphBoxes(*plot.Plot) []plot.GlyphBox {
	return []plot.GlyphBox{{X: 0, Y: 1, Rectangle: vg.Rectangle{Max: vg.Point{Y: vg.Length(s)}}}}
}

// DataRange implements plot.DataRanger: the period, and no y range.
func (e event) DataRange() (xmin, xmax, ymin, ymax float64) {
	return e.at, e.at, math.Inf(1), math.Inf(-1)
}
