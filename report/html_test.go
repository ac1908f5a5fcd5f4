package report

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"github.com/retsim/retsim/plots"
	"github.com/retsim/retsim/plots/plotstest"
	"github.com/retsim/retsim/sim"
)

// htmlDoc is what the tests read back from the report.
type htmlDoc struct {
	elements map[string]int      // count of each element name
	attrs    map[string][]string // values of each attribute name
	text     strings.Builder     // all character data
}

// parseHTML reads the report strictly as XML: every element closed and
// nested, every attribute quoted. HTML's named entities are accepted.
func parseHTML(t *testing.T, b []byte) *htmlDoc {
	t.Helper()
	doc := &htmlDoc{elements: map[string]int{}, attrs: map[string][]string{}}
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Entity = xml.HTMLEntity
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return doc
		}
		if err != nil {
			t.Fatalf("report is not well-formed: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			doc.elements[tok.Name.Local]++
			for _, a := range tok.Attr {
				name := a.Name.Local
				if a.Name.Space != "" {
					name = a.Name.Space + ":" + name
				}
				doc.attrs[name] = append(doc.attrs[name], a.Value)
			}
		case xml.CharData:
			doc.text.Write(tok)
		}
	}
}

func testScenarios(t *testing.T) []Scenario {
	sums := plotstest.Scenarios(t, 2)
	return []Scenario{
		{Summary: sums[0], Description: `Takes value: loyalty rises & fees <script>alert(1)</script>`,
			Origins: map[string]string{"policy.giving": "scenarios/taking.toml", "policy.human_share": "--set"}},
		{Summary: sums[1]},
	}
}

func TestHTMLSelfContained(t *testing.T) {
	scs := testScenarios(t)
	var buf bytes.Buffer
	if err := HTML(&buf, scs, Options{Title: "Taking versus neutral", EngineVersion: "v1.2.3"}); err != nil {
		t.Fatal(err)
	}
	raw := buf.String()
	if !strings.HasPrefix(raw, "<!DOCTYPE html>") {
		t.Error("no <!DOCTYPE html> first")
	}
	doc := parseHTML(t, buf.Bytes())

	for _, el := range []string{"html", "head", "body", "title", "style"} {
		if doc.elements[el] != 1 {
			t.Errorf("%d <%s> elements, want 1", doc.elements[el], el)
		}
	}
	figs, err := plots.Figures([]*sim.Summary{scs[0].Summary, scs[1].Summary})
	if err != nil {
		t.Fatal(err)
	}
	if doc.elements["svg"] != len(figs) {
		t.Errorf("%d inline <svg>, want one per chart (%d)", doc.elements["svg"], len(figs))
	}
	for _, f := range figs {
		if !strings.Contains(raw, `<figure id="chart-`+f.Name+`">`) {
			t.Errorf("chart %s missing", f.Name)
		}
	}

	// Nothing to fetch: no element that loads a resource, no link that
	// leaves the page, no URL at all.
	for _, el := range []string{"script", "link", "img", "image", "iframe", "object", "embed", "video", "audio", "source", "use"} {
		if n := doc.elements[el]; n > 0 {
			t.Errorf("%d <%s> elements, want none", n, el)
		}
	}
	for _, a := range []string{"src", "srcset", "xlink:href", "action", "poster", "data", "xmlns"} {
		if v := doc.attrs[a]; len(v) > 0 {
			t.Errorf("attribute %s present: %q", a, v)
		}
	}
	for _, v := range doc.attrs["href"] {
		if !strings.HasPrefix(v, "#") {
			t.Errorf("href %q leaves the page", v)
		}
	}
	for _, s := range []string{"http:", "https:", "//", "url(", "@import", "<script"} {
		if strings.Contains(raw, s) {
			i := strings.Index(raw, s)
			t.Errorf("report contains %q: …%s…", s, raw[max(0, i-60):min(len(raw), i+60)])
		}
	}
}

func TestHTMLContent(t *testing.T) {
	scs := testScenarios(t)
	var buf bytes.Buffer
	if err := HTML(&buf, scs, Options{EngineVersion: "v1.2.3"}); err != nil {
		t.Fatal(err)
	}
	raw := buf.String()
	doc := parseHTML(t, buf.Bytes())
	text := doc.text.String()

	want := []string{
		"retsim report", // default title
		"v1.2.3",
		scs[0].Description, // escaped in the source, intact as text
		"No description given.",
		"Totals at the horizon",
		"scenarios/taking.toml", "--set", "default",
	}
	for _, sc := range scs {
		cfg := sc.Summary.Config
		want = append(want, sc.Summary.Scenario, cfg.Hash())
	}
	for _, p := range sim.Params {
		want = append(want, p.Key, p.Source)
	}
	for m := range sim.NumMetrics {
		want = append(want, m.String())
	}
	for _, row := range summarize([]*sim.Summary{scs[0].Summary, scs[1].Summary})[1:] {
		want = append(want, row...)
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("report text lacks %q", w)
		}
	}
	if !strings.Contains(raw, `style="background: `+plots.ScenarioStyle(1).Hex()+`"`) {
		t.Errorf("second scenario's swatch is not in its chart colour %s", plots.ScenarioStyle(1).Hex())
	}
}

func TestHTMLErrors(t *testing.T) {
	if err := HTML(io.Discard, nil, Options{}); err == nil {
		t.Error("no scenarios: want an error")
	}
	if err := Table(io.Discard, nil); err == nil {
		t.Error("table of no scenarios: want an error")
	}
}

func TestInterval(t *testing.T) {
	tests := []struct {
		s    sim.Stat
		want string
	}{
		{sim.Stat{Mean: 10120, P05: 9894, P95: 10270}, "10,120 [9,894, 10,270]"}, // one style, no k mixed with whole numbers
		{sim.Stat{Mean: 5376000, P05: 5261000, P95: 5490000}, "5,376,000 [5,261,000, 5,490,000]"},
		{sim.Stat{Mean: -25.05, P05: -26.39, P95: -23.58}, "-25.1 [-26.4, -23.6]"},
		{sim.StatOf(nil), "n/a"},
	}
	for _, tc := range tests {
		if got := interval(tc.s); got != tc.want {
			t.Errorf("interval(%+v) = %q, want %q", tc.s, got, tc.want)
		}
	}
}

// TestPage checks a page no scenarios head: well-formed, the verdict,
// headline, lead, charts, notes and manifest shown, none of the sections
// that describe simulated scenarios, and nothing written on an error.
func TestPage(t *testing.T) {
	chart := Chart{Name: "fit", Title: "Survival", Caption: "How to read it.", SVG: func(w io.Writer) error {
		_, err := io.WriteString(w, `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" width="10"><rect width="5" height="5"/></svg>`)
		return err
	}}
	opt := Options{
		Title:    "retsim fit: data.csv",
		Command:  "retsim fit data.csv --every 12",
		Verdicts: []string{"alpha 0.70 [0.58, 0.85] & beta 1.18"},
		Headline: Grid{Rows: [][]string{{"parameter", "estimate"}, {"alpha", "0.704"}}},
		Lead:     "Maximum likelihood; 95% confidence intervals.",
		Charts:   []Chart{chart},
		Notes:    []Note{{Title: "Observed and fitted", Text: "period  alive\n0  1000\n"}},
		Manifest: []Fact{{"data SHA-256", "abc123"}},
	}
	var buf bytes.Buffer
	if err := Page(&buf, opt); err != nil {
		t.Fatal(err)
	}
	raw := buf.String()
	doc := parseHTML(t, buf.Bytes())
	text := doc.text.String()
	for _, w := range []string{"retsim fit: data.csv", "alpha 0.70 [0.58, 0.85] & beta 1.18.", "0.704", "Maximum likelihood; 95% confidence intervals.",
		"How to read it.", "Observed and fitted", "period  alive", "retsim fit data.csv --every 12", "data SHA-256", "abc123"} {
		if !strings.Contains(text, w) {
			t.Errorf("page text lacks %q", w)
		}
	}
	if doc.elements["svg"] != 1 || doc.elements["rect"] != 1 || len(doc.attrs["xmlns"]) != 0 {
		t.Errorf("%d <svg>, %d <rect>, xmlns %q: want the chart inline once, without its namespace", doc.elements["svg"], doc.elements["rect"], doc.attrs["xmlns"])
	}
	if i, j := strings.Index(raw, `id="verdict"`), strings.Index(raw, "<figure"); i < 0 || j < i {
		t.Errorf("verdict at %d, first chart at %d: want the verdict first", i, j)
	}
	for _, absent := range []string{`id="summary"`, `id="scenarios"`, `id="cohorts"`, `id="parameters"`, `id="metrics"`, "Monte Carlo results"} {
		if strings.Contains(raw, absent) {
			t.Errorf("page has %s, which only a report of scenarios has", absent)
		}
	}

	for name, bad := range map[string]Options{
		"no verdict":   {Title: "x"},
		"broken chart": {Verdicts: []string{"v"}, Charts: []Chart{{Name: "c", SVG: func(io.Writer) error { return io.ErrUnexpectedEOF }}}},
		"not SVG":      {Verdicts: []string{"v"}, Charts: []Chart{{Name: "c", SVG: func(w io.Writer) error { _, err := io.WriteString(w, "png"); return err }}}},
	} {
		var out bytes.Buffer
		if err := Page(&out, bad); err == nil || out.Len() > 0 {
			t.Errorf("%s: error %v, %d bytes written; want an error and nothing written", name, err, out.Len())
		}
	}
}

func TestRunVerdict(t *testing.T) {
	s := &sim.Summary{Scenario: "baseline", Config: sim.Default(), Totals: sim.Totals{
		Value:       sim.Stat{Mean: 2662345, P05: 2530000, P95: 2780000},
		FinalActive: sim.Stat{Mean: 8123.4, P05: 7950, P95: 8301},
		FinalNPS:    sim.Stat{Mean: 12.34, P05: 9.5, P95: 15.25},
	}}
	s.Config.Horizon.Periods, s.Config.Horizon.PeriodsPerYear = 60, 12
	want := "over 60 months, baseline is worth 2,662,345 [2,530,000, 2,780,000] currency at period 0 (discounted profit plus customer equity) and ends with 8,123 [7,950, 8,301] active customers at an NPS of 12.3 [9.5, 15.2] (mean [5-95% range across replications])"
	if got := RunVerdict(s); got != want {
		t.Errorf("RunVerdict\n got %q\nwant %q", got, want)
	}
}
