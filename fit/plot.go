package fit

import (
	"fmt"
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/retsim/retsim/output"
	"github.com/retsim/retsim/plots"
)

// chartName is the file name, without extension, of the chart Charts writes.
const chartName = "fit_survival"

// Chart styling, in the palette of package plots: the data in black
// (training periods) and vermillion (held-out periods), the fit in blue,
// solid over the training periods and dashed beyond them.
var (
	trainColor   = color.Black
	holdoutColor = plots.ScenarioStyle(5).Color
	fitColor     = plots.ScenarioStyle(1).Color
	edgeColor    = color.Gray{Y: 110}
	dashes       = []vg.Length{vg.Points(6), vg.Points(4)}
)

// Charts draws observed versus fitted survival (left) and retention
// (right) by period, training and held-out periods told apart by marker
// and line style and separated by a vertical line, in the style of the
// charts of package plots, as the output files fit_survival.png and
// fit_survival.svg.
func (r *Result) Charts() ([]output.File, error) {
	f, err := r.Figure()
	if err != nil {
		return nil, err
	}
	return f.Files(plots.PNG, plots.SVG), nil
}

// Figure is the chart of Charts.
func (r *Result) Figure() (*plots.Figure, error) {
	if len(r.Periods) < 2 || r.Train < 1 {
		return nil, fmt.Errorf("plot: the result holds no fit")
	}
	f := &plots.Figure{
		Name:  chartName,
		Title: fmt.Sprintf("Observed vs fitted sBG churn: %s (alpha %.3f, beta %.3f)", r.source(), r.Alpha, r.Beta),
		Caption: "Left: share of the customers of period 0 still active at each period, observed (dots) and fitted by the shifted-beta-geometric model, " +
			"with the band holding 90% of the fitted curves over draws of alpha and beta from their estimated sampling distribution. " +
			"Right: retention, the share of the previous period's customers still active. The fit uses the training periods only (filled dots); " +
			"held-out periods (rings) check its projection.",
		Legend: plots.NewLegend(),
	}
	surv, err := r.survivalPlot(&f.Legend)
	if err != nil {
		return nil, err
	}
	ret, err := r.retentionPlot()
	if err != nil {
		return nil, err
	}
	f.Panels = [][]*plot.Plot{{surv, ret}}
	return f, nil
}

// survivalPlot is the left panel: survival by period, observed (Kaplan-Meier)
// and fitted, with the 5-95% band of the fit over parameter draws. It adds
// the legend entries of both panels to l.
func (r *Result) survivalPlot(l *plot.Legend) (*plot.Plot, error) {
	p := r.newPlot("Survival S(t):\nshare of customers still active", "survival S(t) (share of customers, 0-1)")
	p.Y.Min, p.Y.Max = 0, 1
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
	band.Color = color.NRGBA{R: fitColor.R, G: fitColor.G, B: fitColor.B, A: 0x40}
	band.LineStyle.Width = 0
	p.Add(band)
	l.Add("fit, 5–95% over parameter draws", band)
	return p, r.addSeries(p, l, func(f Fitted) float64 { return f.Survival }, func(row Row) Float { return row.ObservedSurvival }, 0, 0)
}

// retentionPlot is the right panel: retention rate by period from period 1.
func (r *Result) retentionPlot() (*plot.Plot, error) {
	p := r.newPlot("Retention rate r(t):\nshare of last period's customers kept", "retention r(t) (share, 0-1)")
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
	return p, r.addSeries(p, nil, func(f Fitted) float64 { return float64(f.Retention) }, func(row Row) Float { return row.ObservedRetention }, 1, lo)
}

// newPlot is a panel with the common x axis.
func (r *Result) newPlot(title, ylabel string) *plot.Plot {
	x := "period since acquisition (0 = first period)"
	if r.Every > 1 {
		x = fmt.Sprintf("observation since acquisition (one every %d periods)", r.Every)
	}
	p := plots.NewPanel(title, x, ylabel)
	p.X.Min, p.X.Max = 0, float64(len(r.Periods)+len(r.Projection)-1)
	return p
}

// addSeries adds to p the fitted curve (solid over training periods, dashed
// beyond), the observed points (filled for training, open for held-out
// periods) and the training boundary, for periods from first on, and, when
// l is not nil, their legend entries; y0 is the bottom of the boundary line.
func (r *Result) addSeries(p *plot.Plot, l *plot.Legend, fitted func(Fitted) float64, obs func(Row) Float, first int, y0 float64) error {
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
		line, err := plotter.NewLine(s.xys)
		if err != nil {
			return err
		}
		line.Color, line.Width = s.col, vg.Points(2.5)
		if s.dashed {
			line.Dashes = dashes
		}
		p.Add(line)
		if l != nil {
			l.Add(s.label, line)
		}
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
		sc.Color, sc.Shape, sc.Radius = s.col, s.shape, vg.Points(4)
		p.Add(sc)
		if l != nil {
			l.Add(s.label, sc)
		}
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
