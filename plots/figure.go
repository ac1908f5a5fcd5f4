package plots

import (
	"bytes"
	"fmt"
	"image/color"
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
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
}

// addScenario lists a scenario in the legend, drawn in sty.
func (f *Figure) addScenario(name string, sty Style) {
	if f.Scenarios == nil {
		f.Scenarios = map[string]Style{}
	}
	f.Scenarios[name] = sty
	f.Legend.Add(name, sty.Thumbnails()...)
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

// Draw draws the figure on c.
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

	if w := f.Legend.Rectangle(c).Size().X; w > 0 {
		f.Legend.Draw(draw.Crop(c, c.Size().X-w, 0, 0, -2*pad))
		c = draw.Crop(c, 0, -(w + pad), 0, 0)
	}

	tiles := draw.Tiles{Rows: len(f.Panels), Cols: len(f.Panels[0]), PadX: 2 * pad, PadY: 2 * pad}
	canvases := plot.Align(f.Panels, tiles, c)
	for j, row := range f.Panels {
		for i, p := range row {
			if p != nil {
				p.Draw(canvases[j][i])
			}
		}
	}
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
