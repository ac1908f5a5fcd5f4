package sim

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"unsafe"

	"gonum.org/v1/gonum/mathext"
)

// Estimate is a forecast of a run's size, made before it starts, for the
// resource guards: every allocation the run makes in proportion to its
// customers, periods, cohorts or replications is counted. All of it is in
// float64, so that no allowed configuration can overflow it.
type Estimate struct {
	// CustomerMonths is the expected number of customer-periods simulated
	// over all replications.
	CustomerMonths float64
	// PeakCustomers is the expected largest number of customers alive in
	// one replication, 0 when every customer settles.
	PeakCustomers float64
	// PeakBy splits the customers alive at the peak by how they came; it
	// is zero when every customer settles.
	PeakBy Sources
	// MonthsBy splits the customer-months of one replication by how the
	// customers came.
	MonthsBy Sources
	// Customers is the expected number of customers ever acquired,
	// initial ones included, over all replications.
	Customers float64
	// Settled is true when every customer settles as it joins (see
	// settles): none is kept in memory or stepped, and a run costs about a
	// draw of traits per customer.
	Settled bool
	// Bytes is the expected peak memory of a run streamed into a
	// Collector: Live + Held + Collected. It counts every statistic of
	// the Collector as if its values varied, while a third or more of
	// them are constant in the built-in scenarios (metrics a policy turns
	// off, cells of a channel that has no joiners) and hold no values:
	// Collected is about 1.5 to 1.7 times what the collector holds. Go's
	// garbage collector lets the heap grow to twice its live part
	// (GOGC=100) before it collects, so that Bytes comes near the heap at
	// its peak, garbage included (measured 10 to 25% below it for giving
	// at 600 periods), rather than the live heap, which it exceeds.
	Bytes float64
	// Live is the memory of the replications running at once: their live
	// customers (CustomerBytes of it) and working tables.
	Live, CustomerBytes float64
	// Held is the memory of the replications finished and not yet
	// aggregated, and of those in progress (at most two per worker, see
	// Stream).
	Held float64
	// Collected is the memory of a Collector that has taken every
	// replication, told their number (see Collector.Expect): largest at
	// ExactQuantiles replications, where it holds their values, and
	// smaller and flat beyond, where it holds digests from the start.
	Collected float64
	// Running is the number of replications simulated at once: the
	// workers, at most the replications.
	Running int
}

// workerBytes is a worker's own memory beyond its replication: a goroutine
// stack, its random streams and a model's fixed part, rounded up.
const workerBytes = 16 << 10

// Sources splits a number of customers by how they came.
type Sources struct {
	Initial  float64 // the initial population
	Acquired float64 // paid and discount-led acquisition
	Referred float64 // referrals
}

// cause names the parameters behind the largest source, with their values,
// in a run of cfg, and what to lower.
func (s Sources) cause(cfg Config) (cause string, lower []string) {
	switch {
	case s.Referred > s.Initial && s.Referred >= s.Acquired:
		market := fmt.Sprintf("market.potential=%d", cfg.Market.Potential)
		if cfg.Market.Potential == 0 {
			market = "an unlimited market (market.potential=0: set one to bound it)"
		}
		return fmt.Sprintf("referral growth: advocacy.referral_rate=%g x advocacy.referral_conversion=%g in %s",
				cfg.Advocacy.ReferralRate, cfg.Advocacy.ReferralConversion, market),
			[]string{"advocacy.referral_rate"}
	case s.Acquired > s.Initial:
		return fmt.Sprintf("market.paid_per_period=%g x horizon.periods=%d", cfg.Market.PaidPerPeriod, cfg.Horizon.Periods),
			[]string{"market.paid_per_period", "horizon.periods"}
	}
	return fmt.Sprintf("population.initial=%d", cfg.Population.Initial), []string{"population.initial"}
}

// maxCount caps the forecast counts of customers: far beyond any memory,
// and far from overflowing when multiplied by bytes, periods and
// replications.
const maxCount = 1e30

// EstimateRun forecasts a run of cfg on the given number of workers. It
// follows the expected population under base churn alone (the
// shifted-beta-geometric survival S(a) = B(alpha, beta+a)/B(alpha, beta))
// with paid and discount-led acquisition and referrals, scaled by the
// untapped share of the market (Bass 1969), without goodwill or walk-aways:
//
//	N(t) = initial S(t) + sum over 0 < s <= t of joined(s) S(t-s)
//	joined(t+1) = (paid_per_period (1 + lift x depth) + q N(t)) x untapped
//
// with q = referral_rate x referral_conversion, as if every customer were a
// promoter: an upper bound on referrals, so that growth without a market
// limit is foreseen. It is exact in expectation for the neutral world and a
// forecast for the guards otherwise, not a result. When every customer
// settles as it joins, none is counted among the live customers in memory.
func EstimateRun(cfg Config, workers int) Estimate {
	T := cfg.Horizon.Periods
	ppy := max(cfg.Horizon.PeriodsPerYear, 1)
	inflow := cfg.Market.PaidPerPeriod * (1 + cfg.Discounts.Lift*cfg.Discounts.Depth*(1-cfg.Policy.Generosity))
	q := cfg.Advocacy.ReferralRate * cfg.Advocacy.ReferralConversion
	M := float64(cfg.Market.Potential)
	initial := float64(cfg.Population.Initial)

	lb := mathext.Lbeta(cfg.Churn.Alpha, cfg.Churn.Beta)
	survival := make([]float64, T)
	for a := range survival {
		survival[a] = math.Exp(mathext.Lbeta(cfg.Churn.Alpha, cfg.Churn.Beta+float64(a)) - lb)
	}
	// joinedPaid[s] and joinedRef[s] join at the start of period s.
	joinedPaid, joinedRef := make([]float64, T), make([]float64, T)
	// Without referrals or a market limit every period's joiners are the
	// same, and the sums of survival give the population in O(T).
	constant := q == 0 && M == 0
	ever, cumSurvival := initial, 0.0
	var e Estimate
	peak, months := 0.0, 0.0
	for t := range T {
		nInit, nPaid, nRef := initial*survival[t], 0.0, 0.0
		if constant {
			nPaid = inflow * cumSurvival
			cumSurvival += survival[t]
		} else {
			for s := 1; s <= t; s++ {
				nPaid += joinedPaid[s] * survival[t-s]
				nRef += joinedRef[s] * survival[t-s]
			}
		}
		n := math.Min(nInit+nPaid+nRef, maxCount)
		if M > 0 {
			n = math.Min(n, M)
		}
		share := n / math.Max(nInit+nPaid+nRef, 1) // what caps n leave of each source
		by := Sources{nInit * share, nPaid * share, nRef * share}
		if n > peak {
			peak, e.PeakBy = n, by
		}
		months += n
		e.MonthsBy = Sources{e.MonthsBy.Initial + by.Initial, e.MonthsBy.Acquired + by.Acquired, e.MonthsBy.Referred + by.Referred}
		if t+1 < T {
			untapped := 1.0
			if M > 0 {
				untapped = math.Max(0, (M-ever)/M)
			}
			joinedPaid[t+1] = math.Min(inflow*untapped, maxCount)
			joinedRef[t+1] = math.Min(q*n*untapped, maxCount)
			if M > 0 {
				joinedRef[t+1] = math.Min(joinedRef[t+1], M-ever)
				joinedPaid[t+1] = math.Min(joinedPaid[t+1], M-ever-joinedRef[t+1])
			}
			ever = math.Min(ever+joinedPaid[t+1]+joinedRef[t+1], maxCount)
		}
	}
	settled := newModel(&cfg).settlesAll()
	if settled {
		peak, e.PeakBy = 0, Sources{}
	}
	reps := float64(cfg.Replications)
	e.CustomerMonths, e.PeakCustomers, e.Customers, e.Settled = months*reps, peak, ever*reps, settled

	Tf := float64(T)
	span := CohortPeriods(cfg.Horizon)
	cohorts := (T + span - 1) / span
	cells := float64(cohorts) * float64(NumChannels)
	// A replication's result: its series and cohort tables (with each
	// cell's value after the horizon).
	perRep := Tf*float64(NumMetrics)*8 + cells*(2+3*Tf)*8
	// The collector: an accumulator per metric and period, per cell for
	// its customers and lifetime value and per cell and age where it keeps
	// quantiles (see quantileAges), and moments per cell and age.
	quantiled := 0.0
	for k := range cohorts {
		from, to := quantileAges(k, span, T)
		quantiled += float64(to - from)
	}
	accumulators := Tf*float64(NumMetrics) + cells*2 + 2*quantiled*float64(NumChannels) + numOutcomes
	// A replication at work also holds its model's price paths by tenure,
	// its settled customers' ledger (see settles), its live counts and its
	// values after the horizon (see horizonValue) by join period and channel.
	tariffs := 2 * (Tf + float64(ppy)) * float64(unsafe.Sizeof(tariff{}))
	working := tariffs + (Tf+1)*float64(unsafe.Sizeof(ledgerRow{})) + Tf*8 + 2*cells*Tf*8 + 2*Tf*float64(NumChannels)*8
	const growth = 2 // a slice grown by appending holds up to twice its length
	e.Running = min(max(workers, 1), max(cfg.Replications, 1))
	running := float64(e.Running)
	e.CustomerBytes = running * peak * float64(unsafe.Sizeof(customer{})) * growth
	e.Live = e.CustomerBytes + running*(working+workerBytes)
	e.Held = 2 * running * perRep
	e.Collected = accumulators*accumulatorBytes(cfg.Replications) + cells*2*Tf*float64(unsafe.Sizeof(Moments{}))
	e.Bytes = e.Live + e.Held + e.Collected
	return e
}

// MaxCustomersWithin is the largest Options.MaxCustomers that keeps a run
// of cfg, forecast as e on the given number of workers, within budget bytes:
// what is left of the budget after everything but the customers, shared
// among the workers' growing customer slices. A slice grown by doubling
// (see makeRoom) has used up to three times its final size in arrays, old
// and new, which are address space held even once collected. It is at
// least 1.
func (e Estimate) MaxCustomersWithin(budget float64, cfg Config, workers int) int {
	running := float64(min(max(workers, 1), max(cfg.Replications, 1)))
	left := budget - (e.Bytes - e.CustomerBytes)
	n := left / (running * float64(unsafe.Sizeof(customer{})) * 3)
	return int(math.Max(1, math.Min(n, maxCount)))
}

// MemoryCause names the parameters behind the larger part of the forecast
// memory, with their values (cause), and what to lower, e.g.
// "population.initial=600000000" and [population.initial]; with several
// replications at once, the workers too.
func (e Estimate) MemoryCause(cfg Config) (cause string, lower []string) {
	if e.CustomerBytes >= e.Bytes-e.CustomerBytes {
		cause, lower = e.PeakBy.cause(cfg)
	} else {
		cause = fmt.Sprintf("statistics of %d periods: horizon.periods=%d, replications=%d",
			cfg.Horizon.Periods, cfg.Horizon.Periods, cfg.Replications)
		lower = []string{"horizon.periods", "replications"}
	}
	if e.Running > 1 {
		cause += fmt.Sprintf(", on %d workers at once", e.Running)
		lower = append(lower, "--workers")
	}
	return cause, lower
}

// WorkCause names the parameters behind the forecast customer-months, with
// their values (cause), and what to lower, e.g.
// "replications=100 x population.initial=600000000 x horizon.periods=60".
func (e Estimate) WorkCause(cfg Config) (cause string, lower []string) {
	cause, lower = e.MonthsBy.cause(cfg)
	if e.MonthsBy.Referred > e.MonthsBy.Initial && e.MonthsBy.Referred >= e.MonthsBy.Acquired {
		return cause + fmt.Sprintf(", replications=%d", cfg.Replications), append(lower, "replications")
	}
	if !slices.Contains(lower, "horizon.periods") {
		lower = append(lower, "horizon.periods")
	}
	periods := fmt.Sprintf(" x horizon.periods=%d", cfg.Horizon.Periods)
	return fmt.Sprintf("replications=%d x %s%s", cfg.Replications, strings.TrimSuffix(cause, periods), periods),
		append([]string{"replications"}, lower...)
}
