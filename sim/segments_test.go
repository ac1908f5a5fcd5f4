package sim

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mathext"
)

// testSegment returns a segment with the given name, share and churn, every
// multiplier 1 and targeting weight 1.
func testSegment(name string, share, alpha, beta float64) Segment {
	s := NewSegment(name)
	s.Share, s.Churn = share, SegmentChurn{alpha, beta}
	return s
}

// goodAndPoor is a world with paid acquisition, events and two segments:
// a good fit (low churn, values service) and a poor fit.
func goodAndPoor() Config {
	c := Default()
	c.Population.Initial, c.Horizon.Periods, c.Replications = 2000, 24, 12
	c.Market.Potential, c.Market.PaidPerPeriod, c.Market.CAC = 500000, 200, 150
	good, poor := testSegment("good", 0.5, 0.8, 40), testSegment("poor", 0.5, 0.8, 12)
	good.Fit, good.CAC = 1.5, 1.3
	poor.Fit, poor.CAC, poor.ContactRate = 0.5, 0.7, 1.5
	c.Segments = []Segment{good, poor}
	return c
}

// M13 docking: in the neutral world with two segments, the initial cohort's
// survival is the mixture of the segments' sBG curves,
// S(t) = sum_k w_k B(alpha_k, beta_k + t)/B(alpha_k, beta_k), within 4 Monte
// Carlo standard errors at every period.
func TestSegmentMixtureSurvival(t *testing.T) {
	cfg := neutral()
	cfg.Population.Initial, cfg.Horizon.Periods, cfg.Replications = 5000, 24, 30
	cfg.Segments = []Segment{testSegment("a", 0.3, 0.704, 1.182), testSegment("b", 0.7, 5, 40)}
	r := run(t, cfg)
	for p := 0; p < cfg.Horizon.Periods; p++ {
		want := 0.0
		for _, s := range cfg.Segments {
			a, b := s.Churn.Alpha, s.Churn.Beta
			want += s.Share * math.Exp(mathext.Lbeta(a, b+float64(p))-mathext.Lbeta(a, b))
		}
		got, se := meanSE(r.Value(Survival, p))
		if !(math.Abs(got-want) <= 4*se+1e-12) {
			t.Errorf("period %d: survival %.5f, mixture %.5f, 4 SE = %.5f", p, got, want, 4*se)
		}
	}
}

// One declared segment with the scenario's own churn and multipliers 1 is
// the scenario without segments: the same counts, sums equal to rounding,
// in the neutral world (where customers without segments are settled) and
// in one with events and acquisition.
func TestOneSegmentIsTheScenario(t *testing.T) {
	for name, cfg := range map[string]Config{"neutral": neutral(), "events and acquisition": goodAndPoor()} {
		t.Run(name, func(t *testing.T) {
			cfg.Population.Initial, cfg.Replications = 1500, 3
			cfg.Segments = nil
			plain := run(t, cfg)
			cfg.Segments = []Segment{testSegment("all", 1, cfg.Churn.Alpha, cfg.Churn.Beta)}
			compareResults(t, plain, run(t, cfg))
		})
	}
}

// The segment tables add up to the totals: active, acquired and churned
// customers exactly, revenue, acquisition cost and lifetime value to
// rounding; paid customers' exposure and margin by age as in the cohort
// tables. Each segment holds its share of the initial customers, within 4
// binomial standard deviations.
func TestSegmentTablesAddUp(t *testing.T) {
	cfg := goodAndPoor()
	cfg.Replications = 2
	cfg.Advocacy.ReferralRate = 0.1
	r := run(t, cfg)
	near := func(x, y float64) bool { return math.Abs(x-y) <= 1e-9*max(1, math.Abs(x), math.Abs(y)) }
	v := 1 / (1 + PeriodRate(cfg))
	for i := range r.Reps {
		rep := &r.Reps[i]
		st := &rep.Segments
		for p, row := range rep.Series {
			var sum [NumSegmentMetrics]float64
			for k := range cfg.Segments {
				for m, x := range st.row(p, k) {
					sum[m] += x
				}
			}
			for _, tc := range []struct {
				seg   SegmentMetric
				total Metric
				exact bool
			}{{SegmentActive, Active, true}, {SegmentAcquired, Acquired, true}, {SegmentChurned, Churned, true},
				{SegmentRevenue, Revenue, false}, {SegmentCostAcquisition, CostAcquisition, false}} {
				if got, want := sum[tc.seg], row[tc.total]; got != want && (tc.exact || !near(got, want)) {
					t.Errorf("replication %d period %d: segments' %s sum to %v, %s is %v", i, p, tc.seg, got, tc.total, want)
				}
			}
		}
		for k, s := range cfg.Segments {
			n := float64(cfg.Population.Initial)
			if got, sd := st.row(0, k)[SegmentActive], math.Sqrt(n*s.Share*(1-s.Share)); math.Abs(got-n*s.Share) > 4*sd {
				t.Errorf("replication %d: segment %s has %v of %v initial customers, want %v within 4 binomial SD = %.1f", i, s.Name, got, n, n*s.Share, 4*sd)
			}
		}
		ct := &rep.Cohorts
		acquired, value := 0.0, 0.0
		for k := range cfg.Segments {
			acquired += st.Acquired[k]
			value += st.Value[k]
		}
		if n := ct.joined(ChannelPaid, ChannelDiscount, ChannelReferral); acquired != n || n == 0 {
			t.Errorf("replication %d: segments acquired %v, cohort tables %v", i, acquired, n)
		}
		if got, want := value/acquired, acquiredCLV(ct, v); !near(got, want) {
			t.Errorf("replication %d: lifetime value per acquired by segment %v, from the cohort tables %v", i, got, want)
		}
		for a := 0; a < ct.Ages; a++ {
			var exposed, margin, segExposed, segMargin float64
			for cohort := 0; cohort < ct.Cohorts; cohort++ {
				for _, ch := range []Channel{ChannelPaid, ChannelDiscount} {
					exposed += ct.Exposed[ct.cell(cohort, ch)*ct.Ages+a]
					margin += ct.Margin[ct.cell(cohort, ch)*ct.Ages+a]
				}
			}
			for k := range cfg.Segments {
				segExposed += st.PaidExposed[k*st.Periods+a]
				segMargin += st.PaidMargin[k*st.Periods+a]
			}
			if segExposed != exposed || !near(segMargin, margin) {
				t.Errorf("replication %d age %d: paid exposed %v, margin %v by segment; %v, %v in the cohort tables", i, a, segExposed, segMargin, exposed, margin)
			}
		}
	}
}

// Targeting the good fit, at weights 1, 3 and 9 against 1 for the poor
// fit, lowers churn among acquired customers and raises lifetime value per
// acquired customer at each step, by more than 3 standard errors of the
// paired difference; acquisition cost per acquired customer rises with the
// good fit's dearer CAC.
func TestTargetingTheGoodFit(t *testing.T) {
	cfg := goodAndPoor()
	clv := func(rep *Replication) float64 { return rep.Outcomes(&cfg).CLV }
	cacPer := func(rep *Replication) float64 { return total(CostAcquisition)(rep) / total(Acquired)(rep) }
	var prev *Result
	for _, weight := range []float64{1, 3, 9} {
		cfg.Segments = append([]Segment(nil), cfg.Segments...)
		cfg.Segments[0].Target = weight
		cur := run(t, cfg)
		if prev != nil {
			for _, tc := range []struct {
				name    string
				outcome outcome
				sign    float64
			}{{"churn of acquired customers", acquiredChurn, -1}, {"lifetime value per acquired", clv, 1}, {"acquisition cost per acquired", cacPer, 1}} {
				d, se := meanSE(pairedDiff(prev, cur, tc.outcome))
				if tc.sign*d <= 3*se {
					t.Errorf("good-fit weight %g: %s moved %+.4g, want a move of sign %+g beyond 3 SE = %.4g", weight, tc.name, d, tc.sign, 3*se)
				}
			}
		}
		prev = cur
	}
}

// A segment's multipliers act on its customers: contacts and incidents per
// active customer are the scenario's rates times the segment's multipliers
// (within 4 standard errors), every paid customer costs market.cac times
// the segment's cac, and a segment indifferent to price (price_sensitivity
// 0) keeps neutral goodwill through loyalty rises that move the others'.
func TestSegmentMultipliers(t *testing.T) {
	cfg := neutral()
	cfg.Population.Initial, cfg.Horizon.Periods, cfg.Replications = 3000, 6, 20
	cfg.Service.ContactRate, cfg.Incidents.Rate = 0.3, 0.05
	cfg.Market.PaidPerPeriod, cfg.Market.CAC = 100, 150
	s := testSegment("only", 1, 1, 20)
	s.ContactRate, s.IncidentRate, s.CAC = 2, 0.5, 1.2
	cfg.Segments = []Segment{s}
	r := run(t, cfg)
	for _, tc := range []struct {
		metric Metric
		want   float64
	}{{Contacts, 0.6}, {IncidentCount, 0.025}} {
		for p := 0; p < cfg.Horizon.Periods; p++ {
			per := make([]float64, len(r.Reps))
			for i := range r.Reps {
				per[i] = r.Reps[i].Series[p][tc.metric] / r.Reps[i].Series[p][Active]
			}
			if got, se := meanSE(per); math.Abs(got-tc.want) > 4*se {
				t.Errorf("period %d: %s per active %.5f, want %.5f within 4 SE = %.5f", p, tc.metric, got, tc.want, 4*se)
			}
		}
	}
	for i := range r.Reps {
		for p, row := range r.Reps[i].Series {
			if want := 150 * 1.2 * row[AcquiredPaid]; math.Abs(row[CostAcquisition]-want) > 1e-9*max(1, want) {
				t.Errorf("replication %d period %d: acquisition cost %v, want %v", i, p, row[CostAcquisition], want)
			}
		}
	}

	cfg = neutral()
	cfg.Population.Initial, cfg.Horizon.Periods, cfg.Replications = 500, 30, 1
	cfg.Policy.Giving, cfg.Taking.LoyaltyRise = 0, 0.08
	for _, tc := range []struct {
		sensitivity float64
		neutral     bool
	}{{0, true}, {1, false}} {
		s := testSegment("only", 1, 0.8, 20)
		s.PriceSensitivity = tc.sensitivity
		cfg.Segments = []Segment{s}
		moved := false
		for _, row := range run(t, cfg).Reps[0].Series {
			moved = moved || row[GoodwillMean] != 0
		}
		if moved == tc.neutral {
			t.Errorf("price_sensitivity %g: goodwill moved %v through loyalty rises, want %v", tc.sensitivity, moved, !tc.neutral)
		}
	}
}

// Fit to the service scales the goodwill good experiences earn: a better
// fit raises mean goodwill, by more than 3 standard errors of the paired
// difference.
func TestFitRaisesGoodwill(t *testing.T) {
	cfg := Default()
	cfg.Population.Initial, cfg.Horizon.Periods, cfg.Replications = 2000, 12, 10
	var prev *Result
	for _, fit := range []float64{0.5, 1, 2} {
		s := testSegment("only", 1, cfg.Churn.Alpha, cfg.Churn.Beta)
		s.Fit = fit
		cfg.Segments = []Segment{s}
		cur := run(t, cfg)
		if prev != nil {
			if d, se := meanSE(pairedDiff(prev, cur, average(GoodwillMean))); d <= 3*se {
				t.Errorf("fit %g: goodwill moved %+.4g, want a rise beyond 3 SE = %.4g", fit, d, 3*se)
			}
		}
		prev = cur
	}
}

// Bad segment definitions are refused with a *ParamError naming the key.
func TestSegmentsValidate(t *testing.T) {
	for _, tc := range []struct {
		name, key string
		edit      func(c *Config)
	}{
		{"shares not summing to one", "segments", func(c *Config) { c.Segments[0].Share = 0.3 }},
		{"no churn", "segments.good.churn.alpha", func(c *Config) { c.Segments[0].Churn.Alpha = math.NaN() }},
		{"negative multiplier", "segments.poor.fit", func(c *Config) { c.Segments[1].Fit = -1 }},
		{"negative targeting weight", "targeting.poor", func(c *Config) { c.Segments[1].Target = -2 }},
		{"no weight anywhere", "targeting", func(c *Config) { c.Segments[0].Target, c.Segments[1].Target = 0, 0 }},
		{"a name twice", "segments.good", func(c *Config) { c.Segments[1].Name = "good" }},
		{"no name", "segments", func(c *Config) { c.Segments[1].Name = "" }},
		{"churn uncertainty with segments", "churn.alpha_sd", func(c *Config) { c.Churn.AlphaSD = 0.1 }},
		{"contacts beyond the hazard bound", "segments.poor.contact_rate", func(c *Config) { c.Segments[1].ContactRate = 1000 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := goodAndPoor()
			if err := cfg.Validate(); err != nil {
				t.Fatalf("the valid configuration fails: %v", err)
			}
			cfg.Segments = append([]Segment(nil), cfg.Segments...)
			tc.edit(&cfg)
			var pe *ParamError
			if err := cfg.Validate(); !errors.As(err, &pe) || pe.Key != tc.key {
				t.Errorf("Validate() = %v, want an error keyed %s", err, tc.key)
			}
		})
	}
}

// The segment is packed beside the channel without losing either.
func TestKindPacksChannelAndSegment(t *testing.T) {
	for ch := ChannelInitial; ch < NumChannels; ch++ {
		for _, k := range []int{0, 1, 17, MaxSegments - 1} {
			c := customer{kind: kindOf(ch, k)}
			if c.channel() != ch || c.segment() != k {
				t.Errorf("kindOf(%v, %d) reads back as %v, %d", ch, k, c.channel(), c.segment())
			}
		}
	}
}

// D5 with segments: the replications, segment tables included, do not
// depend on the number of workers.
func TestSegmentsWorkersDoNotChangeResults(t *testing.T) {
	cfg := goodAndPoor()
	cfg.Population.Initial, cfg.Replications = 500, 5
	if r := sameForWorkers(t, cfg, 1, 3); r.Reps[0].Segments.Segments != 2 {
		t.Error("no segment table")
	}
}

// M13 with M8's CAC payback: a segment's CAC is market.cac times its own
// multiplier, and its payback, as the collector summarises it, is the
// fewest periods by which a paid customer's cumulative margin reaches
// that CAC. With no churn and no events every customer earns list - unit
// cost a period whatever its segment (fit scales experiences only), so
// each segment's payback is ceil(CAC x multiplier / margin) periods,
// computed here, and the same in every replication; a CAC the horizon's
// margin never reaches has no payback, in every replication.
func TestSegmentCACPayback(t *testing.T) {
	const list, unit, cac = 30.0, 12.0, 18.0 // exact: list - unit pays back cac in one period
	cfg := neutral()
	cfg.Market.PaidPerPeriod, cfg.Market.CAC = 50, cac
	cfg.Discounts.Depth, cfg.Policy.Generosity, cfg.Discounts.Lift = 0, 0, 0
	cfg.Population.Initial, cfg.Horizon.Periods, cfg.Replications = 100, 12, 2
	cheap, even := testSegment("cheap", 0.6, 1e-3, 1e9), testSegment("even", 0.2, 1e-3, 1e9)
	dear, never := testSegment("dear", 0.15, 1e-3, 1e9), testSegment("never", 0.05, 1e-3, 1e9)
	cheap.CAC, even.CAC, dear.CAC, never.CAC = 0.5, 1, 2.5, 1e3 // never: more than the horizon's margin
	cfg.Segments = []Segment{cheap, even, dear, never}
	s := Summarize(run(t, cfg))
	for k, sg := range cfg.Segments {
		got := s.Segments[k]
		if want := cac * sg.CAC; got.CAC != want {
			t.Errorf("segment %s: CAC %v, want %v", sg.Name, got.CAC, want)
		}
		want, never := math.Ceil(cac*sg.CAC/(list-unit)), 0.0
		if want > float64(cfg.Horizon.Periods-1) { // the last period's joiners reach only age 0
			want, never = math.NaN(), 1
		}
		if !(got.Payback.Mean == want || math.IsNaN(want) && math.IsNaN(got.Payback.Mean)) || got.PaybackNever != never {
			t.Errorf("segment %s: payback %v periods (never in %v), want %v (never in %v)", sg.Name, got.Payback.Mean, got.PaybackNever, want, never)
		}
	}
}

// The segment a joiner is drawn from: each channel's cumulative
// probabilities are the shares, normalised, times the targeting weights
// for paid and discount joiners only (initial customers and referrals
// come as the market holds them), computed here from that definition.
func TestSegmentCDFTargetsPaidAndDiscountOnly(t *testing.T) {
	cfg := goodAndPoor()
	cfg.Segments = append([]Segment(nil), cfg.Segments...)
	cfg.Segments[0].Share, cfg.Segments[1].Share = 0.4, 0.6
	cfg.Segments[0].Target, cfg.Segments[1].Target = 3, 1
	cdf := segmentCDF(&cfg)
	for ch := ChannelInitial; ch < NumChannels; ch++ {
		w0, w1 := 0.4, 0.6
		if ch == ChannelPaid || ch == ChannelDiscount {
			w0, w1 = 0.4*3, 0.6*1
		}
		want := []float64{w0 / (w0 + w1), 1}
		if len(cdf[ch]) != 2 || math.Abs(cdf[ch][0]-want[0]) > 1e-15 || math.Abs(cdf[ch][1]-want[1]) > 1e-15 {
			t.Errorf("channel %v: cumulative probabilities %v, want %v", ch, cdf[ch], want)
		}
	}
}

// pick returns the first segment whose cumulative probability exceeds u,
// and the last segment with a weight when rounding leaves u at or above
// every cumulative probability; a segment without weight is never picked.
func TestPick(t *testing.T) {
	short := math.Nextafter(1, 0) // a sum of shares one rounding step short of 1
	for _, tc := range []struct {
		cdf  []float64
		u    float64
		want int
	}{
		{[]float64{0.25, 1}, 0, 0},
		{[]float64{0.25, 1}, 0.2, 0},
		{[]float64{0.25, 1}, 0.25, 1},
		{[]float64{0.25, 1}, 0.9, 1},
		{[]float64{0, 0.5, 1}, 0, 1}, // the first segment has no weight
		{[]float64{0.25, short, short}, short, 1},
		{[]float64{0.25, 0.25, short}, short, 2},
		{[]float64{short, short, short}, short, 0},
	} {
		if got := pick(tc.cdf, tc.u); got != tc.want {
			t.Errorf("pick(%v, %v) = %d, want %d", tc.cdf, tc.u, got, tc.want)
		}
	}
}

// At most MaxSegments segments, each named: the limit itself is allowed,
// one more is refused, and an unnamed segment is named by its place.
func TestSegmentsLimitAndNames(t *testing.T) {
	many := func(n int) Config {
		cfg := goodAndPoor()
		cfg.Segments = make([]Segment, n)
		for i := range cfg.Segments {
			cfg.Segments[i] = testSegment(fmt.Sprintf("s%d", i), 1/float64(n), 1, 20)
		}
		return cfg
	}
	if cfg := many(MaxSegments); cfg.Validate() != nil {
		t.Errorf("%d segments refused: %v", MaxSegments, cfg.Validate())
	}
	if cfg := many(MaxSegments + 1); cfg.Validate() == nil {
		t.Errorf("%d segments accepted, want at most %d", MaxSegments+1, MaxSegments)
	}
	cfg := many(3)
	cfg.Segments[1].Name = ""
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "segment 2 has no name") {
		t.Errorf("Validate() = %v, want it to name segment 2", err)
	}
}

// The collector's segment summary: each segment metric of each period is
// the mean over replications of the replications' segment tables; a
// segment no paid or discount customer joins (targeting weight 0) has no
// CAC to pay back and never counts as failing to, and a collector without
// replications reports no failures either.
func TestSegmentSummary(t *testing.T) {
	cfg := goodAndPoor()
	cfg.Population.Initial, cfg.Horizon.Periods, cfg.Replications = 400, 12, 4
	cfg.Segments = append([]Segment(nil), cfg.Segments...)
	cfg.Segments[1].Target = 0 // poor: no paid or discount customers
	r := run(t, cfg)
	s := Summarize(r)
	for k, sg := range cfg.Segments {
		for m := range SegmentMetric(NumSegmentMetrics) {
			for p := range cfg.Horizon.Periods {
				want := 0.0
				for i := range r.Reps {
					want += r.Reps[i].Segments.row(p, k)[m] / float64(len(r.Reps))
				}
				exact(t, fmt.Sprintf("segment %s, metric %d, period %d", sg.Name, m, p), s.Segments[k].Metrics[m][p].Mean, want, 1e-12)
			}
		}
	}
	if got := s.Segments[1].PaybackNever; got != 0 {
		t.Errorf("segment without paid customers: never paid back in a share %v of replications, want 0", got)
	}
	for k, ss := range NewCollector("empty", cfg).Summary().Segments {
		if ss.PaybackNever != 0 {
			t.Errorf("no replications, segment %d: never paid back in a share %v, want 0", k, ss.PaybackNever)
		}
	}
}
