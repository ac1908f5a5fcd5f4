package fit

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/retsim/retsim/output"
)

// Chart file names, without extension, and formats written by Plot.
const chartName = "fit_survival"

var chartFormats = []string{"png", "svg"}

// Chart styling: data in black (training) and red (held out), the fit in
// blue, solid over the training periods and dashed beyond them.
var (
	trainColor   = color.RGBA{A: 255}
	holdoutColor = color.RGBA{R: 200, G: 40, B: 40, A: 255}
	fitColor     = color.RGBA{R: 30, G: 90, B: 200, A: 255}
	bandColor    = color.NRGBA{R: 30, G: 90, B: 200, A: 50}
	edgeColor    = color.Gray{Y: 110}
	dashes       = []vg.Length{vg.Points(5), vg.Points(3)}
)

// Plot draws observed versus fitted survival (top) and retention (bottom)
// by period, training and held-out periods told apart by marker and line
// style and separated by a vertical line, as the output files
// fit_survival.png and fit_survival.svg.
func (r *Result) Charts() ([]output.File, error) {
	if len(r.Periods) < 2 || r.Train < 1 {
		return nil, fmt.Errorf("plot: the result holds no fit")
	}
	surv, err := r.survivalPlot()
	if err != nil {
		return nil, err
	}
	ret, err := r.retentionPlot()
	if err != nil {
		return nil, err
	}
	const w, h = 7 * vg.Inch, 9 * vg.Inch
	var files []output.File
	for _, format := range chartFormats {
		files = append(files, output.File{Name: chartName + "." + format, Write: func(out io.Writer) error {
			c, err := draw.NewFormattedCanvas(w, h, format)
			if err != nil {
				return err
			}
			tiles := draw.Tiles{Rows: 2, Cols: 1, PadTop: vg.Points(4), PadBottom: vg.Points(4), PadLeft: vg.Points(4), PadRight: vg.Points(10), PadY: vg.Points(18)}
			canvases := plot.Align([][]*plot.Plot{{surv}, {ret}}, tiles, draw.New(c))
			surv.Draw(canvases[0][0])
			ret.Draw(canvases[1][0])
			_, err = c.WriteTo(out)
			return err
		}})
	}
	return files, nil
}

// survivalPlot is the top panel: survival by period, observed (Kaplan-Meier)
// and fitted, with the 5-95% band of the fit over parameter draws.
func (r *Result) survivalPlot() (*plot.Plot, error) {
	p := r.newPlot(fmt.Sprintf("Survival: share of customers still active, observed vs fitted sBG\n%s (alpha %.3f, beta %.3f)", r.source(), r.Alpha, r.Beta),
		"survival S(t) (share of customers, 0-1)")
	p.Y.Min, p.Y.Max = 0, 1.02
	var lo, hi plotter.XYs
	for _, f := range r.fitted() {
		lo = append(lo, plotter.XY{X: float64(f.Period), Y: f.Low})
		hi = append(hi, plotter.XY{X: float64(f.Period), Y: f.High})
	}
	slices.Reverse(lo)
	band, err := plotter.NewPolygon(append(hi, lo...))
	if err != nil {
		return nil, err
	}
	band.Color = bandColor
	band.LineStyle.Width = 0
	p.Add(band)
	p.Legend.Add("fit, 5-95% over parameter draws", band)
	p.Legend.Top = true
	return p, r.addSeries(p, func(f Fitted) float64 { return f.Survival }, func(row Row) Float { return row.ObservedSurvival }, 0, 0)
}

// retentionPlot is the bottom panel: retention rate by period from period 1.
func (r *Result) retentionPlot() (*plot.Plot, error) {
	p := r.newPlot("Retention rate: share of the previous period's customers still active, observed vs fitted",
		"retention r(t) (share, 0-1)")
	lo := 1.0
	for _, f := range r.fitted()[1:] {
		lo = math.Min(lo, float64(f.Retention))
	}
	for _, row := range r.Periods[1:] {
		if x := float64(row.ObservedRetention); !math.IsNaN(x) {
			lo = math.Min(lo, x)
		}
	}
	lo = math.Max(0, math.Floor(lo*10-0.5)/10)
	p.Y.Min, p.Y.Max = lo, 1
	return p, r.addSeries(p, func(f Fitted) float64 { return float64(f.Retention) }, func(row Row) Float { return row.ObservedRetention }, 1, lo)
}

// newPlot is a panel with the common x axis, title and grid.
func (r *Result) newPlot(title, ylabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "period since acquisition (periods; 0 = first period)"
	p.Y.Label.Text = ylabel
	p.X.Min, p.X.Max = 0, float64(len(r.Periods)+len(r.Projection)-1)
	p.Add(plotter.NewGrid())
	p.Legend.Left = false
	return p
}

// addSeries adds to p the fitted curve (solid over training periods, dashed
// beyond), the observed points (filled for training, open for held-out
// periods) and the training boundary, for periods from first on; y0 is the
// bottom of the boundary line.
func (r *Result) addSeries(p *plot.Plot, fitted func(Fitted) float64, obs func(Row) Float, first int, y0 float64) error {
	var fitTrain, fitRest, obsTrain, obsHoldout plotter.XYs
	for _, f := range r.fitted()[first:] {
		pt := plotter.XY{X: float64(f.Period), Y: fitted(f)}
		if f.Period < r.Train {
			fitTrain = append(fitTrain, pt)
		}
		if f.Period >= r.Train-1 {
			fitRest = append(fitRest, pt)
		}
	}
	for _, row := range r.Periods[first:] {
		y := float64(obs(row))
		if math.IsNaN(y) {
			continue
		}
		if row.Holdout {
			obsHoldout = append(obsHoldout, plotter.XY{X: float64(row.Period), Y: y})
		} else {
			obsTrain = append(obsTrain, plotter.XY{X: float64(row.Period), Y: y})
		}
	}
	lines := []curve{
		{fitTrain, "fitted, training periods", fitColor, false},
		{fitRest, "fitted, held-out and projected periods", fitColor, true},
	}
	if r.Train < r.Observed {
		x := float64(r.Train) - 0.5
		lines = append(lines, curve{plotter.XYs{{X: x, Y: y0}, {X: x, Y: 1}}, fmt.Sprintf("end of training (period %d)", r.Train-1), edgeColor, true})
	}
	for _, s := range lines {
		if len(s.xys) < 2 {
			continue
		}
		l, err := plotter.NewLine(s.xys)
		if err != nil {
			return err
		}
		l.Color, l.Width = s.col, vg.Points(1.5)
		if s.dashed {
			l.Dashes = dashes
		}
		p.Add(l)
		p.Legend.Add(s.label, l)
	}
	for _, s := range []struct {
		xys   plotter.XYs
		label string
		col   color.Color
		shape draw.GlyphDrawer
	}{
		{obsTrain, "observed, training periods", trainColor, draw.CircleGlyph{}},
		{obsHoldout, "observed, held-out periods", holdoutColor, draw.RingGlyph{}},
	} {
		if len(s.xys) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(s.xys)
		if err != nil {
			return err
		}
		sc.Color, sc.Shape, sc.Radius = s.col, s.shape, vg.Points(3)
		p.Add(sc)
		p.Legend.Add(s.label, sc)
	}
	return nil
}

// curve is a line of a chart and its legend entry.
type curve struct {
	xys    plotter.XYs
	label  string
	col    color.Color
	dashed bool
}

// fitted is the fit at every observed and projected period, in order.
func (r *Result) fitted() []Fitted {
	out := make([]Fitted, 0, len(r.Periods)+len(r.Projection))
	for _, row := range r.Periods {
		out = append(out, row.Fitted)
	}
	return append(out, r.Projection...)
}
