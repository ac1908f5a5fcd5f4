package plots

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/retsim/retsim/sim"
)

// Okabe-Ito colours (Okabe & Ito 2008), distinguishable under the common
// forms of colour blindness. Scenarios take them in this order; black is
// kept for reference lines and totals.
var scenarioColors = []color.NRGBA{
	{0xE6, 0x9F, 0x00, 0xFF}, // orange
	{0x00, 0x72, 0xB2, 0xFF}, // blue
	{0x00, 0x9E, 0x73, 0xFF}, // bluish green
	{0xCC, 0x79, 0xA7, 0xFF}, // reddish purple
	{0x56, 0xB4, 0xE9, 0xFF}, // sky blue
	{0xD5, 0x5E, 0x00, 0xFF}, // vermillion
	{0xF0, 0xE4, 0x42, 0xFF}, // yellow
}

// Paul Tol's "muted" qualitative palette, also colour-blind safe, for the
// parts of a whole (channels, cost kinds) inside one scenario's panel, so
// that they are not mistaken for scenarios.
var partColors = []color.NRGBA{
	{0x88, 0xCC, 0xEE, 0xFF}, // cyan
	{0x44, 0xAA, 0x99, 0xFF}, // teal
	{0xDD, 0xCC, 0x77, 0xFF}, // sand
	{0xCC, 0x66, 0x77, 0xFF}, // rose
	{0xAA, 0x44, 0x99, 0xFF}, // purple
	{0x33, 0x22, 0x88, 0xFF}, // indigo
	{0x99, 0x99, 0x33, 0xFF}, // olive
	{0x88, 0x22, 0x55, 0xFF}, // wine
}

// bandAlpha is the opacity of a 5-95% band's fill: low enough for
// overlapping bands of several scenarios to stay visible.
const bandAlpha = 0x40

// Style is how one series is drawn: its colour and the dashes of its lines
// (none for solid).
type Style struct {
	Color  color.NRGBA
	Dashes []vg.Length
}

// ScenarioStyle is the style of the i-th scenario of a run (see Palette):
// the Okabe-Ito colours in turn, the first (the reference of a comparison)
// always orange. Past the seventh scenario the colours repeat with dashed
// lines.
func ScenarioStyle(i int) Style {
	s := Style{Color: scenarioColors[i%len(scenarioColors)]}
	if i >= len(scenarioColors) {
		s.Dashes = []vg.Length{vg.Points(8), vg.Points(4)}
	}
	return s
}

// Palette is the style of each scenario of a run, by name: the scenarios,
// in the order the run lists them, take ScenarioStyle(0), (1), ... so that
// a scenario has one colour in every chart and the report, and the
// reference of a comparison is always the first colour. A name listed twice
// keeps the style of its first place.
type Palette struct {
	styles map[string]Style
	order  []string
}

// NewPalette assigns styles to the scenario names of a run, in order.
func NewPalette(names []string) Palette {
	p := Palette{styles: make(map[string]Style, len(names))}
	for _, n := range names {
		if _, ok := p.styles[n]; !ok {
			p.styles[n] = ScenarioStyle(len(p.order))
			p.order = append(p.order, n)
		}
	}
	return p
}

// paletteOf is the palette of the scenarios of sums, in order.
func paletteOf(sums []*sim.Summary) Palette {
	names := make([]string, len(sums))
	for i, s := range sums {
		names[i] = s.Scenario
	}
	return NewPalette(names)
}

// Style is the style of the scenario named name; a name not in the palette
// gets the style after the last, so that it differs from every listed one.
func (p Palette) Style(name string) Style {
	if s, ok := p.styles[name]; ok {
		return s
	}
	return ScenarioStyle(len(p.order))
}

// Hex is the style's colour as "#RRGGBB".
func (s Style) Hex() string {
	return fmt.Sprintf("#%02X%02X%02X", s.Color.R, s.Color.G, s.Color.B)
}

// line is the style of a median or mean line.
func (s Style) line() draw.LineStyle {
	return draw.LineStyle{Color: s.Color, Width: vg.Points(2.5), Dashes: s.Dashes}
}

// fill is the translucent colour of a band.
func (s Style) fill() color.NRGBA {
	c := s.Color
	c.A = bandAlpha
	return c
}

// Thumbnails is the legend sample of a band drawn in s: its fill behind its line.
func (s Style) Thumbnails() []plot.Thumbnailer {
	return []plot.Thumbnailer{
		&plotter.Polygon{Color: s.fill()},
		&plotter.Line{LineStyle: s.line()},
	}
}

// Font sizes, in points, chosen to stay readable on a 1200x800 px image
// shown on a projector.
const (
	figureTitleSize = 20
	panelTitleSize  = 16
	labelSize       = 15
	tickSize        = 13
	noteSize        = 12 // notes over a plot's data
	legendSize      = 14
)

// sans is the typeface of every text: Liberation Sans, metrically
// compatible with Arial and Helvetica.
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

// NewPanel returns an empty panel in the style of every chart: Liberation
// Sans in readable sizes, a title, axis labels, a grid and compact ticks
// that the figure widens to cover the data. Other packages use it to draw
// charts that read like these (see Figure).
func NewPanel(title, xLabel, yLabel string) *plot.Plot { return newPanel(title, xLabel, yLabel) }

// NewLegend returns an empty legend in the style of every chart, for a
// Figure's Legend.
func NewLegend() plot.Legend { return newLegend() }

// newPanel returns an empty plot with readable fonts, a title and axis labels.
func newPanel(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(sans, panelTitleSize)
	p.Title.Padding = vg.Points(8)
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font = font.From(sans, labelSize)
		ax.Tick.Label.Font = font.From(sans, tickSize)
		ax.Tick.Marker = compactTicks{}
	}
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	p.Add(plotter.NewGrid())
	return p
}

// compactTicks label about six (or count, when positive) evenly spaced
// round values (steps of 1, 2, 2.5 or 5 times a power of ten), or every
// multiple of step when it is positive, and shorten large labels: 12500 as
// "12.5k", 2000000 as "2M".
type compactTicks struct {
	step  float64
	count int
}

// stepFor is the tick step over [lo, hi].
func (t compactTicks) stepFor(lo, hi float64) float64 {
	if t.step > 0 {
		return t.step
	}
	n := 6
	if t.count > 0 {
		n = t.count
	}
	return niceStep((hi - lo) / float64(n))
}

// Ticks implements plot.Ticker.
func (t compactTicks) Ticks(lo, hi float64) []plot.Tick {
	step := t.stepFor(lo, hi)
	if !(step > 0) || !finite(step) {
		return nil
	}
	decimals := max(0, -int(math.Floor(math.Log10(step)+1e-9)))
	if m := step / math.Pow10(-decimals); math.Abs(m-math.Round(m)) > 1e-9 {
		decimals++ // a step of 2.5 needs one more digit
	}
	var ticks []plot.Tick
	for k := math.Ceil(lo/step - 1e-9); k*step <= hi+1e-9*step; k++ {
		v := k * step
		if v == 0 {
			v = 0 // not -0
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: compact(v, decimals)})
	}
	return ticks
}

// niceStep is the smallest of 1, 2, 2.5 and 5 times a power of ten that is
// at least raw.
func niceStep(raw float64) float64 {
	p := math.Pow10(int(math.Floor(math.Log10(raw))))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= raw*(1-1e-9) {
			return m * p
		}
	}
	return 10 * p
}

// compact writes v with a k or M suffix when |v| >= 1000, else with the
// given number of decimals.
func compact(v float64, decimals int) string {
	a := math.Abs(v)
	switch {
	case a >= 1e6:
		return strconv.FormatFloat(math.Round(v/1e3)/1e3, 'f', -1, 64) + "M"
	case a >= 1e3:
		return strconv.FormatFloat(math.Round(v)/1e3, 'f', -1, 64) + "k"
	}
	return strconv.FormatFloat(v, 'f', decimals, 64)
}

// timeUnit names a period in words, "month", "quarter", "year" or
// "period" (sim.Horizon.PeriodName): the time axis of every chart.
func timeUnit(cfg sim.Config) string { return cfg.Horizon.PeriodName() }
