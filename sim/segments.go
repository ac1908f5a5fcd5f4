package sim

import (
	"math"
	"reflect"
	"strconv"
)

// Segments and targeting (M13). A market may hold kinds of customer that
// differ in how they churn and what they need; a firm may aim its paid
// acquisition at some of them. Each segment k has:
//
//   - share w_k of the market: the initial customers and referred customers
//     are of segment k with probability w_k;
//   - base churn theta ~ Beta(alpha_k, beta_k) (M1), in place of churn.alpha
//     and churn.beta, so a neutral world's first cohort survives as the
//     mixture S(t) = sum_k w_k B(alpha_k, beta_k + t) / B(alpha_k, beta_k);
//   - multipliers on pricing.price_sensitivity (the goodwill a price change
//     moves), on service.contact_rate and on incidents.rate;
//   - fit to the firm's service: a multiplier on the goodwill of every good
//     experience (resolved contacts, warmth, gestures, advice, price cuts),
//     how much of what the firm does well this customer values;
//   - a multiplier on market.cac: what one paid or discount customer of the
//     segment costs to acquire;
//   - a targeting weight u_k (1 unless the scenario targets): a paid or
//     discount customer is of segment k with probability
//     w_k u_k / sum_j w_j u_j. Targeting changes whom the firm acquires, not
//     how many; each costs its segment's CAC.
//
// Each customer draws its segment from its own stream (procSegment) by
// inverse distribution on one uniform, so two scenarios that differ only in
// targeting give the same customer the same segment wherever they can
// (common random numbers). With no segments declared there is one implicit
// segment with the scenario's churn parameters, multipliers 1 and CAC
// market.cac, and nothing is drawn: results are those of a model without
// segments. All segment values in the built-in scenarios are assumptions.

// MaxSegments is the most segments a scenario may declare: a customer keeps
// its segment in the six bits of a byte it shares with its channel.
const MaxSegments = 64

// Segment is one kind of customer (M13); the numbers' meanings and ranges
// are in SegmentParams.
type Segment struct {
	Name             string       `json:"name"`
	Share            float64      `mapstructure:"share" json:"share"`
	Churn            SegmentChurn `mapstructure:"churn" json:"churn"`
	PriceSensitivity float64      `mapstructure:"price_sensitivity" json:"price_sensitivity"`
	ContactRate      float64      `mapstructure:"contact_rate" json:"contact_rate"`
	IncidentRate     float64      `mapstructure:"incident_rate" json:"incident_rate"`
	Fit              float64      `mapstructure:"fit" json:"fit"`
	CAC              float64      `mapstructure:"cac" json:"cac"`
	// Target is the targeting weight of paid acquisition (see above), >= 0.
	Target float64 `json:"target"`
}

// SegmentChurn is a segment's base churn Beta(alpha, beta) (M1).
type SegmentChurn struct {
	Alpha float64 `mapstructure:"alpha" json:"alpha"`
	Beta  float64 `mapstructure:"beta" json:"beta"`
}

// SegmentParams lists the numbers of a segment, keyed as in a scenario
// file's segments list. A NaN default marks a value every segment must
// give.
var SegmentParams = []Param{
	{Key: "share", Min: 0, MinOpen: true, Max: 1, Default: math.NaN(), Doc: "Share of the market: of the initial and referred customers, and of paid and discount ones before targeting. The shares sum to 1.", Source: "required"},
	{Key: "churn.alpha", Min: 0, MinOpen: true, Max: inf, Default: math.NaN(), Doc: "alpha of the segment's Beta(alpha, beta) of base churn per period, in place of churn.alpha.", Source: "required"},
	{Key: "churn.beta", Min: 0, MinOpen: true, Max: inf, Default: math.NaN(), Doc: "beta of the segment's Beta(alpha, beta) of base churn per period, in place of churn.beta.", Source: "required"},
	nonneg("price_sensitivity", 1, "multiplier", "Multiplier on pricing.price_sensitivity: the goodwill a price change moves.", "assumption"),
	nonneg("contact_rate", 1, "multiplier", "Multiplier on service.contact_rate.", "assumption"),
	nonneg("incident_rate", 1, "multiplier", "Multiplier on incidents.rate.", "assumption"),
	nonneg("fit", 1, "multiplier", "Fit to the firm's service: multiplier on the goodwill of every good experience.", "assumption"),
	nonneg("cac", 1, "multiplier", "Multiplier on market.cac: the cost of acquiring one paid or discount customer of the segment.", "assumption"),
}

// Get returns the segment's number named by key, one of SegmentParams.
func (s *Segment) Get(key string) (float64, error) {
	v, err := leaf(reflect.ValueOf(s).Elem(), key)
	if err != nil {
		return 0, err
	}
	return v.Float(), nil
}

// Set assigns x to the segment's number named by key, one of SegmentParams.
func (s *Segment) Set(key string, x float64) error {
	v, err := leaf(reflect.ValueOf(s).Elem(), key)
	if err != nil {
		return err
	}
	v.SetFloat(x)
	return nil
}

// NewSegment returns a segment named name with every optional number at its
// default, the required ones NaN and targeting weight 1.
func NewSegment(name string) Segment {
	s := Segment{Name: name, Target: 1}
	for _, p := range SegmentParams {
		if err := s.Set(p.Key, p.Default); err != nil {
			panic(err) // the table and the struct disagree: a programming error caught by tests
		}
	}
	return s
}

// validateSegments checks the declared segments: at most MaxSegments, each
// named once, every number in its range, shares summing to 1, targeting
// weights >= 0 and not all 0 where there is a share, and no churn parameter
// uncertainty (it belongs to churn.alpha and churn.beta, which segments
// replace). Errors are *ParamError keyed segments.NAME.KEY or
// targeting.NAME.
func (c *Config) validateSegments() error {
	if len(c.Segments) == 0 {
		return nil
	}
	if len(c.Segments) > MaxSegments {
		return paramError("segments", "at most %d segments, got %d", MaxSegments, len(c.Segments))
	}
	if c.Churn.AlphaSD != 0 || c.Churn.BetaSD != 0 {
		return paramError("churn.alpha_sd", "must be 0 with churn.beta_sd when segments are declared: each segment gives its own churn, got %g and %g", c.Churn.AlphaSD, c.Churn.BetaSD)
	}
	seen := map[string]bool{}
	shares, targeted := 0.0, 0.0
	for i := range c.Segments {
		s := &c.Segments[i]
		if s.Name == "" {
			return paramError("segments", "segment %d has no name", i+1)
		}
		if seen[s.Name] {
			return paramError("segments."+s.Name, "segment declared twice")
		}
		seen[s.Name] = true
		for _, p := range SegmentParams {
			x, _ := s.Get(p.Key)
			if err := p.Check(x); err != nil {
				return paramError("segments."+s.Name+"."+p.Key, "%s", err.(*ParamError).Msg)
			}
		}
		for _, r := range []struct {
			key        string
			rate, mult float64
		}{{"contact_rate", c.Service.ContactRate, s.ContactRate}, {"incident_rate", c.Incidents.Rate, s.IncidentRate}} {
			if r.rate*r.mult > maxHazard {
				return paramError("segments."+s.Name+"."+r.key, "times the scenario's rate (%g) must be at most %d, got %g", r.rate, maxHazard, r.mult)
			}
		}
		if math.IsNaN(s.Target) || math.IsInf(s.Target, 0) || s.Target < 0 {
			return paramError("targeting."+s.Name, "must be a finite number >= 0, got %v", s.Target)
		}
		shares += s.Share
		targeted += s.Share * s.Target
	}
	if math.Abs(shares-1) > 1e-9 {
		return paramError("segments", "shares must sum to 1, got %s", strconv.FormatFloat(shares, 'g', 12, 64))
	}
	if targeted == 0 {
		return paramError("targeting", "must give some segment a weight above 0")
	}
	return nil
}

// segment is a segment resolved into what the model uses (see model.segs).
type segment struct {
	price, contacts, incidents, fit float64 // multipliers
	cac                             float64 // currency per paid or discount customer
	contactFactor                   float32 // the contact clock's factor, exp(-contact_rate x contacts) (see due)
}

// newSegments resolves the segments of cfg, or the implicit one.
func newSegments(cfg *Config) []segment {
	if len(cfg.Segments) == 0 {
		return []segment{{price: 1, contacts: 1, incidents: 1, fit: 1, cac: cfg.Market.CAC, contactFactor: float32(math.Exp(-cfg.Service.ContactRate))}}
	}
	out := make([]segment, len(cfg.Segments))
	for k, s := range cfg.Segments {
		out[k] = segment{price: s.PriceSensitivity, contacts: s.ContactRate, incidents: s.IncidentRate, fit: s.Fit,
			cac: cfg.Market.CAC * s.CAC, contactFactor: float32(math.Exp(-cfg.Service.ContactRate * s.ContactRate))}
	}
	return out
}

// segmentCDF returns, by channel, the cumulative probabilities of the
// segments a joiner of that channel is drawn from: share, times the
// targeting weight for paid and discount customers. nil without segments.
func segmentCDF(cfg *Config) [NumChannels][]float64 {
	var cdf [NumChannels][]float64
	if len(cfg.Segments) == 0 {
		return cdf
	}
	for ch := range cdf {
		targeted := Channel(ch) == ChannelPaid || Channel(ch) == ChannelDiscount
		weights := make([]float64, len(cfg.Segments))
		total := 0.0
		for k, s := range cfg.Segments {
			weights[k] = s.Share
			if targeted {
				weights[k] *= s.Target
			}
			total += weights[k]
		}
		sum := 0.0
		for k := range weights {
			sum += weights[k] / total
			weights[k] = sum
		}
		cdf[ch] = weights
	}
	return cdf
}

// pick returns the segment whose cumulative probability first exceeds u in
// [0, 1); the last segment with a weight catches rounding.
func pick(cdf []float64, u float64) int {
	last := 0
	for k, x := range cdf {
		if u < x {
			return k
		}
		if k == 0 || x > cdf[k-1] {
			last = k
		}
	}
	return last
}

// SegmentMetric names one per-period quantity recorded by segment.
type SegmentMetric int

// The segment metrics, in the order they appear in segments.csv.
const (
	SegmentActive SegmentMetric = iota
	SegmentAcquired
	SegmentChurned
	SegmentRevenue
	SegmentMargin
	SegmentCostAcquisition
	NumSegmentMetrics
)

var segmentMetricInfo = [NumSegmentMetrics]MetricInfo{
	SegmentActive:          {"active", "customers", "customers of the segment active in the period (start of period, after joiners)"},
	SegmentAcquired:        {"acquired", "customers", "customers of the segment who joined at the start of the period, all channels"},
	SegmentChurned:         {"churned", "customers", "customers of the segment who left at the end of the period"},
	SegmentRevenue:         {"revenue", "currency/period", "revenue from the segment: subscriptions and fees"},
	SegmentMargin:          {"margin", "currency/period", "revenue less variable, service, frontline staff, incident and gesture costs of the segment's customers"},
	SegmentCostAcquisition: {"cost_acquisition", "currency/period", "the segment's CAC times its paid and discount joiners"},
}

// Info returns the segment metric's name, unit and meaning.
func (m SegmentMetric) Info() MetricInfo { return segmentMetricInfo[m] }

// String is the segment metric's name in files.
func (m SegmentMetric) String() string { return segmentMetricInfo[m].Name }

// SegmentTable is one replication's account by segment; empty (Segments
// 0) when the scenario declares none.
type SegmentTable struct {
	Segments, Periods int
	// Series[t*Segments + k][m] is segment metric m of segment k in period t.
	Series [][NumSegmentMetrics]float64
	// Acquired[k] counts segment k's paid, discount and referral
	// customers; Value[k] sums their lifetime values, each discounted to
	// its join period, the value after the horizon included (as
	// Outcomes.CLV).
	Acquired, Value []float64
	// PaidExposed[k*Periods + a] counts segment k's paid and discount
	// customers who reached age a within the horizon, PaidMargin the margin
	// those alive earned at age a: CAC payback by segment.
	PaidExposed, PaidMargin []float64
}

func newSegmentTable(segments, periods int) SegmentTable {
	return SegmentTable{
		Segments: segments, Periods: periods,
		Series:   make([][NumSegmentMetrics]float64, segments*periods),
		Acquired: make([]float64, segments), Value: make([]float64, segments),
		PaidExposed: make([]float64, segments*periods), PaidMargin: make([]float64, segments*periods),
	}
}

// row is segment k's metrics in period t.
func (s *SegmentTable) row(t, k int) *[NumSegmentMetrics]float64 { return &s.Series[t*s.Segments+k] }

// joined records a customer of segment k and channel ch joining at the
// start of period t; initial customers are not acquired.
func (s *SegmentTable) joined(t, k int, ch Channel) {
	if ch == ChannelInitial {
		return // the population at the start, not acquired
	}
	s.row(t, k)[SegmentAcquired]++
	s.Acquired[k]++
	if ch == ChannelPaid || ch == ChannelDiscount {
		for a := 0; t+a < s.Periods; a++ {
			s.PaidExposed[k*s.Periods+a]++
		}
	}
}

// SegmentOutcomes are one segment's lifetime value per acquired customer
// (NaN if none) and CAC payback in periods (NaN if never within the
// horizon or no paid customers), given its CAC in currency.
func (s *SegmentTable) SegmentOutcomes(k int, cac float64) (clv, payback float64) {
	clv = math.NaN()
	if s.Acquired[k] > 0 {
		clv = s.Value[k] / s.Acquired[k]
	}
	payback = math.NaN()
	cum := 0.0
	for a := 0; a < s.Periods; a++ {
		exposed := s.PaidExposed[k*s.Periods+a]
		if exposed == 0 {
			break
		}
		cum += s.PaidMargin[k*s.Periods+a] / exposed
		if cum >= cac {
			payback = float64(a + 1)
			break
		}
	}
	return clv, payback
}
