package sim

import (
	"encoding/json"
	"math"
)

// Stat summarises one quantity across replications: mean, sample standard
// deviation and the 5%, 50% and 95% quantiles (linear interpolation,
// gonum stat.LinInterp). NaN marks a quantity no replication could measure;
// in JSON it is null.
type Stat struct {
	Mean, SD, P05, P50, P95 float64
}

// StatOf summarises xs, ignoring NaN values; with none left every field is
// NaN. It is an Accumulator fed xs in order.
func StatOf(xs []float64) Stat {
	var a Accumulator
	for _, x := range xs {
		a.Add(x)
	}
	return a.Stat()
}

// MarshalJSON writes NaN and infinities as null.
func (s Stat) MarshalJSON() ([]byte, error) {
	f := func(x float64) *float64 {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
		return &x
	}
	return json.Marshal(struct {
		Mean *float64 `json:"mean"`
		SD   *float64 `json:"sd"`
		P05  *float64 `json:"p05"`
		P50  *float64 `json:"p50"`
		P95  *float64 `json:"p95"`
	}{f(s.Mean), f(s.SD), f(s.P05), f(s.P50), f(s.P95)})
}

// MetricSeries is one metric's Stat in every period.
type MetricSeries struct {
	Metric  Metric
	Periods []Stat
}

// CohortSeries is one (cohort, channel) cell's survival and value by age.
// Their means and sds are exact at every age; their quantiles (exact up to
// ExactQuantiles replications, as every Stat's) are kept where they are
// read, at every age of cohort 0 and at the last ages of each later cell
// (those its joiners reach at the horizon), and are NaN elsewhere, so that the collector's
// memory grows linearly with the horizon (see quantileAges).
type CohortSeries struct {
	Cohort    int
	Span      int // periods the cohort spans: it joined in periods [Cohort*Span, (Cohort+1)*Span)
	Channel   Channel
	Customers Stat // customers who joined the cell
	// Survival[a]: share of the cell's customers active at age a, among
	// those whose age a falls within the horizon.
	Survival []Stat
	// Value[a]: lifetime value to age a per customer, discounted to the
	// join period: sum over k <= a of margin at age k per exposed customer
	// times (1+d)^-k.
	Value []Stat
	// Lifetime is lifetime value per customer who joined the cell, each
	// discounted to its join period: its margin within the horizon plus the
	// expected margin after it of those still active (see horizonValue).
	Lifetime Stat
}

// Totals are a scenario's horizon totals across replications.
type Totals struct {
	CumulativeProfit           Stat `json:"cumulative_profit"`
	CumulativeDiscountedProfit Stat `json:"cumulative_discounted_profit"`
	FinalActive                Stat `json:"final_active"`
	FinalNPS                   Stat `json:"final_nps"`
	// CLV is lifetime value per acquired (not initial) customer, each
	// discounted to its join period: margin within the horizon plus the
	// expected margin after it of those still active (see horizonValue).
	CLV Stat `json:"clv_per_acquired"`
	// CustomerEquity is the expected discounted margin after the horizon of
	// the customers active at its end, discounted to period 0 (Gupta,
	// Lehmann & Stuart 2004; see horizonValue).
	CustomerEquity Stat `json:"customer_equity"`
	// Value is cumulative discounted profit plus customer equity: what the
	// firm has banked by the horizon and the customers it holds then, both
	// at period 0.
	Value Stat `json:"value"`
	// Payback is the CAC payback period: the fewest periods after joining
	// by which the mean undiscounted margin of a paid or discount customer
	// covers market.cac. Replications where that never happens within the
	// horizon are left out and counted in PaybackNever (a share).
	Payback      Stat    `json:"cac_payback_periods"`
	PaybackNever float64 `json:"cac_payback_never_share"`
}

// Summary is the collector's account of one scenario.
type Summary struct {
	Scenario     string
	Config       Config
	Replications int
	Metrics      []MetricSeries // indexed by Metric
	Cohorts      []CohortSeries // cells with at least one customer, by cohort then channel
	Totals       Totals
	Segments     []SegmentSummary // by declared segment; none without declared segments
}

// SegmentSummary is one declared segment's account across replications
// (M13).
type SegmentSummary struct {
	Segment Segment
	CAC     float64 // currency per paid or discount customer: market.cac x the segment's multiplier
	// Metrics[m][t] is segment metric m in period t.
	Metrics [NumSegmentMetrics][]Stat
	// Acquired counts the segment's paid, discount and referral customers
	// over the horizon.
	Acquired Stat
	// CLV is lifetime value per acquired customer of the segment, as
	// Totals.CLV; Payback and PaybackNever are CAC payback as in Totals,
	// for the segment's paid and discount customers against its CAC.
	CLV          Stat
	Payback      Stat
	PaybackNever float64
}

// Series returns the per-period Stats of metric m.
func (s *Summary) Series(m Metric) []Stat { return s.Metrics[m].Periods }

// Summarize aggregates every replication of r: a Collector fed r's
// replications in order.
func Summarize(r *Result) *Summary {
	c := NewCollector(r.Scenario, r.Config)
	c.Expect(len(r.Reps))
	for i := range r.Reps {
		c.Add(&r.Reps[i])
	}
	return c.Summary()
}

// Collector aggregates the replications of one scenario, period by period
// and cohort cell by cohort cell, as they are added, without keeping them:
// its memory does not grow with the replications beyond ExactQuantiles
// (see Accumulator; told their number beyond it, see Expect, it never holds
// ExactQuantiles values per statistic), and grows linearly with the
// horizon: at most
// MaxCohorts cohorts, exact moments at every age of a cell and quantiles
// at the ages read (see CohortSeries). Added in replication order (as Stream visits them),
// the Summary does not depend on how replications were scheduled.
type Collector struct {
	scenario string
	cfg      Config
	n        int
	months   float64                   // customer-months: active customers summed over periods and replications
	metrics  [NumMetrics][]Accumulator // metrics[m][t]
	cells    []cellAccumulator         // by CohortTable cell
	totals   [numOutcomes]Accumulator  // horizon outcomes, in the order of Outcomes' fields
	never    int                       // replications with paid customers whose CAC is never paid back
	ages     int                       // ages of the cohort tables
	span     int                       // periods per cohort (see CohortPeriods)
	v        float64                   // per-period discount factor
	segs     []segmentAccumulator      // by declared segment
	exact    int                       // values an accumulator keeps exactly: ExactQuantiles, or 0 (see Expect)
}

// segmentAccumulator aggregates one segment of the segment tables.
type segmentAccumulator struct {
	metrics                [NumSegmentMetrics][]Accumulator // by period
	acquired, clv, payback Accumulator
	never                  int // replications with paid customers of the segment whose CAC is never paid back
}

// cellAccumulator aggregates one (cohort, channel) cell of the cohort
// tables.
type cellAccumulator struct {
	customers, lifetime Accumulator
	survival, value     []Moments // by age
	// qSurvival[a-from] and qValue[a-from] hold the values at ages from to
	// from+len-1 (see quantileAges), for their quantiles.
	from              int
	qSurvival, qValue []Accumulator
	joined            bool // some replication had customers in the cell
}

// quantileAges are the ages [from, to) at which the collector keeps the
// quantiles of a cell of the given cohort: every age of cohort 0, whose
// lifetime values the charts read at any age, and the last span ages of a
// later cohort, the ages its joiners of each period reach at the horizon,
// where the report reads its value. They add fewer than 2 x ages
// accumulators per channel.
func quantileAges(cohort, span, ages int) (from, to int) {
	to = ages - cohort*span
	if cohort == 0 {
		return 0, to
	}
	return max(0, to-span), to
}

// NewCollector starts collecting replications of cfg, the scenario named name.
func NewCollector(name string, cfg Config) *Collector {
	T, span := cfg.Horizon.Periods, CohortPeriods(cfg.Horizon)
	c := &Collector{scenario: name, cfg: cfg, ages: T, span: span, v: 1 / (1 + PeriodRate(cfg)), exact: ExactQuantiles}
	for m := range c.metrics {
		c.metrics[m] = make([]Accumulator, T)
	}
	c.cells = make([]cellAccumulator, (T+span-1)/span*int(NumChannels))
	for i := range c.cells {
		cell := &c.cells[i]
		cell.survival, cell.value = make([]Moments, T), make([]Moments, T)
		from, to := quantileAges(i/int(NumChannels), span, T)
		cell.from, cell.qSurvival, cell.qValue = from, make([]Accumulator, to-from), make([]Accumulator, to-from)
	}
	c.segs = make([]segmentAccumulator, len(cfg.Segments))
	for k := range c.segs {
		for m := range c.segs[k].metrics {
			c.segs[k].metrics[m] = make([]Accumulator, T)
		}
	}
	return c
}

// Expect tells the collector how many replications it will have taken
// when its Summary is read. Beyond ExactQuantiles, every accumulator keeps
// a t-digest from its first value on (see Accumulator), rather than exact
// values it would drop at the ExactQuantiles+1st: the same digest, bit for
// bit, without ExactQuantiles values per metric and period held on the
// way; an accumulator with at most ExactQuantiles values (NaN left out)
// then takes its quantiles from its digest too. It may be called between
// replications: values kept so far move into digests, in order, so that
// the Summary does not depend on when it was called.
func (c *Collector) Expect(replications int) {
	if replications <= ExactQuantiles || c.exact == 0 {
		return
	}
	c.exact = 0
	c.each(func(a *Accumulator) {
		if a.values != nil {
			a.spill()
		}
	})
}

// each calls f on every accumulator of the collector.
func (c *Collector) each(f func(*Accumulator)) {
	for m := range c.metrics {
		for t := range c.metrics[m] {
			f(&c.metrics[m][t])
		}
	}
	for i := range c.cells {
		cell := &c.cells[i]
		f(&cell.customers)
		f(&cell.lifetime)
		for q := range cell.qSurvival {
			f(&cell.qSurvival[q])
			f(&cell.qValue[q])
		}
	}
	for k := range c.totals {
		f(&c.totals[k])
	}
	for k := range c.segs {
		sa := &c.segs[k]
		for m := range sa.metrics {
			for t := range sa.metrics[m] {
				f(&sa.metrics[m][t])
			}
		}
		f(&sa.acquired)
		f(&sa.clv)
		f(&sa.payback)
	}
}

// Add takes the next replication.
func (c *Collector) Add(rep *Replication) {
	c.n++
	for t, row := range rep.Series {
		c.months += row[Active]
		for m, x := range row {
			c.metrics[m][t].add(x, c.exact)
		}
	}
	ct := &rep.Cohorts
	for i := range c.cells {
		cell := &c.cells[i]
		cell.customers.add(ct.Joined[i], c.exact)
		cell.joined = cell.joined || ct.Joined[i] > 0
		value, lifetime := 0.0, ct.Residual[i]
		w := 1.0 // v^a
		for a := 0; a < c.ages; a++ {
			k := i*c.ages + a
			survival := math.NaN()
			if ct.Exposed[k] == 0 {
				value = math.NaN()
			} else {
				survival = ct.Alive[k] / ct.Exposed[k]
				value += ct.Margin[k] / ct.Exposed[k] * w
			}
			lifetime += ct.Margin[k] * w
			cell.survival[a].Add(survival)
			cell.value[a].Add(value)
			if q := a - cell.from; q >= 0 && q < len(cell.qSurvival) {
				cell.qSurvival[q].add(survival, c.exact)
				cell.qValue[q].add(value, c.exact)
			}
			w *= c.v
		}
		cell.lifetime.add(lifetime/ct.Joined[i], c.exact) // NaN when nobody joined
	}
	o := rep.Outcomes(&c.cfg)
	for k, x := range [numOutcomes]float64{o.CumulativeProfit, o.CumulativeDiscountedProfit, o.FinalActive, o.FinalNPS, o.CLV, o.Payback,
		o.CustomerEquity, o.Value} {
		c.totals[k].add(x, c.exact)
	}
	if math.IsNaN(o.Payback) && ct.joined(ChannelPaid, ChannelDiscount) > 0 {
		c.never++
	}
	st := &rep.Segments
	for k := range c.segs {
		sa := &c.segs[k]
		for t := 0; t < st.Periods; t++ {
			for m, x := range st.row(t, k) {
				sa.metrics[m][t].add(x, c.exact)
			}
		}
		clv, payback := st.SegmentOutcomes(k, c.cfg.Market.CAC*c.cfg.Segments[k].CAC)
		sa.acquired.add(st.Acquired[k], c.exact)
		sa.clv.add(clv, c.exact)
		sa.payback.add(payback, c.exact)
		if math.IsNaN(payback) && st.PaidExposed[k*st.Periods] > 0 {
			sa.never++
		}
	}
}

// Replications is the number of replications added.
func (c *Collector) Replications() int { return c.n }

// CustomerMonths is the customer-months simulated in the replications
// added: active customers summed over periods and replications.
func (c *Collector) CustomerMonths() float64 { return c.months }

// Summary is the account of the replications added so far.
func (c *Collector) Summary() *Summary {
	s := &Summary{Scenario: c.scenario, Config: c.cfg, Replications: c.n, Metrics: make([]MetricSeries, NumMetrics)}
	for m := range s.Metrics {
		s.Metrics[m] = MetricSeries{Metric: Metric(m), Periods: make([]Stat, len(c.metrics[m]))}
		for t := range c.metrics[m] {
			s.Metrics[m].Periods[t] = c.metrics[m][t].Stat()
		}
	}
	for i := range c.cells {
		cell := &c.cells[i]
		if !cell.joined {
			continue
		}
		cs := CohortSeries{Cohort: i / int(NumChannels), Span: c.span, Channel: Channel(i % int(NumChannels)), Customers: cell.customers.Stat(),
			Survival: make([]Stat, c.ages), Value: make([]Stat, c.ages), Lifetime: cell.lifetime.Stat()}
		for a := range cs.Survival {
			cs.Survival[a], cs.Value[a] = cell.survival[a].Stat(), cell.value[a].Stat()
			if q := a - cell.from; q >= 0 && q < len(cell.qSurvival) {
				cs.Survival[a], cs.Value[a] = cell.qSurvival[q].Stat(), cell.qValue[q].Stat()
			}
		}
		s.Cohorts = append(s.Cohorts, cs)
	}
	t := &c.totals
	s.Totals = Totals{CumulativeProfit: t[0].Stat(), CumulativeDiscountedProfit: t[1].Stat(), FinalActive: t[2].Stat(),
		FinalNPS: t[3].Stat(), CLV: t[4].Stat(), Payback: t[5].Stat(), CustomerEquity: t[6].Stat(), Value: t[7].Stat()}
	if c.n > 0 {
		s.Totals.PaybackNever = float64(c.never) / float64(c.n)
	}
	for k := range c.segs {
		sa := &c.segs[k]
		ss := SegmentSummary{Segment: c.cfg.Segments[k], CAC: c.cfg.Market.CAC * c.cfg.Segments[k].CAC,
			Acquired: sa.acquired.Stat(), CLV: sa.clv.Stat(), Payback: sa.payback.Stat()}
		for m := range ss.Metrics {
			ss.Metrics[m] = make([]Stat, len(sa.metrics[m]))
			for t := range sa.metrics[m] {
				ss.Metrics[m][t] = sa.metrics[m][t].Stat()
			}
		}
		if c.n > 0 {
			ss.PaybackNever = float64(sa.never) / float64(c.n)
		}
		s.Segments = append(s.Segments, ss)
	}
	return s
}

// Outcomes are one replication's horizon values.
type Outcomes struct {
	CumulativeProfit           float64
	CumulativeDiscountedProfit float64
	FinalActive                float64 // active after the last period's churn
	FinalNPS                   float64
	CLV                        float64 // lifetime value per acquired customer, discounted to its join period; NaN if none
	Payback                    float64 // CAC payback in periods; NaN if never within the horizon or no paid customers
	CustomerEquity             float64 // value after the horizon of the customers active at its end, at period 0
	Value                      float64 // CumulativeDiscountedProfit + CustomerEquity
}

// numOutcomes is the number of fields of Outcomes.
const numOutcomes = 8

// Outcomes returns the replication's horizon values; cfg is the
// configuration it was simulated with.
func (rep *Replication) Outcomes(cfg *Config) Outcomes {
	if drawn, err := cfg.With(rep.Assumptions); err == nil {
		cfg = drawn // the replication's own values of the uncertain parameters
	}
	row := rep.Series[len(rep.Series)-1]
	return Outcomes{
		CumulativeProfit:           row[CumulativeProfit],
		CumulativeDiscountedProfit: row[CumulativeDiscountedProfit],
		FinalActive:                row[Active] - row[Churned],
		FinalNPS:                   row[NPS],
		CLV:                        acquiredCLV(&rep.Cohorts, 1/(1+PeriodRate(*cfg))),
		Payback:                    paybackPeriods(&rep.Cohorts, cfg.Market.CAC),
		CustomerEquity:             rep.Equity,
		Value:                      row[CumulativeDiscountedProfit] + rep.Equity,
	}
}

// joined counts the customers of the given channels over all cohorts.
func (c *CohortTable) joined(chs ...Channel) float64 {
	total := 0.0
	for cohort := 0; cohort < c.Cohorts; cohort++ {
		for _, ch := range chs {
			total += c.Joined[c.cell(cohort, ch)]
		}
	}
	return total
}

// acquiredCLV is lifetime value per acquired customer, each discounted to
// its join period: margin within the horizon and after it (Residual); NaN
// when nobody was acquired.
func acquiredCLV(c *CohortTable, v float64) float64 {
	acquired := []Channel{ChannelPaid, ChannelDiscount, ChannelReferral}
	n := c.joined(acquired...)
	if n == 0 {
		return math.NaN()
	}
	total := 0.0
	for cohort := 0; cohort < c.Cohorts; cohort++ {
		for _, ch := range acquired {
			base := c.cell(cohort, ch) * c.Ages
			total += c.Residual[c.cell(cohort, ch)]
			w := 1.0
			for a := 0; a < c.Ages; a++ {
				total += c.Margin[base+a] * w
				w *= v
			}
		}
	}
	return total / n
}

// paybackPeriods is the fewest periods after which the mean cumulative
// margin of a paid or discount customer reaches cac; NaN if it never does
// within the horizon or there are no such customers.
func paybackPeriods(c *CohortTable, cac float64) float64 {
	cum := 0.0
	for a := 0; a < c.Ages; a++ {
		margin, exposed := 0.0, 0.0
		for cohort := 0; cohort < c.Cohorts; cohort++ {
			for _, ch := range []Channel{ChannelPaid, ChannelDiscount} {
				k := c.cell(cohort, ch)*c.Ages + a
				margin += c.Margin[k]
				exposed += c.Exposed[k]
			}
		}
		if exposed == 0 {
			return math.NaN()
		}
		cum += margin / exposed
		if cum >= cac {
			return float64(a + 1)
		}
	}
	return math.NaN()
}

// PeriodRate converts the annual discount rate to the per-period rate
// d = (1 + annual)^(1/periods_per_year) - 1.
func PeriodRate(cfg Config) float64 {
	return math.Pow(1+cfg.Economics.DiscountRate, 1/float64(cfg.Horizon.PeriodsPerYear)) - 1
}
