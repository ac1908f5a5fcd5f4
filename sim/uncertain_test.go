package sim

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// drawsOf is the values of the single uncertain parameter of cfg in
// replications 0..n-1.
func drawsOf(cfg *Config, n int) []float64 {
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = cfg.Draws(i)[0]
	}
	return xs
}

// truncatedNormal is the mean and standard deviation of Normal(mu, sigma)
// truncated to [lo, hi].
func truncatedNormal(mu, sigma, lo, hi float64) (mean, sd float64) {
	n := distuv.UnitNormal
	a, b := (lo-mu)/sigma, (hi-mu)/sigma
	z := n.CDF(b) - n.CDF(a)
	d := (n.Prob(a) - n.Prob(b)) / z
	v := 1 + (a*n.Prob(a)-b*n.Prob(b))/z - d*d
	return mu + sigma*d, sigma * math.Sqrt(v)
}

// Each distribution's draws have the closed-form mean and standard
// deviation within 4 Monte Carlo standard errors, and stay in the
// parameter's allowed range.
func TestDistDrawsMatchClosedForms(t *testing.T) {
	pert := func(lo, mode, hi float64) (float64, float64) {
		a, b := 1+4*(mode-lo)/(hi-lo), 1+4*(hi-mode)/(hi-lo)
		return lo + (hi-lo)*a/(a+b), (hi - lo) * math.Sqrt(a*b/((a+b)*(a+b)*(a+b+1)))
	}
	pm, psd := pert(0.5, 2, 3)
	tm, tsd := truncatedNormal(0.9, 0.2, 0, 1)
	lm := 150 * math.Exp(0.3*0.3/2)
	for _, c := range []struct {
		key      string
		dist     Dist
		mean, sd float64
	}{
		{"pricing.list_price", Dist{Kind: DistUniform, Min: 20, Max: 40}, 30, 20 / math.Sqrt(12)},
		{"goodwill.negativity_bias", Dist{Kind: DistTriangular, Min: 1.5, Mode: 2.25, Max: 3}, 2.25, math.Sqrt((1.5*1.5 + 2.25*2.25 + 9 - 1.5*2.25 - 1.5*3 - 2.25*3) / 18)},
		{"pricing.price_sensitivity", Dist{Kind: DistPERT, Min: 0.5, Mode: 2, Max: 3}, pm, psd},
		{"goodwill.initial", Dist{Kind: DistNormal, Mean: 0, SD: 1}, 0, 1},
		{"switching.cost", Dist{Kind: DistNormal, Mean: 0.9, SD: 0.2}, tm, tsd},
		{"market.cac", Dist{Kind: DistLognormal, Median: 150, SDLog: 0.3}, lm, lm * math.Sqrt(math.Exp(0.09)-1)},
		{"switching.cost", Dist{Kind: DistBeta, Alpha: 2, Beta: 5, Max: 1}, 2.0 / 7, math.Sqrt(10.0 / (49 * 8))},
		{"policy.human_share", Dist{Kind: DistDiscrete, Values: []float64{0.2, 0.8}, Weights: []float64{1, 3}}, 0.65, 0.6 * math.Sqrt(0.25*0.75)},
	} {
		t.Run(c.dist.Kind+" "+c.key, func(t *testing.T) {
			cfg := Default()
			cfg.Uncertain = []Uncertain{{c.key, c.dist}}
			if err := cfg.Validate(); err != nil {
				t.Fatal(err)
			}
			const n = 20000
			xs := drawsOf(&cfg, n)
			p, _ := Lookup(c.key)
			for _, x := range xs {
				if err := p.Check(x); err != nil {
					t.Fatalf("draw out of range: %v", err)
				}
			}
			mean, sd := stat.MeanStdDev(xs, nil)
			kurt := stat.ExKurtosis(xs, nil) + 3
			seMean, seSD := c.sd/math.Sqrt(n), c.sd*math.Sqrt((kurt-1)/(4*n))
			if math.Abs(mean-c.mean) > 4*seMean {
				t.Errorf("mean %g, want %g (4 SE %g)", mean, c.mean, 4*seMean)
			}
			if math.Abs(sd-c.sd) > 4*seSD {
				t.Errorf("sd %g, want %g (4 SE %g)", sd, c.sd, 4*seSD)
			}
		})
	}
}

// A parameter's draws depend on (seed, replication, key) only: adding an
// uncertain parameter, reordering them or changing the policy does not
// change the others' draws; another seed does.
func TestDrawsAreKeyedByParameter(t *testing.T) {
	bias := Uncertain{"goodwill.negativity_bias", Dist{Kind: DistTriangular, Min: 1.5, Mode: 2.25, Max: 3}}
	one := Default()
	one.Uncertain = []Uncertain{bias}
	two := Default()
	two.Policy.Giving = 1
	two.Uncertain = []Uncertain{{"switching.cost", Dist{Kind: DistUniform, Min: 0, Max: 1}}, bias}
	other := one
	other.Seed++
	same := 0
	for rep := 0; rep < 100; rep++ {
		a, b, c := one.Draws(rep)[0], two.Draws(rep)[1], other.Draws(rep)[0]
		if a != b {
			t.Fatalf("replication %d: %g alone, %g beside another assumption", rep, a, b)
		}
		if a == c {
			same++
		}
	}
	if same > 0 {
		t.Errorf("%d of 100 draws unchanged by another seed", same)
	}
}

// With pricing.list_price uniform on [a, b] in the neutral world, revenue
// in period 0 is N x price in every replication (churn comes at the end of
// the period), so across replications it has mean N(a+b)/2 and standard
// deviation N(b-a)/sqrt(12).
func TestUncertainListPriceSetsRevenue(t *testing.T) {
	const a, b, n = 20.0, 40.0, 400
	cfg := neutral()
	cfg.Population.Initial = 200
	cfg.Horizon.Periods, cfg.Discounts.Months = 2, 0
	cfg.Replications = n
	cfg.Uncertain = []Uncertain{{"pricing.list_price", Dist{Kind: DistUniform, Min: a, Max: b}}}
	r := run(t, cfg)
	N := float64(cfg.Population.Initial)
	rev := make([]float64, n)
	for i, rep := range r.Reps {
		rev[i] = rep.Series[0][Revenue]
		if want := N * rep.Assumptions[0]; math.Abs(rev[i]-want) > 1e-9*want {
			t.Fatalf("replication %d: revenue %g, want N x drawn price %g", i, rev[i], want)
		}
	}
	mean, sd := stat.MeanStdDev(rev, nil)
	wantMean, wantSD := N*(a+b)/2, N*(b-a)/math.Sqrt(12)
	// Uniform: kurtosis 1.8, so SE(sd) = sd sqrt(0.8/(4n)).
	if se := wantSD / math.Sqrt(n); math.Abs(mean-wantMean) > 4*se {
		t.Errorf("mean revenue %g, want %g (4 SE %g)", mean, wantMean, 4*se)
	}
	if se := wantSD * math.Sqrt(0.8/(4*n)); math.Abs(sd-wantSD) > 4*se {
		t.Errorf("sd of revenue %g, want %g (4 SE %g)", sd, wantSD, 4*se)
	}
}

// Central holds every assumption at its central value and drops the
// distributions; Fix sets one and keeps the others.
func TestCentralAndFix(t *testing.T) {
	cfg := Default()
	cfg.Uncertain = []Uncertain{
		{"pricing.list_price", Dist{Kind: DistUniform, Min: 20, Max: 40}},
		{"goodwill.negativity_bias", Dist{Kind: DistPERT, Min: 1.5, Mode: 2, Max: 3}},
		{"market.cac", Dist{Kind: DistLognormal, Median: 150, SDLog: 0.3}},
	}
	c := cfg.Central()
	if c.Uncertain != nil || c.Pricing.ListPrice != 30 || c.Goodwill.NegativityBias != 2 || c.Market.CAC != 150 {
		t.Errorf("Central: %+v, price %g, bias %g, cac %g", c.Uncertain, c.Pricing.ListPrice, c.Goodwill.NegativityBias, c.Market.CAC)
	}
	f, err := cfg.Fix("goodwill.negativity_bias", 1.2)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Uncertain) != 2 || f.Goodwill.NegativityBias != 1.2 || len(cfg.Uncertain) != 3 {
		t.Errorf("Fix: %d assumptions left (of %d), bias %g", len(f.Uncertain), len(cfg.Uncertain), f.Goodwill.NegativityBias)
	}
	if f.Draws(7)[1] != cfg.Draws(7)[2] {
		t.Error("Fix changed another assumption's draw")
	}
}

// Validate refuses a distribution that cannot be drawn for its parameter,
// naming the parameter.
func TestValidateRefusesBadDistributions(t *testing.T) {
	for _, c := range []struct {
		u    Uncertain
		want string
	}{
		{Uncertain{"pricing.list_price", Dist{Kind: DistUniform, Min: 40, Max: 20}}, "min (40) must be below max (20)"},
		{Uncertain{"goodwill.negativity_bias", Dist{Kind: DistTriangular, Min: 1.5, Mode: 4, Max: 3}}, "mode (4) must be in [min, max]"},
		{Uncertain{"goodwill.negativity_bias", Dist{Kind: DistUniform, Min: 0.5, Max: 3}}, "min 0.5 is outside the parameter's allowed range (>= 1"},
		{Uncertain{"switching.cost", Dist{Kind: DistNormal, Mean: 0.5, SD: 0}}, "sd must be > 0"},
		{Uncertain{"population.initial", Dist{Kind: DistUniform, Min: 10, Max: 20}}, "whole-number parameter"},
		{Uncertain{"pricing.nothing", Dist{Kind: DistUniform, Min: 0, Max: 1}}, "not a parameter"},
		{Uncertain{"switching.cost", Dist{Kind: "gamma"}}, `unknown dist "gamma"`},
		{Uncertain{"switching.cost", Dist{Kind: DistDiscrete, Values: []float64{0.1, 0.2}, Weights: []float64{1}}}, "weights must be as many as values"},
	} {
		cfg := Default()
		cfg.Uncertain = []Uncertain{c.u}
		err := cfg.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), c.u.Key+": ") {
			t.Errorf("%+v: got %v, want %s: ...%s...", c.u, err, c.u.Key, c.want)
		}
	}
}

// A replication's outcomes use its own draws of the uncertain parameters:
// with market.cac uniform on [10, 100] and every paid customer earning
// list - unit cost = 18 a period for life, each replication's CAC payback
// is ceil(drawn cac / 18) periods, or none when that is beyond the ages
// its paid customers reach.
func TestOutcomesUseTheReplicationsDraws(t *testing.T) {
	const list, unit = 30.0, 12.0
	cfg := neutral()
	noChurn(&cfg)
	cfg.Market.PaidPerPeriod, cfg.Market.CAC = 50, 50
	cfg.Discounts.Depth, cfg.Policy.Generosity, cfg.Discounts.Lift = 0, 0, 0
	cfg.Population.Initial, cfg.Horizon.Periods, cfg.Replications = 100, 6, 8
	cfg.Uncertain = []Uncertain{{"market.cac", Dist{Kind: DistUniform, Min: 10, Max: 100}}}
	r := run(t, cfg)
	for i := range r.Reps {
		drawn := r.Reps[i].Assumptions[0]
		want := math.Ceil(drawn / (list - unit))
		if want > float64(cfg.Horizon.Periods-1) { // the last period's joiners reach only age 0
			want = math.NaN()
		}
		got := r.Reps[i].Outcomes(&cfg).Payback
		if !(got == want || math.IsNaN(got) && math.IsNaN(want)) {
			t.Errorf("replication %d, drawn cac %.2f: payback %v periods, want %v", i, drawn, got, want)
		}
	}
}
