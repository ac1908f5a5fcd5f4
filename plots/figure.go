package plots

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/retsim/retsim/output"
)

// Size of every figure: 12 x 8 inches, which at DPI dots per inch is a
// 1200 x 800 px PNG.
const (
	Width  = 12 * vg.Inch
	Height = 8 * vg.Inch
	DPI    = 100
)

// Format is an output file format.
type Format string

// The formats a Figure can be rendered in.
const (
	PNG Format = "png"
	SVG Format = "svg"
)

// Figure is one chart: a title over a grid of panels, with one legend to
// the right of the grid and a caption telling a reader how to read it.
type Figure struct {
	Name    string         // file base name without extension, e.g. "active"
	Title   string         // what is shown, drawn above the panels
	Caption string         // how to read the chart, for the report
	Panels  [][]*plot.Plot // at least one row, all of one length; a nil panel leaves its cell empty
	Legend  plot.Legend    // drawn once, right of the panels
	// Scenarios is the style each scenario is drawn in, by name; empty when
	// the chart does not tell scenarios apart by colour.
	Scenarios map[string]Style
	// ShareX and ShareY say that the panels are small multiples on one x
	// (y) range: only the bottom panel of each column labels its x axis and
	// only the first of each row its y axis, so that the data get the room.
	ShareX, ShareY bool
}

// addScenario lists a scenario in the legend, drawn in sty.
func (f *Figure) addScenario(name string, sty Style) {
	if f.Scenarios == nil {
		f.Scenarios = map[string]Style{}
	}
	f.Scenarios[name] = sty
	f.Legend.Add(name, sty.Thumbnails()...)
}

// addScenarioBar lists a scenario drawn as bars in the legend: a box in
// sty's colour.
func (f *Figure) addScenarioBar(name string, sty Style) {
	if f.Scenarios == nil {
		f.Scenarios = map[string]Style{}
	}
	f.Scenarios[name] = sty
	f.Legend.Add(name, &plotter.Polygon{Color: sty.Color})
}

// whiskerThumb is the legend sample of a whisker: a line with a cap at
// each end, upright when vertical.
type whiskerThumb struct{ vertical bool }

// Thumbnail implements plot.Thumbnailer.
func (w whiskerThumb) Thumbnail(c *draw.Canvas) {
	mid, capHalf := c.Center(), vg.Points(4)
	if w.vertical {
		top, bot := c.Max.Y, c.Min.Y
		c.StrokeLine2(whiskerStyle, mid.X, bot, mid.X, top)
		c.StrokeLine2(whiskerStyle, mid.X-capHalf, top, mid.X+capHalf, top)
		c.StrokeLine2(whiskerStyle, mid.X-capHalf, bot, mid.X+capHalf, bot)
		return
	}
	l, r := c.Min.X+vg.Points(4), c.Max.X-vg.Points(4)
	c.StrokeLine2(whiskerStyle, l, mid.Y, r, mid.Y)
	c.StrokeLine2(whiskerStyle, l, mid.Y-capHalf, l, mid.Y+capHalf)
	c.StrokeLine2(whiskerStyle, r, mid.Y-capHalf, r, mid.Y+capHalf)
}

// newLegend returns an empty legend in the figure's font.
func newLegend() plot.Legend {
	l := plot.NewLegend()
	l.TextStyle.Font = font.From(sans, legendSize)
	l.Top, l.Left = true, true
	l.ThumbnailWidth = vg.Points(28)
	l.Padding = vg.Points(6)
	return l
}

// Draw draws the figure on c. It lays out the panels' axes for drawing
// and puts them back afterwards (see layAxes), so a figure draws the same
// every time but must not be drawn by two goroutines at once.
func (f *Figure) Draw(c draw.Canvas) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	pad := vg.Points(12)
	c = draw.Crop(c, pad, -pad, pad, -pad)

	title := text.Style{
		Color: color.Black, Font: font.From(sans, figureTitleSize),
		XAlign: draw.XCenter, YAlign: draw.YTop, Handler: plot.DefaultTextHandler,
	}
	c.FillText(title, vg.Point{X: c.Center().X, Y: c.Max.Y}, f.Title)
	c = draw.Crop(c, 0, 0, 0, -(title.Height(f.Title) + pad))

	defer f.layAxes()()
	tiles := draw.Tiles{Rows: len(f.Panels), Cols: len(f.Panels[0]), PadX: 2 * pad, PadY: 2 * pad}
	if sz := f.Legend.Rectangle(c).Size(); sz.X > 0 {
		cell, ok := f.emptyCell(tiles, c)
		if ok && sz.X <= cell.Size().X && sz.Y <= cell.Size().Y {
			f.Legend.Draw(cell)
		} else {
			f.Legend.Draw(draw.Crop(c, c.Size().X-sz.X, 0, 0, -2*pad))
			c = draw.Crop(c, 0, -(sz.X + pad), 0, 0)
		}
	}

	canvases := plot.Align(f.Panels, tiles, c)
	for j, row := range f.Panels {
		for i, p := range row {
			if p != nil {
				p.Draw(canvases[j][i])
			}
		}
	}
}

// emptyCell is the canvas of the last cell of the grid of panels when it
// is empty (fewer panels than cells), where the legend can go instead of
// taking width from every panel; ok is false when the grid is full.
func (f *Figure) emptyCell(tiles draw.Tiles, c draw.Canvas) (draw.Canvas, bool) {
	last := len(f.Panels) - 1
	col := len(f.Panels[last]) - 1
	if last == 0 || f.Panels[last][col] != nil {
		return draw.Canvas{}, false
	}
	return tiles.At(c, col, last), true
}

// axisState is what layAxes changes on an axis, to put it back.
type axisState struct {
	ax       *plot.Axis
	min, max float64
	marker   plot.Ticker
	label    string
}

// layAxes prepares the panels' axes for drawing and returns a function
// that undoes it, so that a figure draws the same every time: an axis
// ticked by compactTicks is widened to whole tick steps, so that ticks
// cover the data at both ends; the axes that ShareX and ShareY make
// redundant lose their label and tick labels; and axis labels too long for
// small panels take two lines.
func (f *Figure) layAxes() (restore func()) {
	var saved []axisState
	keep := func(ax *plot.Axis) {
		saved = append(saved, axisState{ax, ax.Min, ax.Max, ax.Tick.Marker, ax.Label.Text})
	}
	for r, row := range f.Panels {
		for col, p := range row {
			if p == nil {
				continue
			}
			for _, ax := range []*plot.Axis{&p.X, &p.Y} {
				keep(ax)
			}
			roundAxis(&p.X, len(row))
			roundAxis(&p.Y, len(f.Panels))
			below := r+1 < len(f.Panels) && f.Panels[r+1][col] != nil
			if f.ShareX && below {
				unlabel(&p.X)
			}
			if f.ShareY && firstInRow(row, col) < col {
				unlabel(&p.Y)
			}
			// An axis label longer than its panel is wide (or high) makes
			// gonum/plot shift that panel's data out of line with the
			// others: long labels of small panels take two lines.
			if rows := len(f.Panels); rows > 1 {
				p.Y.Label.Text = breakWide(p.Y.Label.Text, p.Y.Label.TextStyle, 0.7*(Height-2*vg.Inch)/vg.Length(rows))
			}
			if cols := len(row); cols > 2 {
				p.X.Label.Text = breakWide(p.X.Label.Text, p.X.Label.TextStyle, 0.6*(Width-3*vg.Inch)/vg.Length(cols))
			}
		}
	}
	return func() {
		for _, s := range saved {
			s.ax.Min, s.ax.Max, s.ax.Tick.Marker, s.ax.Label.Text = s.min, s.max, s.marker, s.label
		}
	}
}

// firstInRow is the column of the first panel of row, looking no further
// than column upTo (upTo when there is none before it).
func firstInRow(row []*plot.Plot, upTo int) int {
	for col, p := range row[:upTo+1] {
		if p != nil {
			return col
		}
	}
	return upTo
}

// roundAxis widens an axis ticked by compactTicks to whole multiples of
// its tick step and fixes the step, so that the first and last ticks are
// at the ends of the axis, around the data. An axis shared by more than
// two panels side by side (panels is their number along it) gets fewer
// ticks, so that their labels keep apart.
func roundAxis(ax *plot.Axis, panels int) {
	t, ok := ax.Tick.Marker.(compactTicks)
	if !ok || !finite(ax.Min) || !finite(ax.Max) || ax.Max <= ax.Min {
		return
	}
	if panels > 2 && t.count == 0 {
		t.count = 3
	}
	if t.step <= 0 {
		t.step = snugStep(ax.Min, ax.Max, t.count)
	}
	ax.Min = math.Floor(ax.Min/t.step+1e-9) * t.step
	ax.Max = math.Ceil(ax.Max/t.step-1e-9) * t.step
	ax.Tick.Marker = t
}

// snugStep is the tick step, near (hi - lo) / count (count 0 for 6), whose
// whole multiples around [lo, hi] waste the least room: of the nice steps
// for count - 2 to count + 2 intervals (at least 2) that widen the axis to
// at most count + 2 steps, the one that widens it least, the one for the
// count nearest count on a tie.
func snugStep(lo, hi float64, count int) float64 {
	if count <= 0 {
		count = 6
	}
	best, span := 0.0, math.Inf(1)
	for _, d := range []int{0, -1, 1, -2, 2} {
		n := count + d
		if n < 2 {
			continue
		}
		step := niceStep((hi - lo) / float64(n))
		k := math.Ceil(hi/step-1e-9) - math.Floor(lo/step+1e-9)
		if w := k * step; k <= float64(count+2) && w < span*(1-1e-9) {
			best, span = step, w
		}
	}
	if best == 0 { // no step fits in count + 2: the plain one
		return niceStep((hi - lo) / float64(count))
	}
	return best
}

// unlabel removes an axis's label and the text of its ticks, keeping the
// ticks and the grid lines.
func unlabel(ax *plot.Axis) {
	ax.Label.Text = ""
	ax.Tick.Marker = noLabels{ax.Tick.Marker}
}

// noLabels are the ticks of another ticker with blank text: a space, not
// "", which would make them minor ticks without grid lines.
type noLabels struct{ plot.Ticker }

// Ticks implements plot.Ticker.
func (n noLabels) Ticks(lo, hi float64) []plot.Tick {
	ticks := n.Ticker.Ticks(lo, hi)
	for i := range ticks {
		if !ticks[i].IsMinor() {
			ticks[i].Label = " "
		}
	}
	return ticks
}

// Render writes the figure to w as a Width x Height image in format.
// SVG text names fallbacks for the Liberation Sans typeface, so a viewer
// without it uses a metrically compatible font.
func (f *Figure) Render(w io.Writer, format Format) error {
	switch format {
	case PNG:
		c := vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(Width, Height), vgimg.UseDPI(DPI))}
		f.Draw(draw.New(c))
		if _, err := c.WriteTo(w); err != nil {
			return fmt.Errorf("%s: png: %w", f.Name, err)
		}
	case SVG:
		c := vgsvg.New(Width, Height)
		f.Draw(draw.New(c))
		var buf bytes.Buffer
		if _, err := c.WriteTo(&buf); err != nil {
			return fmt.Errorf("%s: svg: %w", f.Name, err)
		}
		out := bytes.ReplaceAll(buf.Bytes(), []byte("font-family:Liberation Sans;"),
			[]byte("font-family:Liberation Sans,Arial,Helvetica,sans-serif;"))
		if _, err := w.Write(out); err != nil {
			return fmt.Errorf("%s: svg: %w", f.Name, err)
		}
	default:
		return fmt.Errorf("%s: unknown format %q", f.Name, format)
	}
	return nil
}

// Files returns the figure as one output file per format, named NAME.FORMAT,
// for output.WriteAll.
func (f *Figure) Files(formats ...Format) []output.File {
	files := make([]output.File, len(formats))
	for i, format := range formats {
		files[i] = output.File{Name: f.Name + "." + string(format), Write: func(w io.Writer) error { return f.Render(w, format) }}
	}
	return files
}
