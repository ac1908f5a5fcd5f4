package fit

import (
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"
)

// Fader & Hardie (2007), "How to Project Customer Retention", Table 1:
// customers of two segments still active at the start of years 0-12.
var (
	regular = []int64{1000, 631, 468, 382, 326, 289, 262, 241, 223, 207, 194, 183, 173}
	highEnd = []int64{1000, 869, 743, 653, 593, 551, 517, 491, 468, 445, 427, 409, 394}
)

// TestFaderHardie reproduces the published estimates: fitted on years 0-7
// (Train 8), alpha 0.704, beta 1.182 (regular) and alpha 0.668, beta 3.806
// (high end), given to three decimals. An independent grid search of the same
// likelihood in Python (math.lgamma) finds the regular maximum at the grid
// point (0.704, 1.182), log-likelihood -1680.265.
func TestFaderHardie(t *testing.T) {
	for _, tc := range []struct {
		name        string
		alive       []int64
		alpha, beta float64
	}{
		{"regular", regular, 0.704, 1.182},
		{"high end", highEnd, 0.668, 3.806},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := mustFit(t, survivalCSV(tc.alive), Options{Train: 8})
			const tol = 0.0005 // half a unit in the last published decimal
			if math.Abs(res.Alpha-tc.alpha) > tol || math.Abs(res.Beta-tc.beta) > tol {
				t.Errorf("alpha, beta = %.5f, %.5f; published %.3f, %.3f", res.Alpha, res.Beta, tc.alpha, tc.beta)
			}
			if res.Train != 8 || res.Observed != 13 || res.Customers != 1000 {
				t.Errorf("train, observed, customers = %d, %d, %d; want 8, 13, 1000", res.Train, res.Observed, res.Customers)
			}
		})
	}
}

// TestExampleFiles fits the survival data shipped in examples/ on years
// 0-7, as the paper does, and checks the published estimates (to three
// decimals) and that the files say their rows are a year apart.
func TestExampleFiles(t *testing.T) {
	for _, tc := range []struct {
		file        string
		alpha, beta float64
	}{
		{"fader-hardie-2007-regular.csv", 0.704, 1.182},
		{"fader-hardie-2007-high-end.csv", 0.668, 3.806},
	} {
		d, _, err := ReadFile(context.Background(), filepath.Join("..", "examples", tc.file))
		if err != nil {
			t.Fatal(err)
		}
		if every, named, err := d.Spacing(12); every != 12 || !named || err != nil {
			t.Errorf("%s: Spacing(12) = %d, %v, %v; want 12, true, nil (one row a year)", tc.file, every, named, err)
		}
		res, err := Fit(d, Options{Train: 8})
		if err != nil {
			t.Fatal(err)
		}
		const tol = 0.0005 // half a unit in the last published decimal
		if math.Abs(res.Alpha-tc.alpha) > tol || math.Abs(res.Beta-tc.beta) > tol || res.Customers != 1000 || res.Observed != 13 {
			t.Errorf("%s: alpha, beta = %.5f, %.5f (%d customers, %d years); published %.3f, %.3f (1000, 13)", tc.file, res.Alpha, res.Beta, res.Customers, res.Observed, tc.alpha, tc.beta)
		}
	}
}

// TestModel checks the sBG formulas against each other, observed every
// period and every 12: the survival curve from the retention recursion
// equals B(alpha, beta+t)/B(alpha, beta) at the observations, the chance of
// being lost in one period equals the closed form P(T = t) = B(alpha+1,
// beta+t-1)/B(alpha, beta), the chances of being lost between observations
// and the survival at the end sum to 1, and the analytic gradient of the
// log-likelihood matches finite differences.
func TestModel(t *testing.T) {
	l := survivalLifetimes(regular)
	for _, every := range []int{1, 12} {
		for _, m := range []sbg{{0.704, 1.182}, {0.05, 30}, {20, 3}, {1e3, 9e3}} {
			const last = 40
			s := m.survival(last, every)
			total := s[last]
			for k := 1; k <= last; k++ {
				// log B loses about 1e-16 of lgamma's magnitude (alpha+beta+t)
				// to cancellation; 1e-9 allows for alpha+beta up to 1e4.
				if got, want := s[k], math.Exp(m.logSurvival(k*every)); math.Abs(got-want) > 1e-9*want {
					t.Errorf("%+v every %d: S(%d) = %g by recursion, %g by Beta functions", m, every, k*every, got, want)
				}
				lost, _, _ := m.logLost((k-1)*every, k*every)
				total += math.Exp(lost)
			}
			if math.Abs(total-1) > 1e-9 {
				t.Errorf("%+v every %d: lost by observation 1..%d + S(%d) = %.15f, want 1", m, every, last, last*every, total)
			}
			for tt := 1; tt <= last; tt++ {
				got, _, _ := m.logLost(tt-1, tt)
				want := mathext.Lbeta(m.alpha+1, m.beta+float64(tt)-1) - mathext.Lbeta(m.alpha, m.beta)
				if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
					t.Errorf("%+v: log P(T=%d) = %.12g, closed form %.12g", m, tt, got, want)
				}
			}
			u := []float64{math.Log(m.alpha), math.Log(m.beta)}
			ll := func(u []float64) float64 {
				v, _ := sbg{math.Exp(u[0]), math.Exp(u[1])}.logLikelihood(l, every)
				return v
			}
			num := fd.Gradient(nil, ll, u, &fd.Settings{Formula: fd.Central})
			_, grad := m.logLikelihood(l, every)
			for i := range num {
				if math.Abs(num[i]-grad[i]) > 1e-5*math.Max(1, math.Abs(num[i])) {
					t.Errorf("%+v every %d: gradient %v, finite differences %v", m, every, grad, num)
				}
			}
		}
	}
}

// TestRecovery simulates sBG data with known alpha and beta, in both input
// layouts (per-customer files censored at varied ages), and checks that the
// estimates lie within 4 standard errors of the truth.
func TestRecovery(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct{ alpha, beta float64 }{
		{0.704, 1.182}, {0.668, 3.806}, {0.3, 2}, {2, 8}, {5, 60}, {0.8, 20},
	} {
		for _, file := range []string{
			survivalCSV(simulateCohort(rng, tc.alpha, tc.beta, 5000, 12, 1)),
			simulateCustomers(rng, tc.alpha, tc.beta, 5000, 24),
		} {
			res := mustFit(t, file, Options{Draws: 50})
			if z := (res.Alpha - tc.alpha) / res.AlphaSE; math.Abs(z) > 4 {
				t.Errorf("true alpha %g: estimate %.4f, SE %.4f: %.1f SE off", tc.alpha, res.Alpha, res.AlphaSE, z)
			}
			if z := (res.Beta - tc.beta) / res.BetaSE; math.Abs(z) > 4 {
				t.Errorf("true beta %g: estimate %.4f, SE %.4f: %.1f SE off", tc.beta, res.Beta, res.BetaSE, z)
			}
		}
	}
}

// TestRecoveryObservedEvery simulates sBG worlds with known churn per
// period (month) observed only every 12 periods (yearly survival counts)
// and checks that the fit with Every 12, interval-censored, recovers the
// per-period alpha and beta within 4 standard errors, while the same data
// fitted as if their rows were periods are far off (so the check can fail).
func TestRecoveryObservedEvery(t *testing.T) {
	const every, years, customers = 12, 8, 5000
	rng := rand.New(rand.NewPCG(5, 6))
	for _, tc := range []struct{ alpha, beta float64 }{
		{0.7, 8}, {0.5, 3}, {2, 30}, {1.2, 60},
	} {
		file := survivalCSV(simulateCohort(rng, tc.alpha, tc.beta, customers, years, every))
		res := mustFit(t, file, Options{Draws: 50, Every: every})
		if res.Every != every || res.Observed != years+1 {
			t.Errorf("every, observed = %d, %d; want %d, %d", res.Every, res.Observed, every, years+1)
		}
		za := (res.Alpha - tc.alpha) / res.AlphaSE
		zb := (res.Beta - tc.beta) / res.BetaSE
		t.Logf("true %g, %g: estimates %.4f (SE %.4f, z %.2f), %.4f (SE %.4f, z %.2f)", tc.alpha, tc.beta, res.Alpha, res.AlphaSE, za, res.Beta, res.BetaSE, zb)
		if math.Abs(za) > 4 || math.Abs(zb) > 4 {
			t.Errorf("true alpha, beta %g, %g: estimates %.4f, %.4f are %.1f and %.1f SE off", tc.alpha, tc.beta, res.Alpha, res.Beta, za, zb)
		}
		naive := mustFit(t, file, Options{Draws: 50})
		if z := (naive.Beta - tc.beta) / naive.BetaSE; math.Abs(z) < 4 {
			t.Errorf("true beta %g: fitted as if every row were a period, beta %.4f is only %.1f SE off", tc.beta, naive.Beta, z)
		}
	}
}

// TestCoverage checks the standard errors: over repeated simulated data
// sets, the nominal 95% intervals estimate ± 1.96 SE cover the true alpha
// and beta in about 95% of fits. With 200 fits the number covering is
// Binomial(200, 0.95) when the intervals are right: mean 190, standard
// deviation 3.08; the test accepts 180 to 200, within 3.29 standard
// deviations (a two-sided 99.9% band), so a correct interval fails it with
// probability about 0.001 (and, with the fixed seed, never).
func TestCoverage(t *testing.T) {
	const (
		fits        = 200
		alpha, beta = 0.7, 1.2
		lowest      = 180
	)
	rng := rand.New(rand.NewPCG(3, 4))
	var coverA, coverB int
	for range fits {
		res := mustFit(t, survivalCSV(simulateCohort(rng, alpha, beta, 2000, 10, 1)), Options{Draws: 1})
		if math.Abs(res.Alpha-alpha) <= 1.96*res.AlphaSE {
			coverA++
		}
		if math.Abs(res.Beta-beta) <= 1.96*res.BetaSE {
			coverB++
		}
	}
	t.Logf("95%% intervals covered alpha in %d and beta in %d of %d fits", coverA, coverB, fits)
	if coverA < lowest || coverB < lowest {
		t.Errorf("coverage of alpha %d/%d, of beta %d/%d; want at least %d", coverA, fits, coverB, fits, lowest)
	}
}

// TestHoldoutExcluded checks that held-out periods do not enter the fit:
// fitting with Train equals fitting the file cut after the training periods,
// and changing held-out data changes nothing but the observed values shown.
func TestHoldoutExcluded(t *testing.T) {
	corrupt := append(append([]int64{}, regular[:8]...), 240, 100, 99, 5, 0)
	full := mustFit(t, survivalCSV(regular), Options{Train: 8})
	cut := mustFit(t, survivalCSV(regular[:8]), Options{})
	changed := mustFit(t, survivalCSV(corrupt), Options{Train: 8})

	rng := rand.New(rand.NewPCG(5, 6))
	customers := simulateCustomers(rng, 0.9, 2.5, 3000, 12)
	custFull := mustFit(t, customers, Options{Train: 6})
	custCut := mustFit(t, censorCustomers(customers, 5, false), Options{})
	custChanged := mustFit(t, censorCustomers(customers, 5, true), Options{Train: 6})

	for _, pair := range [][2]*Result{{full, cut}, {full, changed}, {custFull, custCut}, {custFull, custChanged}} {
		a, b := pair[0], pair[1]
		if a.Alpha != b.Alpha || a.Beta != b.Beta || a.AlphaSE != b.AlphaSE || a.BetaSE != b.BetaSE || a.LogLikelihood != b.LogLikelihood {
			t.Errorf("fits differ: (%v, %v, %v) and (%v, %v, %v)", a.Alpha, a.Beta, a.LogLikelihood, b.Alpha, b.Beta, b.LogLikelihood)
		}
	}
	for _, row := range full.Periods {
		if row.Holdout != (row.Period >= 8) {
			t.Errorf("period %d: holdout %v", row.Period, row.Holdout)
		}
	}
	if got := float64(full.Periods[12].ObservedSurvival); math.Abs(got-0.173) > 1e-12 {
		t.Errorf("held-out observed survival at 12 = %v, want 0.173 (shown though not fitted)", got)
	}
	if got := float64(changed.Periods[12].ObservedSurvival); got != 0 {
		t.Errorf("changed held-out observed survival at 12 = %v, want 0", got)
	}
}

// TestLayoutsAndCohorts checks that the per-customer file of the same
// customers gives the same fit as the cohort survival file, that per-cohort
// fits equal fits of each cohort alone, and that pooling is by age.
func TestLayoutsAndCohorts(t *testing.T) {
	surv := mustFit(t, survivalCSV(regular), Options{Train: 8})
	cust := mustFit(t, customerCSV(regular), Options{Train: 8})
	if surv.Alpha != cust.Alpha || surv.Beta != cust.Beta || surv.LogLikelihood != cust.LogLikelihood {
		t.Errorf("survival file: %v, %v; per-customer file: %v, %v", surv.Alpha, surv.Beta, cust.Alpha, cust.Beta)
	}

	var b strings.Builder
	b.WriteString("cohort,period,alive\n")
	for _, c := range []struct {
		name  string
		alive []int64
	}{{"2019", regular}, {"2021", highEnd[:10]}} {
		for tt, n := range c.alive {
			b.WriteString(c.name + "," + itoa(int64(tt)) + "," + itoa(n) + "\n")
		}
	}
	d, err := Read("two.csv", strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	each, err := FitCohorts(d, Options{Train: 8})
	if err != nil {
		t.Fatal(err)
	}
	alone := []*Result{surv, mustFit(t, survivalCSV(highEnd[:10]), Options{Train: 8})}
	for i, res := range each {
		if res.Alpha != alone[i].Alpha || res.Beta != alone[i].Beta || res.Cohort != d.Cohorts[i].Name {
			t.Errorf("cohort %q: %v, %v; alone: %v, %v", res.Cohort, res.Alpha, res.Beta, alone[i].Alpha, alone[i].Beta)
		}
	}
	pooled, err := Fit(d, Options{Train: 8})
	if err != nil {
		t.Fatal(err)
	}
	if pooled.Customers != 2000 || pooled.Cohorts != 2 || pooled.Observed != 13 {
		t.Errorf("pooled customers, cohorts, periods = %d, %d, %d; want 2000, 2, 13", pooled.Customers, pooled.Cohorts, pooled.Observed)
	}
	// One (alpha, beta) for both cohorts is a special case of one for each,
	// so the pooled maximum cannot exceed the sum of the separate maxima.
	if sum := each[0].LogLikelihood + each[1].LogLikelihood; pooled.LogLikelihood > sum {
		t.Errorf("pooled log-likelihood %v above the cohorts' sum %v", pooled.LogLikelihood, sum)
	}
	// From period 10 only the 2019 cohort is observed: its own survival
	// scaled by the pooled survival at 9.
	p := pooled.Periods
	if p[12].Alive != 173 || math.Abs(float64(p[12].ObservedSurvival)/float64(p[9].ObservedSurvival)-173.0/207) > 1e-12 {
		t.Errorf("pooled period 12: alive %d, survival %v", p[12].Alive, p[12].ObservedSurvival)
	}
}

func TestFitErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		alive []int64
		opt   Options
		want  string
	}{
		{"constant churn", []int64{1000, 900, 810, 729, 656, 590, 531}, Options{}, "data.csv: the data show no heterogeneity in churn: a constant churn probability of 0.1"},
		{"no churn", []int64{100, 100, 100}, Options{}, "data.csv: no customer churned"},
		{"everyone leaves at once", []int64{100, 0, 0}, Options{}, "data.csv: every customer churned after the first period"},
		{"two periods", []int64{100, 60}, Options{}, "data.csv: 2 periods observed: two parameters need at least 3"},
		{"train too short", regular, Options{Train: 2}, "data.csv: train: must be 0 (all periods) or from 3 to 13"},
		{"train too long", regular, Options{Train: 14}, "data.csv: train: must be 0 (all periods) or from 3 to 13"},
		{"negative projection", regular, Options{Project: -1}, "data.csv: project: must be from 0"},
		{"negative draws", regular, Options{Draws: -1}, "data.csv: draws: must be from 0 to 1000000, got -1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Read("data.csv", strings.NewReader(survivalCSV(tc.alive)))
			if err != nil {
				t.Fatal(err)
			}
			res, err := Fit(d, tc.opt)
			if err == nil {
				t.Fatalf("no error; alpha %v, beta %v", res.Alpha, res.Beta)
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error %q\nwant prefix %q", err, tc.want)
			}
		})
	}
}

// TestProjection checks the intervals: they are reproducible from the seed,
// bracket the point estimate, widen relative to it as the projection reaches
// further, and change with the seed.
func TestProjection(t *testing.T) {
	opt := Options{Train: 8, Project: 24, Seed: 7}
	a := mustFit(t, survivalCSV(regular), opt)
	b := mustFit(t, survivalCSV(regular), opt)
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if string(ja) != string(jb) {
		t.Error("same seed, different results")
	}
	if len(a.Projection) != 24 || a.Projection[0].Period != 13 || a.Draws != DefaultDraws {
		t.Fatalf("projection of %d periods from %d with %d draws; want 24 from 13 with %d", len(a.Projection), a.Projection[0].Period, a.Draws, DefaultDraws)
	}
	width := 0.0
	for _, f := range a.fitted()[1:] {
		if !(f.Low < f.Survival && f.Survival < f.High && f.Low < f.Median && f.Median < f.High) {
			t.Errorf("period %d: survival %v outside 5-95%% (%v, %v) or median %v", f.Period, f.Survival, f.Low, f.High, f.Median)
		}
		tt := float64(f.Period)
		if want := (a.Beta + tt - 1) / (a.Alpha + a.Beta + tt - 1); math.Abs(float64(f.Retention)-want) > 1e-15 {
			t.Errorf("period %d: retention %v, want %v", f.Period, f.Retention, want)
		}
		width = (f.High - f.Low) / f.Survival
	}
	if first := a.Periods[1]; width <= (first.High-first.Low)/first.Survival {
		t.Errorf("relative interval width at the horizon (%v) no wider than at period 1", width)
	}
	other := mustFit(t, survivalCSV(regular), Options{Train: 8, Project: 24, Seed: 8})
	if other.Projection[23].Low == a.Projection[23].Low {
		t.Error("different seeds, same interval")
	}
	if other.Alpha != a.Alpha {
		t.Error("the seed changed the estimates")
	}
}

func TestJSON(t *testing.T) {
	res := mustFit(t, survivalCSV(regular), Options{Train: 8, Project: 2})
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"alpha", "beta", "alpha_se", "beta_se", "alpha_beta_corr", "log_likelihood", "mean_churn", "customers", "periods", "projection"} {
		if _, ok := m[key]; !ok {
			t.Errorf("no key %q", key)
		}
	}
	first := m["periods"].([]any)[0].(map[string]any)
	if first["retention"] != nil || first["observed_retention"] != nil || first["survival"] != 1.0 {
		t.Errorf("period 0: %v; want null retentions and survival 1", first)
	}
	if got := m["projection"].([]any)[1].(map[string]any)["period"]; got != 14.0 {
		t.Errorf("second projected period %v, want 14", got)
	}
}

func TestWriteText(t *testing.T) {
	res := mustFit(t, survivalCSV(regular), Options{Train: 8, Project: 3})
	var b strings.Builder
	if err := res.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	words := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{
		"data.csv (cohort survival, 1 cohort, 1000 customers)",
		"Training periods 0-7 (8 of 13 observed); periods 8-12 held out.",
		"alpha 0.7041 SE 0.0656",
		"log-likelihood -1680.27",
		"0 train 1000 1.0000 1.0000 1.0000 1.0000 - -",
		"12 holdout 173 0.1730 0.1700 0.1493 0.1927 0.9454 0.9454",
		"15 0.1470 0.1270 0.1465 0.1696 0.9557",
	} {
		if !strings.Contains(words, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	// The period table is aligned: its 14 lines (header and 13 periods)
	// are equally long.
	var widths []int
	for _, line := range strings.Split(out, "\n") {
		if len(strings.Fields(line)) == 9 || strings.Contains(line, "observed S") {
			widths = append(widths, len(line))
		}
	}
	if len(widths) != 14 || slices.Min(widths) != slices.Max(widths) {
		t.Errorf("table line widths %v, want 14 equal", widths)
	}
}

// mustFit reads file as data.csv and fits it.
func mustFit(t *testing.T, file string, opt Options) *Result {
	t.Helper()
	d, err := Read("data.csv", strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Fit(d, opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// simulateCohort returns the customers of an sBG cohort of n, with churn
// per period, still active at the start of periods 0, every, 2*every, ...,
// last*every: the cohort observed every `every` periods.
func simulateCohort(rng *rand.Rand, alpha, beta float64, n, last, every int) []int64 {
	theta := distuv.Beta{Alpha: alpha, Beta: beta, Src: rng}
	alive := make([]int64, last+1)
	for range n {
		p := theta.Rand()
		alive[0]++
		for tt := 1; tt <= last*every && rng.Float64() >= p; tt++ {
			if tt%every == 0 {
				alive[tt/every]++
			}
		}
	}
	return alive
}

// simulateCustomers returns a per-customer file of n sBG customers, each
// observed for a whole number of periods drawn uniformly from 1..maxAge.
func simulateCustomers(rng *rand.Rand, alpha, beta float64, n, maxAge int) string {
	theta := distuv.Beta{Alpha: alpha, Beta: beta, Src: rng}
	var b strings.Builder
	b.WriteString("duration,censored\n")
	for range n {
		p, age := theta.Rand(), 1+rng.IntN(maxAge)
		d := 1
		for d < age && rng.Float64() >= p {
			d++
		}
		switch {
		case d == age && rng.Float64() >= p: // survived its last observed renewal
			b.WriteString(itoa(int64(age)) + ",1\n")
		default:
			b.WriteString(itoa(int64(d)) + ",0\n")
		}
	}
	return b.String()
}

// censorCustomers rewrites a per-customer file as if observed only to the
// start of period last: longer durations become last, censored. With
// scramble, it instead gives customers with longer durations arbitrary other
// durations beyond last, churned or not, which must make no difference to a
// fit trained on periods 0..last.
func censorCustomers(file string, last int, scramble bool) string {
	lines := strings.Split(strings.TrimSpace(file), "\n")
	for i, line := range lines[1:] {
		dur, _, _ := strings.Cut(line, ",")
		d, _ := strconv.Atoi(dur)
		switch {
		case d <= last:
		case scramble:
			lines[i+1] = itoa(int64(last+1+i%7)) + "," + itoa(int64(i%2))
		default:
			lines[i+1] = itoa(int64(last)) + ",1"
		}
	}
	return strings.Join(lines, "\n") + "\n"
}

// TestVerdict checks the one-sentence answer and the headline of a fit:
// 95% intervals symmetric on the log scale with half-width 1.96 SE/estimate,
// the churn of survivors equal to one minus the fitted retention, and the
// numbers of the published regular segment in the sentence.
func TestVerdict(t *testing.T) {
	for _, every := range []int{1, 12} {
		res := mustFit(t, survivalCSV(regular), Options{Train: 8, Every: every})
		for _, ci := range []struct {
			name  string
			x, se float64
		}{
			{"alpha", res.Alpha, res.AlphaSE},
			{"beta", res.Beta, res.BetaSE},
		} {
			lo, hi := ci95(ci.x, ci.se)
			if math.Abs(math.Log(hi/ci.x)-1.959964*ci.se/ci.x) > 1e-6 || math.Abs(lo*hi-ci.x*ci.x) > 1e-9*ci.x*ci.x {
				t.Errorf("every %d: %s %g SE %g: interval [%g, %g] is not x exp(-+1.96 SE/x)", every, ci.name, ci.x, ci.se, lo, hi)
			}
		}
		if res.ChurnAfter(0) != res.MeanChurn {
			t.Errorf("every %d: ChurnAfter(0) %g, mean churn %g", every, res.ChurnAfter(0), res.MeanChurn)
		}
		if every == 1 {
			for _, p := range res.Periods[1:] {
				if got, want := res.ChurnAfter(p.Period-1), 1-float64(p.Retention); math.Abs(got-want) > 1e-12 {
					t.Errorf("ChurnAfter(%d) = %g, 1 - r(%d) = %g", p.Period-1, got, p.Period, want)
				}
			}
		}
	}
	res := mustFit(t, survivalCSV(regular), Options{Train: 8})
	v := res.Verdict("year")
	for _, want := range []string{"alpha 0.704 [", "beta 1.18 [", "churn is 37.3% a year among new customers", "falls to 7.9% a year among those still active after 7 years"} {
		if !strings.Contains(v, want) {
			t.Errorf("verdict %q lacks %q", v, want)
		}
	}
	rows := HeadlineRows([]*Result{res}, "year")
	if len(rows) != 2 || len(rows[1]) != len(rows[0]) || rows[1][3] != "37.3%" || rows[1][5] != percent(res.Periods[7].Survival) {
		t.Errorf("headline %q", rows)
	}
}
