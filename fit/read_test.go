package fit

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestReadSurvival(t *testing.T) {
	const file = "\ufeff# exported 2024-06-30\n" +
		" Cohort , PERIOD ,alive\n" +
		"A,0,100\n" +
		"B,0,\"50\"\n" +
		"\n" +
		"A,1,80\n" +
		"# a comment between rows\n" +
		"A,2, 7e1\n" +
		"B,1,40\n"
	d, err := Read("ok.csv", strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "ok.csv" || d.Format != CohortSurvival {
		t.Errorf("name, format = %q, %v; want ok.csv, cohort survival", d.Name, d.Format)
	}
	want := []Cohort{
		{"A", Lifetimes{Churned: []int64{0, 20, 10}, Censored: []int64{0, 0, 70}}},
		{"B", Lifetimes{Churned: []int64{0, 10}, Censored: []int64{0, 40}}},
	}
	if !equalCohorts(d.Cohorts, want) {
		t.Errorf("cohorts = %+v, want %+v", d.Cohorts, want)
	}
	pooled := d.Pooled()
	if got := pooled.Customers(); got != 150 {
		t.Errorf("pooled customers = %d, want 150", got)
	}
	if !slices.Equal(pooled.Churned, []int64{0, 30, 10}) || !slices.Equal(pooled.Censored, []int64{0, 40, 70}) {
		t.Errorf("pooled = %+v", pooled)
	}
}

func TestReadCustomers(t *testing.T) {
	const file = "duration,censored\n1,0\n2,0\n2,1\n3,1\n0,1\n"
	d, err := Read("c.csv", strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	want := []Cohort{{"", Lifetimes{Churned: []int64{0, 1, 1, 0}, Censored: []int64{1, 0, 1, 1}}}}
	if d.Format != PerCustomer || !equalCohorts(d.Cohorts, want) {
		t.Fatalf("got %v %+v, want per customer %+v", d.Format, d.Cohorts, want)
	}
	// Kaplan-Meier by hand: at risk at renewal 1 are the 4 customers with
	// duration >= 1, of whom 1 churned; at renewal 2 the 3 with duration >= 2,
	// of whom 1 churned; at renewal 3 the 1 with duration 3, who stayed.
	o := d.Cohorts[0].observe()
	if !slices.Equal(o.alive, []int64{5, 3, 2, 1}) {
		t.Errorf("alive = %v, want [5 3 2 1]", o.alive)
	}
	if want := []float64{1, 0.75, 0.5, 0.5}; !approxSlice(o.survival, want, 1e-15) {
		t.Errorf("survival = %v, want %v", o.survival, want)
	}
	if want := []float64{0.75, 2.0 / 3, 1}; !approxSlice(o.retention[1:], want, 1e-15) {
		t.Errorf("retention = %v, want NaN then %v", o.retention, want)
	}
}

// TestReadLayoutsAgree checks that a cohort survival file and the per-customer
// file describing the same customers give the same lifetimes.
func TestReadLayoutsAgree(t *testing.T) {
	alive := []int64{10, 7, 4, 4, 2}
	surv, err := Read("s.csv", strings.NewReader(survivalCSV(alive)))
	if err != nil {
		t.Fatal(err)
	}
	cust, err := Read("c.csv", strings.NewReader(customerCSV(alive)))
	if err != nil {
		t.Fatal(err)
	}
	if !equalCohorts(surv.Cohorts, cust.Cohorts) {
		t.Errorf("survival file gives %+v, per-customer file %+v", surv.Cohorts, cust.Cohorts)
	}
}

// TestSpacing checks the unit a time column names and the spacing it gives
// in a scenario's periods.
func TestSpacing(t *testing.T) {
	for _, tc := range []struct {
		column  string
		perYear int
		every   int
		named   bool
		err     string
	}{
		{"period", 12, 0, false, ""},
		{"year", 12, 12, true, ""},
		{"Year", 1, 1, true, ""},
		{"year", 4, 4, true, ""},
		{"quarter", 12, 3, true, ""},
		{"quarter", 4, 1, true, ""},
		{"month", 12, 1, true, ""},
		{"month", 4, 0, true, "d.csv: one row a month is not a whole number of periods of a scenario with 4 periods a year"},
		{"quarter", 10, 0, true, "d.csv: one row a quarter is not a whole number of periods of a scenario with 10 periods a year"},
		{"year", 52, 52, true, ""},
	} {
		d, err := Read("d.csv", strings.NewReader(tc.column+",alive\n0,10\n1,5\n"))
		if err != nil {
			t.Fatal(err)
		}
		every, named, err := d.Spacing(tc.perYear)
		if every != tc.every || named != tc.named || (err == nil) != (tc.err == "") || (err != nil && err.Error() != tc.err) {
			t.Errorf("%s with %d a year: Spacing = %d, %v, %v; want %d, %v, %q", tc.column, tc.perYear, every, named, err, tc.every, tc.named, tc.err)
		}
	}
	d, err := Read("d.csv", strings.NewReader("duration,censored\n3,1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if every, named, err := d.Spacing(12); every != 0 || named || err != nil {
		t.Errorf("per-customer file: Spacing = %d, %v, %v; want 0, false, nil", every, named, err)
	}
}

func TestReadErrors(t *testing.T) {
	for _, tc := range []struct {
		name, file, want string
	}{
		{"empty file", "", "bad.csv:1: empty file"},
		{"comments only", "# nothing\n\n", "bad.csv:1: empty file"},
		{"header only", "period,alive\n", "bad.csv:1: header only: no data rows"},
		{"per-customer header only", "# x\nduration,censored\n", "bad.csv:2: header only"},
		{"missing alive", "period\n0\n", "bad.csv:1: missing column alive"},
		{"missing duration", "censored\n1\n", "bad.csv:1: missing column duration"},
		{"no known columns", "cohort\nA\n", "bad.csv:1: header names neither"},
		{"unknown column", "period,alive,note\n0,10,x\n", `bad.csv:1: unknown column "note"`},
		{"mixed layouts", "period,alive,duration,censored\n0,1,1,1\n", "bad.csv:1: header mixes"},
		{"duplicate column", "period,alive,Alive\n0,1,1\n", `bad.csv:1: column "alive" appears twice`},
		{"non-numeric", "period,alive\n0,1000\n1,abc\n", `bad.csv:3: alive: not a number: "abc"`},
		{"empty cell", "period,alive\n0,\n", "bad.csv:2: alive: empty cell"},
		{"negative count", "period,alive\n0,1000\n1,-5\n", "bad.csv:3: alive: must not be negative, got -5"},
		{"fractional count", "period,alive\n0,1000\n1,900.5\n", "bad.csv:3: alive: must be a whole number, got 900.5"},
		{"NaN", "period,alive\n0,NaN\n", `bad.csv:2: alive: must be a finite number, got "NaN"`},
		{"Inf", "period,alive\n0,1000\n1,+Inf\n", `bad.csv:3: alive: must be a finite number, got "+Inf"`},
		{"overflowing number", "period,alive\n0,1e999\n", `bad.csv:2: alive: must be a finite number`},
		{"counts rise", "period,alive\n0,1000\n1,400\n2,412\n", "bad.csv:4: alive: counts must not rise (412 after 400)"},
		{"period gap", "period,alive\n0,1000\n1,900\n3,800\n", "bad.csv:4: period: periods must be consecutive (3 after 1)"},
		{"duplicate period", "period,alive\n0,1000\n1,900\n1,900\n", "bad.csv:4: period: 1 repeated (first on line 3)"},
		{"first period not 0", "period,alive\n1,1000\n", "bad.csv:2: period: the first row must be period 0, got 1"},
		{"negative period", "period,alive\n-1,1000\n", "bad.csv:2: period: must not be negative"},
		{"empty cohort", "period,alive\n0,0\n", "bad.csv:2: alive: period 0 must have at least one customer"},
		{"line numbers count comments", "# c\nperiod,alive\n# c\n0,1000\n\n1,1200\n", "bad.csv:6: alive: counts must not rise (1200 after 1000)"},
		{"cohort gap", "cohort,period,alive\nA,0,100\nB,0,50\nA,2,90\n", "bad.csv:4: period: periods must be consecutive (2 after 0)"},
		{"cohort duplicate", "cohort,period,alive\nA,0,100\nB,0,50\nB,0,50\n", `bad.csv:4: period: 0 of cohort "B" repeated (first on line 3)`},
		{"cohort empty label", "cohort,period,alive\nA,0,100\n,0,100\n", "bad.csv:3: cohort: empty label"},
		{"wrong field count", "period,alive\n0,1000\n1\n", "bad.csv:3: wrong number of fields"},
		{"bare quote", "period,alive\n0,10\"00\n", `bad.csv:2: bare " in non-quoted-field`},
		{"censored not 0/1", "duration,censored\n3,2\n", `bad.csv:2: censored: must be 0 (churned) or 1 (still active), got "2"`},
		{"censored text", "duration,censored\n3,1\n4,yes\n", `bad.csv:3: censored: must be 0 (churned) or 1 (still active), got "yes"`},
		{"churned at duration 0", "duration,censored\n0,0\n", "bad.csv:2: duration: a churned customer (censored 0) completed at least 1 period, got 0"},
		{"duration too long", "duration,censored\n99999,1\n", "bad.csv:2: duration: must be at most 10000, got 99999"},
		{"duration NaN", "duration,censored\nnan,1\n", `bad.csv:2: duration: must be a finite number, got "nan"`},
		{"two time columns", "year,month,alive\n0,0,10\n", `bad.csv:1: column "month": a second time column`},
		{"period and year", "period,Year,alive\n0,0,10\n", `bad.csv:1: column "year": a second time column`},
		{"year and period", "year,alive,period\n0,10,0\n", `bad.csv:1: column "period": a second time column`},
		{"year gap", "year,alive\n0,1000\n2,900\n", "bad.csv:3: year: years must be consecutive (2 after 0)"},
		{"first year not 0", "year,alive\n1,1000\n", "bad.csv:2: year: the first row must be year 0, got 1"},
		{"unknown unit", "week,alive\n0,1000\n", `bad.csv:1: unknown column "week": want period (or year, quarter, month)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Read("bad.csv", strings.NewReader(tc.file))
			if err == nil {
				t.Fatalf("no error; read %+v", d)
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error %q\nwant prefix %q", err, tc.want)
			}
		})
	}
}

func FuzzRead(f *testing.F) {
	for _, seed := range []string{
		"period,alive\n0,1000\n1,631\n2,468\n",
		"cohort,period,alive\nA,0,100\nB,0,50\nA,1,80\nB,1,40\n",
		"duration,censored\n1,0\n2,1\n0,1\n",
		"cohort,duration,censored\nx,3,0\ny,5,1\n",
		"# c\n\ufeffperiod,alive\n0,1e3\n1,\"900\"\n",
		"period,alive\n0,1000\n1,1200\n",
		"duration,censored\n0,0\n",
		"period,alive\n0,NaN\n",
		"",
		// Long and deep: a header name and a cohort label of 2,000
		// dotted parts, quotes within quotes, and many long cohorts.
		strings.Repeat("a.", 2000) + "period,alive\n0,1\n",
		"cohort,period,alive\n" + strings.Repeat("c.", 2000) + ",0,5\n",
		"period,alive\n\"" + strings.Repeat(`""`, 2000) + "\",1\n",
		"period,alive\n" + strings.Repeat("+  ", 2000) + ",1\n",
		manyCohorts(200, MaxPeriod),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, file string) {
		d, err := Read("fuzz.csv", strings.NewReader(file))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.csv:") || strings.Contains(err.Error(), "\n") || len(err.Error()) > 500 {
				t.Fatalf("error is not one short line naming the file: %.600q", err)
			}
			return
		}
		if len(d.Cohorts) == 0 {
			t.Fatal("no cohorts and no error")
		}
		for _, c := range d.Cohorts {
			if len(c.Churned) != len(c.Censored) || len(c.Churned) == 0 || len(c.Churned) > MaxPeriod+1 {
				t.Fatalf("cohort %q: lengths %d, %d", c.Name, len(c.Churned), len(c.Censored))
			}
			if c.Churned[0] != 0 {
				t.Fatalf("cohort %q: churned after 0 periods", c.Name)
			}
			for i := range c.Churned {
				if c.Churned[i] < 0 || c.Censored[i] < 0 {
					t.Fatalf("cohort %q: negative count at %d", c.Name, i)
				}
			}
			if c.Customers() <= 0 {
				t.Fatalf("cohort %q: no customers", c.Name)
			}
		}
		// Whatever was read, fitting it returns a result or an error.
		if res, err := Fit(d, Options{Draws: 20}); err == nil && (res.Alpha <= 0 || res.Beta <= 0) {
			t.Fatalf("fit gave alpha %v, beta %v", res.Alpha, res.Beta)
		}
	})
}

// manyCohorts is a per-customer file of n cohorts, each of one customer
// still active after the given duration.
func manyCohorts(n, duration int) string {
	var b strings.Builder
	b.WriteString("cohort,duration,censored\n")
	for i := range n {
		b.WriteString("c" + strconv.Itoa(i) + "," + strconv.Itoa(duration) + ",1\n")
	}
	return b.String()
}

// A file is refused once its cohorts cover more than MaxCohortPeriods
// periods in all, so that the memory it takes is bounded whatever the
// number of cohorts: 1,000 one-customer cohorts of 10,000 periods would
// take 160 MB.
func TestReadBoundsCohortPeriods(t *testing.T) {
	file := manyCohorts(1000, MaxPeriod)
	var err error
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err = Read("many.csv", strings.NewReader(file))
	runtime.ReadMemStats(&after)
	if want := "many.csv:101: more than 1000000 periods in all, summed over cohorts"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("got %v, want an error starting %q", err, want)
	}
	if got, most := after.TotalAlloc-before.TotalAlloc, uint64(3*16*MaxCohortPeriods); got > most {
		t.Errorf("%d bytes allocated, want at most %d", got, most)
	}
	if _, err := Read("ok.csv", strings.NewReader(manyCohorts(99, MaxPeriod))); err != nil {
		t.Errorf("99 cohorts of %d periods: %v", MaxPeriod+1, err)
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	ok := filepath.Join(dir, "ok.csv")
	if err := os.WriteFile(ok, []byte("period,alive\n0,10\n1,8\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	d, raw, err := ReadFile(context.Background(), ok)
	if err != nil || d.Name != ok || string(raw) != "period,alive\n0,10\n1,8\n" {
		t.Errorf("got %v, %q, %v", d, raw, err)
	}
	for _, tc := range []struct{ path, want string }{
		{dir, dir + ": is a directory, not a regular file"},
		{filepath.Join(dir, "none.csv"), filepath.Join(dir, "none.csv") + ": no such file"},
		{filepath.Join(ok, "x.csv"), filepath.Join(ok, "x.csv") + ": not a directory"},
	} {
		if _, _, err := ReadFile(context.Background(), tc.path); err == nil || err.Error() != tc.want {
			t.Errorf("got %v, want %s", err, tc.want)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := ReadFile(ctx, ok); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: got %v", err)
	}
}

// survivalCSV is a cohort survival file with the given alive counts.
func survivalCSV(alive []int64) string {
	var b strings.Builder
	b.WriteString("period,alive\n")
	for t, n := range alive {
		b.WriteString(itoa(int64(t)) + "," + itoa(n) + "\n")
	}
	return b.String()
}

// customerCSV is the per-customer file of the customers counted in alive:
// alive[t-1]-alive[t] churned after t periods, alive[last] still active.
func customerCSV(alive []int64) string {
	var b strings.Builder
	b.WriteString("duration,censored\n")
	for t := 1; t < len(alive); t++ {
		b.WriteString(strings.Repeat(itoa(int64(t))+",0\n", int(alive[t-1]-alive[t])))
	}
	b.WriteString(strings.Repeat(itoa(int64(len(alive)-1))+",1\n", int(alive[len(alive)-1])))
	return b.String()
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func equalCohorts(a, b []Cohort) bool {
	return slices.EqualFunc(a, b, func(x, y Cohort) bool {
		return x.Name == y.Name && slices.Equal(x.Churned, y.Churned) && slices.Equal(x.Censored, y.Censored)
	})
}

func approxSlice(got, want []float64, tol float64) bool {
	return slices.EqualFunc(got, want, func(x, y float64) bool { return math.Abs(x-y) <= tol })
}
