package plots_test

import (
	"bytes"
	"fmt"
	"image/png"
	"log"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"

	"github.com/retsim/retsim/plots"
)

// A chart of another package in the style of retsim's charts: a panel from
// NewPanel, a legend from NewLegend, drawn as a Figure.
func ExampleNewPanel() {
	p := plots.NewPanel("Survival of the first cohort", "month (0 = first)", "% still active")
	line, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 100}, {X: 6, Y: 75}, {X: 12, Y: 60}})
	if err != nil {
		log.Fatal(err)
	}
	line.Color = plots.ScenarioStyle(0).Color
	p.Add(line)
	f := &plots.Figure{
		Name: "survival", Title: "Survival", Caption: "Share of the first customers still active.",
		Legend: plots.NewLegend(), Panels: [][]*plot.Plot{{p}},
	}
	f.Legend.Add("observed", line)
	var b bytes.Buffer
	if err := f.Render(&b, plots.PNG); err != nil {
		log.Fatal(err)
	}
	cfg, err := png.DecodeConfig(&b)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cfg.Width, "x", cfg.Height)
	// Output: 1200 x 800
}
