package compare

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/retsim/retsim/sim"
)

// constructedComparison compares two constructed scenarios with the
// reference over 3 periods and 2 replications; clv_per_acquired is
// undefined throughout (nobody was acquired).
func constructedComparison(t *testing.T) *Comparison {
	t.Helper()
	ref := constructed("ref", 7, []float64{0, 0, 0}, []float64{0, 0, 0})
	c, err := Compare([]*sim.Result{ref,
		constructed("up", 7, []float64{-1, 1, 2}, []float64{-1, -1, 3}),
		constructed("down", 7, []float64{-1, -2, -3}, []float64{0, -1, -1})})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func readCSV(t *testing.T, write func(*bytes.Buffer) error) [][]string {
	t.Helper()
	var b bytes.Buffer
	if err := write(&b); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// column returns the values of the named column in the rows after the header.
func column(rows [][]string, name string) []string {
	i := -1
	for j, h := range rows[0] {
		if h == name {
			i = j
		}
	}
	var out []string
	for _, r := range rows[1:] {
		out = append(out, r[i])
	}
	return out
}

func TestComparisonFiles(t *testing.T) {
	c := constructedComparison(t)
	rows := readCSV(t, func(b *bytes.Buffer) error { return WriteComparisonCSV(b, c) })
	if !reflect.DeepEqual(rows[0], ComparisonHeader) || len(rows) != 1+2*len(Outcomes) {
		t.Fatalf("comparison.csv: header %v and %d rows, want %v and %d rows", rows[0], len(rows)-1, ComparisonHeader, 2*len(Outcomes))
	}
	for i, r := range rows[1:] {
		if r[0] != "ref" || len(r) != len(ComparisonHeader) {
			t.Errorf("row %d: %v", i, r)
		}
		if r[2] == "clv_per_acquired" && (r[4] != "0" || r[7] != "NA") {
			t.Errorf("clv_per_acquired, undefined everywhere: n %s, mean_diff %s; want 0 and NA", r[4], r[7])
		}
		if r[1] == "up" && r[2] == "cumulative_profit" && (r[7] != "2.5" || r[13] != "1") {
			t.Errorf("up, cumulative_profit: mean_diff %s, p_beats %s; want 2.5 and 1", r[7], r[13])
		}
	}
	rows = readCSV(t, func(b *bytes.Buffer) error { return WriteCrossoverCSV(b, c) })
	if !reflect.DeepEqual(rows[0], CrossoverHeader) || len(rows) != 1+2*len(CrossoverMetrics) {
		t.Fatalf("crossover.csv: header %v and %d rows", rows[0], len(rows)-1)
	}
	// up crosses at periods 1 and 2 (mean 1.5); down never does.
	if got := column(rows, "mean"); !reflect.DeepEqual(got, []string{"1.5", "1.5", "NA", "NA"}) {
		t.Errorf("crossover means %v, want 1.5, 1.5, NA, NA", got)
	}
	if got := column(rows, "never_share"); !reflect.DeepEqual(got, []string{"0", "0", "1", "1"}) {
		t.Errorf("never shares %v, want 0, 0, 1, 1", got)
	}
	rows = readCSV(t, func(b *bytes.Buffer) error { return WriteSeriesCSV(b, c) })
	if !reflect.DeepEqual(rows[0], SeriesHeader) || len(rows) != 1+2*len(CrossoverMetrics)*3 {
		t.Fatalf("comparison_series.csv: header %v and %d rows", rows[0], len(rows)-1)
	}
	if got := column(rows, "mean_diff")[:3]; !reflect.DeepEqual(got, []string{"-1", "0", "2.5"}) {
		t.Errorf("up's mean differences %v, want -1, 0, 2.5", got)
	}

	var b bytes.Buffer
	if err := WriteComparisonJSON(&b, c); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Reference  string `json:"reference"`
		CRN        bool   `json:"common_random_numbers"`
		Outcomes   []map[string]any
		Crossovers []struct {
			Period map[string]any `json:"period"`
		}
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("comparison.json: %v\n%s", err, b.String())
	}
	if doc.Reference != "ref" || !doc.CRN || len(doc.Outcomes) != 2*len(Outcomes) || doc.Crossovers[2].Period["p50"] != nil {
		t.Errorf("comparison.json: %+v", doc)
	}
	for _, o := range doc.Outcomes {
		if o["outcome"] == "clv_per_acquired" && o["diff"].(map[string]any)["mean_diff"] != nil {
			t.Errorf("undefined mean difference written as %v, want null", o["diff"])
		}
	}

	if got := len(ComparisonFiles(c)); got != 4 {
		t.Errorf("%d comparison files, want 4", got)
	}
}

func TestComparisonTable(t *testing.T) {
	c := constructedComparison(t)
	var b bytes.Buffer
	if err := WriteComparisonTable(&b, c); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"Compared with ref: 2 replications each, 3 periods, common random numbers",
		"cumulative profit", "[-", "currency", "P(beats)", "n/a",
		"median period", "90% range", "1 to 2", "100%", "0% (ties 100%)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	// The verdicts come first, one sentence per scenario.
	verdicts, tables, _ := strings.Cut(out, "Compared with")
	for _, want := range []string{"up and ref cannot be told apart in value: difference +2.50 [-3.85, +8.85]", "ahead for good from period 1 (median)", "down and ref cannot"} {
		if !strings.Contains(verdicts, want) {
			t.Errorf("verdicts lack %q:\n%s", want, verdicts)
		}
	}
	// Aligned: in each block the second column starts at the same offset.
	var offsets []int
	for _, line := range strings.Split(tables, "\n") {
		if f := strings.Fields(line); len(f) > 1 && (f[0] == "up" || f[0] == "down" || f[0] == "scenario") {
			offsets = append(offsets, strings.Index(line, f[1]))
		}
	}
	t.Logf("\n%s", out)
	if len(offsets) != 2+2*len(Outcomes)+2*len(CrossoverMetrics) || slices.Min(offsets) != slices.Max(offsets) {
		t.Errorf("column offsets %v: not aligned\n%s", offsets, out)
	}
}

func TestSweepCSV(t *testing.T) {
	outs, err := outcomesByName([]string{"cumulative_discounted_profit", "cumulative_profit"})
	if err != nil {
		t.Fatal(err)
	}
	s := &SweepResult{
		Axes:     []Axis{{Key: "policy.giving", From: 0, To: 1, Steps: 2}, {Key: "discounts.months", From: 1, To: 2, Steps: 2}},
		Outcomes: outs,
		Points: []SweepPoint{
			{Values: []float64{0, 1}, Outcomes: accumulators([]float64{1, 2, 3}, []float64{4, 5, math.NaN()})},
			{Values: []float64{0, 2}, Outcomes: accumulators([]float64{1, 1, 1}, []float64{2, 2, 2})},
		},
	}
	rows := readCSV(t, func(b *bytes.Buffer) error { return WriteSweepCSV(b, s) })
	want := [][]string{
		{"point", "policy.giving", "discounts.months", "outcome", "unit", "n", "mean", "sd", "p05", "p50", "p95"},
		{"0", "0", "1", "cumulative_discounted_profit", "currency", "3", "2", "1", "1", "1.5", "2.8499999999999996"},
		{"0", "0", "1", "cumulative_profit", "currency", "2", "4.5", "0.7071067811865476", "4", "4", "4.9"},
		{"1", "0", "2", "cumulative_discounted_profit", "currency", "3", "1", "0", "1", "1", "1"},
		{"1", "0", "2", "cumulative_profit", "currency", "3", "2", "0", "2", "2", "2"},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("sweep.csv:\n%v\nwant\n%v", rows, want)
	}
}

func TestSensitivityOutput(t *testing.T) {
	tor := &Tornado{
		Outcome: "cumulative_profit", Unit: "currency", Replications: 3,
		Base: sim.StatOf([]float64{10, 11, 12}),
		Bars: []Bar{{Key: "pricing.list_price", Unit: "currency/period", Base: 30, Low: 24, High: 36,
			LowDiff: Pair([]float64{10, 11, 12}, []float64{5, 6, 7}), HighDiff: Pair([]float64{10, 11, 12}, []float64{15, 16, 17}), Swing: 10}},
		Skipped: []Skip{{Key: "market.cac", Base: 0, Reason: "base value 0 and range unbounded in nature (allowed >= 0, at most 1e+09)"}},
	}
	rows := readCSV(t, func(b *bytes.Buffer) error { return WriteSensitivityCSV(b, tor) })
	if !reflect.DeepEqual(rows[0], SensitivityHeader) || len(rows) != 4 {
		t.Fatalf("sensitivity.csv: %v", rows)
	}
	if got := column(rows, "end"); !reflect.DeepEqual(got, []string{"low", "high", "none"}) {
		t.Errorf("ends %v", got)
	}
	if got := column(rows, "mean_diff"); !reflect.DeepEqual(got, []string{"-5", "5", "NA"}) {
		t.Errorf("mean differences %v", got)
	}
	if got := column(rows, "rank"); !reflect.DeepEqual(got, []string{"1", "1", "NA"}) {
		t.Errorf("ranks %v", got)
	}
	var b bytes.Buffer
	if err := WriteSensitivityTable(&b, tor); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"cumulative profit (currency): base mean 11", "pricing.list_price", "-5", "+5", "market.cac: base value 0"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, b.String())
		}
	}
}

func TestHuman(t *testing.T) {
	for _, tc := range []struct {
		x      float64
		signed bool
		want   string
	}{
		{1234567.4, false, "1,234,567"},
		{-1234567.6, true, "-1,234,568"},
		{999.4, true, "+999"},
		{12.345, false, "12.3"},
		{0.01234, true, "+0.0123"},
		{0, true, "0"},
		{math.NaN(), true, "n/a"},
		{math.Inf(1), false, "+inf"},
	} {
		if got := human(tc.x, tc.signed); got != tc.want {
			t.Errorf("human(%v, %v) = %q, want %q", tc.x, tc.signed, got, tc.want)
		}
	}
}

// accumulators has one Accumulator per slice, fed its values.
func accumulators(values ...[]float64) []sim.Accumulator {
	acc := make([]sim.Accumulator, len(values))
	for k, xs := range values {
		for _, x := range xs {
			acc[k].Add(x)
		}
	}
	return acc
}

// Scenario names that a spreadsheet would run as formulas are escaped with
// a leading single quote in every CSV file; negative numbers stay numbers.
func TestCSVEscapesFormulaNames(t *testing.T) {
	ref := constructed("=HYPERLINK(\"http://x\")", 7, []float64{0, 0, 0}, []float64{0, 0, 0})
	c, err := Compare([]*sim.Result{ref, constructed("-down", 7, []float64{-1, -2, -3}, []float64{0, -1, -1})})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"comparison.csv", func(b *bytes.Buffer) error { return WriteComparisonCSV(b, c) }},
		{"crossover.csv", func(b *bytes.Buffer) error { return WriteCrossoverCSV(b, c) }},
		{"comparison_series.csv", func(b *bytes.Buffer) error { return WriteSeriesCSV(b, c) }},
	} {
		rows := readCSV(t, tc.write)
		negatives := 0
		for _, r := range rows[1:] {
			if r[0] != "'=HYPERLINK(\"http://x\")" || r[1] != "'-down" {
				t.Fatalf("%s: reference and scenario cells %q, %q", tc.name, r[0], r[1])
			}
			for _, cell := range r[2:] {
				if strings.HasPrefix(cell, "-") {
					negatives++
				}
			}
		}
		if tc.name != "crossover.csv" && negatives == 0 {
			t.Errorf("%s: no negative number left plain", tc.name)
		}
	}
}

func TestDecompositionFiles(t *testing.T) {
	nan := math.NaN()
	d := &Decomposition{Reference: "taking", Scenario: "giving", Replications: 2,
		Groups: []Group{{"policy.giving", []string{"policy.giving"}}, {"taking", []string{"taking.loyalty_rise", "taking.fix_fee"}}, {"discounts", nil}},
		Values: map[string][2]float64{"policy.giving": {0, 1}, "taking.loyalty_rise": {0.05, 0.1}, "taking.fix_fee": {5, 0}},
		Outcomes: []OutcomeParts{
			{Outcome: "cumulative_profit", Unit: "currency", Total: Pair([]float64{10, 20}, []float64{13, 25}), Parts: []Part{
				{Group: "policy.giving", N: 2, Mean: 1.5, SD: 0.5, CI95: Interval{-3, 6}},
				{Group: "taking", N: 2, Mean: 2.5, SD: 0.5, CI95: Interval{-2, 7}},
				{Group: "discounts", N: 2, Mean: 0, SD: 0, CI95: Interval{0, 0}}}},
			{Outcome: "clv_per_acquired", Unit: "currency/customer", Total: Pair([]float64{nan}, []float64{nan}), Parts: []Part{
				{Group: "policy.giving", Mean: nan, SD: nan, CI95: Interval{nan, nan}},
				{Group: "taking", Mean: nan, SD: nan, CI95: Interval{nan, nan}},
				{Group: "discounts", Mean: nan, SD: nan, CI95: Interval{nan, nan}}}},
		}}
	rows := readCSV(t, func(b *bytes.Buffer) error { return WriteDecompositionCSV(b, d) })
	if !reflect.DeepEqual(rows[0], DecompositionHeader) || len(rows) != 1+2*4 {
		t.Fatalf("decomposition.csv: header %v and %d rows, want %v and 8 rows", rows[0], len(rows)-1, DecompositionHeader)
	}
	want := [][]string{
		{"taking", "giving", "cumulative_profit", "currency", "policy.giving", "policy.giving", "2", "1.5", "0.5", "-3", "6"},
		{"taking", "giving", "cumulative_profit", "currency", "taking", "taking.loyalty_rise;taking.fix_fee", "2", "2.5", "0.5", "-2", "7"},
		{"taking", "giving", "cumulative_profit", "currency", "discounts", "", "2", "0", "0", "0", "0"},
		{"taking", "giving", "cumulative_profit", "currency", "total", "policy.giving;taking.loyalty_rise;taking.fix_fee", "2", "4", "1.4142135623730951"},
	}
	for i, w := range want {
		if got := rows[1+i][:len(w)]; !reflect.DeepEqual(got, w) {
			t.Errorf("row %d: %v, want %v", i+1, got, w)
		}
	}
	if got := column(rows, "mean")[4:]; !reflect.DeepEqual(got, []string{"NA", "NA", "NA", "NA"}) {
		t.Errorf("undefined outcome's means %v, want NA", got)
	}
	if got := len(DecompositionFiles(d)); got != 1 {
		t.Errorf("%d decomposition files, want 1", got)
	}

	var b bytes.Buffer
	if err := WriteDecompositionTable(&b, d); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"giving minus taking split among 3 groups", "8 configurations", "(none differs)", "total", "n/a"} {
		if !strings.Contains(b.String(), s) {
			t.Errorf("table lacks %q:\n%s", s, b.String())
		}
	}
	lines := map[string]bool{}
	for _, l := range strings.Split(b.String(), "\n") {
		lines[strings.Join(strings.Fields(l), " ")] = true
	}
	for _, l := range []string{"taking.fix_fee 5 0", "taking taking.loyalty_rise 0.05 0.1", "taking +2.50 [-2.00, +7.00] currency", "total +4.0 [-8.7, +16.7] currency"} {
		if !lines[l] {
			t.Errorf("table lacks the line %q:\n%s", l, b.String())
		}
	}
}
