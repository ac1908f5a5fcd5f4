package report

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"regexp"
	"runtime"
	"strconv"

	"github.com/retsim/retsim/plots"
	"github.com/retsim/retsim/sim"
)

// Scenario is one scenario as the report presents it.
type Scenario struct {
	Summary *sim.Summary
	// Description says in a sentence or two what the scenario represents.
	Description string
	// Origins says where each parameter's value was set, by dotted key
	// (for example "scenarios/giving.toml" or "--set"); a key not listed
	// has its default value.
	Origins map[string]string
}

// Options are the parts of the HTML report that do not come from the
// scenarios.
type Options struct {
	// Title heads the page; "retsim report" when empty.
	Title string
	// EngineVersion is recorded in the manifest; sim.Version when empty.
	EngineVersion string
	// Command is the command line that made the report, recorded in the
	// manifest; none is shown when empty.
	Command string
	// Verdicts answer the question first: one sentence each, at the top
	// of the page, e.g. how each scenario compares with the reference.
	Verdicts []string
	// Headline is the table of key numbers shown under the verdicts, in
	// the first screen; none when it has no header.
	Headline Grid
	// Figures are charts shown before the scenarios' own, e.g. the paired
	// difference of a comparison.
	Figures []*plots.Figure
	// Sections are tables shown after the summary, e.g. the paired
	// comparison.
	Sections []Section
	// Notes are preformatted text sections shown after the sections, e.g.
	// a decomposition.
	Notes []Note
	// Lead is the sentence under the verdicts saying what the page holds
	// and which intervals it shows; HTML says it of its scenarios when
	// empty.
	Lead string
	// Charts are charts drawn elsewhere than plots (e.g. a fit's), shown
	// after Figures.
	Charts []Chart
	// Manifest is what else reproduces the page, shown after the engine
	// and the command line: e.g. the scenario, seed and replications of a
	// sweep.
	Manifest []Fact
}

// Chart is a chart as SVG, written by SVG.
type Chart struct {
	Name, Title, Caption string
	SVG                  func(io.Writer) error
}

// Fact is one named entry of the manifest.
type Fact struct{ Name, Value string }

// Section is a titled group of tables, each with a sentence saying what it
// holds.
type Section struct {
	Title  string
	Tables []Grid
}

// Grid is a table of text cells with a sentence saying what it holds.
// Rows[0] is the header; cells of the first column are row names, the
// others are right-aligned when they start with a digit, sign or '['.
type Grid struct {
	Intro string
	Rows  [][]string
}

// Note is a titled section: its tables, or when it has none its text,
// preformatted. The text is also what a terminal shows.
type Note struct {
	Title, Text string
	Tables      []Grid
}

//go:embed report.html.tmpl
var pageText string

var page = template.Must(template.New("report").Parse(pageText))

// HTML writes a self-contained report of scenarios to w: one HTML page
// with inline CSS and every chart of plots.Figures as inline SVG, the
// summary table, the cohorts, every parameter's value, origin, default and
// source, the metrics' definitions and the manifest (engine version, seed,
// replications, configuration SHA-256). It references nothing outside
// itself: no scripts, fonts, stylesheets or images to fetch. Nothing is
// written to w unless the whole page could be built.
func HTML(w io.Writer, scenarios []Scenario, opt Options) error {
	if len(scenarios) == 0 {
		return fmt.Errorf("report: html: no scenarios")
	}
	sums := make([]*sim.Summary, len(scenarios))
	for i, sc := range scenarios {
		sums[i] = sc.Summary
	}
	figs, err := plots.Figures(sums)
	if err != nil {
		return fmt.Errorf("report: html: %w", err)
	}
	d := newPage(opt)
	d.Summary = tableOf(Grid{Rows: summarize(sums)})
	d.Metrics = metricInfos()
	pal := plots.NewPalette(names(sums))
	for _, sc := range scenarios {
		cfg := sc.Summary.Config
		d.Scenarios = append(d.Scenarios, scenarioView{
			Name: sc.Summary.Scenario, Description: sc.Description,
			Color:        template.CSS(pal.Style(sc.Summary.Scenario).Hex()),
			Seed:         strconv.FormatUint(cfg.Seed, 10),
			Replications: sc.Summary.Replications,
			Periods:      cfg.Horizon.Periods, PerYear: cfg.Horizon.PeriodsPerYear,
			Hash: cfg.Hash(),
		})
		d.Cohorts = append(d.Cohorts, cohortViews(sc.Summary)...)
	}
	if d.Params, err = paramViews(scenarios); err != nil {
		return fmt.Errorf("report: html: %w", err)
	}
	return d.write(w, append(opt.Figures, figs...), opt.Charts)
}

// Page writes a self-contained report that simulated scenarios do not
// head (a sweep, a sensitivity analysis, a fit) to w, in the style of
// HTML: the verdicts and the headline table first, the lead, the charts,
// the notes, then the manifest (engine, command line, opt.Manifest).
// Nothing is written to w unless the whole page could be built.
func Page(w io.Writer, opt Options) error {
	if len(opt.Verdicts) == 0 {
		return fmt.Errorf("report: page: no verdict")
	}
	return newPage(opt).write(w, opt.Figures, opt.Charts)
}

// newPage holds what every page shows of opt: title, engine, command
// line, verdicts, headline, lead, notes and manifest.
func newPage(opt Options) *pageData {
	d := &pageData{
		Title:     opt.Title,
		Version:   opt.EngineVersion,
		GoVersion: runtime.Version(),
		Command:   opt.Command,
		Verdicts:  opt.Verdicts,
		Headline:  tableOf(opt.Headline),
		Lead:      opt.Lead,
		Manifest:  opt.Manifest,
	}
	for _, n := range opt.Notes {
		v := noteView{Title: n.Title, Text: n.Text}
		for _, t := range n.Tables {
			v.Tables = append(v.Tables, tableOf(t))
		}
		d.Notes = append(d.Notes, v)
	}
	if d.Title == "" {
		d.Title = "retsim report"
	}
	if d.Version == "" {
		d.Version = sim.Version
	}
	return d
}

// write adds the figures and charts to d, in order, and writes the page
// to w, nothing unless the whole page could be built.
func (d *pageData) write(w io.Writer, figs []*plots.Figure, charts []Chart) error {
	for _, f := range figs {
		var buf bytes.Buffer
		if err := f.Render(&buf, plots.SVG); err != nil {
			return fmt.Errorf("report: html: %w", err)
		}
		if err := d.addChart(f.Name, f.Title, f.Caption, buf.Bytes()); err != nil {
			return fmt.Errorf("report: html: %w", err)
		}
	}
	for _, c := range charts {
		var buf bytes.Buffer
		if err := c.SVG(&buf); err != nil {
			return fmt.Errorf("report: html: %s: %w", c.Name, err)
		}
		if err := d.addChart(c.Name, c.Title, c.Caption, buf.Bytes()); err != nil {
			return fmt.Errorf("report: html: %w", err)
		}
	}
	var buf bytes.Buffer
	if err := page.Execute(&buf, d); err != nil {
		return fmt.Errorf("report: html: %w", err)
	}
	if _, err := buf.WriteTo(w); err != nil {
		return fmt.Errorf("report: html: %w", err)
	}
	return nil
}

// addChart adds an SVG document to the page's charts.
func (d *pageData) addChart(name, title, caption string, svg []byte) error {
	el, err := inlineSVG(name, title, svg)
	if err != nil {
		return err
	}
	d.Figures = append(d.Figures, figureView{Name: name, Title: title, Caption: caption, SVG: el})
	return nil
}

// pageData is what the page template shows.
type pageData struct {
	Title, Version, GoVersion, Command string
	Lead                               string
	Manifest                           []Fact
	Verdicts                           []string
	Headline                           tableView
	Scenarios                          []scenarioView
	Summary                            tableView
	Figures                            []figureView
	Notes                              []noteView
	Cohorts                            []cohortView
	Params                             []paramView
	Metrics                            []sim.MetricInfo
}

type scenarioView struct {
	Name, Description string
	Color             template.CSS // the scenario's colour in every chart
	Seed              string
	Replications      int
	Periods, PerYear  int
	Hash              string
}

type noteView struct {
	Title, Text string
	Tables      []tableView
}

// tableView is a Grid ready to show: each body cell marked numeric or not.
type tableView struct {
	Intro  string
	Header []string
	Rows   [][]cellView
}

type cellView struct {
	Text    string
	Numeric bool // right-aligned
}

// tableOf prepares t to show; the empty Grid gives a tableView with no
// header, which the page leaves out.
func tableOf(t Grid) tableView {
	v := tableView{Intro: t.Intro}
	if len(t.Rows) == 0 {
		return v
	}
	v.Header = t.Rows[0]
	for _, r := range t.Rows[1:] {
		cells := make([]cellView, len(r))
		for i, c := range r {
			cells[i] = cellView{Text: c, Numeric: i > 0 && numeric.MatchString(c)}
		}
		v.Rows = append(v.Rows, cells)
	}
	return v
}

// numeric matches a cell that reads as a number: a digit, sign or interval
// first.
var numeric = regexp.MustCompile(`^[-+\[0-9]|^n/a$`)

type figureView struct {
	Name, Title, Caption string
	SVG                  template.HTML
}

// cohortView is one (cohort, channel) cell of a scenario; Year is the
// first year of the cohort.
type cohortView struct {
	Scenario, Channel string
	Year              int
	Customers         string // joiners, "mean [p05, p95]"
	Value             string // Value at the oldest age observed, "mean [p05, p95]"
	Age               int    // that age, in periods since joining
	Lifetime          string // lifetime value, after the horizon included, "mean [p05, p95]"
}

// paramView is one parameter with its value in each scenario.
type paramView struct {
	Key, Unit, Doc, Source, Default string
	Values                          []valueView
}

type valueView struct {
	Value, Origin string
	Changed       bool // differs from the default
}

// svgHead is an SVG document's prologue and opening tag, with the viewBox.
var svgHead = regexp.MustCompile(`(?s)^.*?<svg[^>]*?(viewBox="[^"]*")[^>]*>`)

// inlineSVG turns the SVG document b, the chart name titled title, into an
// <svg> element to place in HTML: without the XML prologue and namespace
// declarations (HTML gives inline SVG its namespace), scaled to the page
// width.
func inlineSVG(name, title string, b []byte) (template.HTML, error) {
	m := svgHead.FindSubmatchIndex(b)
	if m == nil {
		return "", fmt.Errorf("%s: no <svg> element in the rendered chart", name)
	}
	head := fmt.Sprintf(`<svg %s role="img" aria-label="%s">`, b[m[2]:m[3]], template.HTMLEscapeString(title))
	return template.HTML(head + string(b[m[1]:])), nil
}

// cohortViews lists s's cohort cells.
func cohortViews(s *sim.Summary) []cohortView {
	out := make([]cohortView, 0, len(s.Cohorts))
	for _, c := range s.Cohorts {
		v := cohortView{Scenario: s.Scenario, Channel: c.Channel.String(), Year: c.Cohort * c.Span / max(s.Config.Horizon.PeriodsPerYear, 1), Customers: interval(c.Customers), Value: "n/a", Age: -1,
			Lifetime: interval(c.Lifetime)}
		for a := len(c.Value) - 1; a >= 0; a-- {
			if !math.IsNaN(c.Value[a].Mean) {
				v.Value, v.Age = interval(c.Value[a]), a
				break
			}
		}
		out = append(out, v)
	}
	return out
}

// paramViews lists every parameter of sim.Params with its value in each
// scenario.
func paramViews(scenarios []Scenario) ([]paramView, error) {
	out := make([]paramView, 0, len(sim.Params))
	for _, p := range sim.Params {
		v := paramView{Key: p.Key, Unit: p.Unit, Doc: p.Doc, Source: p.Source, Default: formatValue(p.Default)}
		for _, sc := range scenarios {
			x, err := sc.Summary.Config.Get(p.Key)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", sc.Summary.Scenario, err)
			}
			text, err := sc.Summary.Config.Text(p.Key) // whole numbers in full, past 2^53
			if err != nil {
				return nil, fmt.Errorf("%s: %w", sc.Summary.Scenario, err)
			}
			origin := sc.Origins[p.Key]
			if origin == "" {
				origin = "default"
			}
			v.Values = append(v.Values, valueView{Value: text, Origin: origin, Changed: x != p.Default})
		}
		out = append(out, v)
	}
	return out, nil
}

// names lists the scenarios' names, in order.
func names(sums []*sim.Summary) []string {
	out := make([]string, len(sums))
	for i, s := range sums {
		out[i] = s.Scenario
	}
	return out
}

// formatValue writes a parameter value in full precision.
func formatValue(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// metricInfos lists every metric's name, unit and meaning.
func metricInfos() []sim.MetricInfo {
	out := make([]sim.MetricInfo, sim.NumMetrics)
	for m := range sim.NumMetrics {
		out[m] = m.Info()
	}
	return out
}
