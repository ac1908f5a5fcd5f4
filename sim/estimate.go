package sim

import (
	"math"
	"unsafe"

	"gonum.org/v1/gonum/mathext"
)

// Estimate is a rough forecast of a run's size, made before it starts.
type Estimate struct {
	// CustomerMonths is the expected number of customer-periods simulated
	// over all replications.
	CustomerMonths float64
	// PeakCustomers is the expected largest number of customers alive in
	// one replication.
	PeakCustomers float64
	// Customers is the expected number of customers ever acquired,
	// initial ones included, over all replications.
	Customers float64
	// Settled is true when every customer settles as it joins (see
	// settles): none is kept in memory or stepped, and a run costs about a
	// draw of traits per customer.
	Settled bool
	// Bytes is the expected peak memory of a run streamed into a
	// Collector: Live + Held + Collected.
	Bytes float64
	// Live is the memory of the replications running at once: their live
	// customers and working tables.
	Live float64
	// Held is the memory of the replications finished and not yet
	// aggregated (at most two per worker, see Stream).
	Held float64
	// Collected is the memory of a Collector that has taken every
	// replication: it stops growing beyond ExactQuantiles replications.
	Collected float64
}

// EstimateRun forecasts a run of cfg on the given number of workers. It
// follows the expected population under base churn alone (the
// shifted-beta-geometric survival S(a) = B(alpha, beta+a)/B(alpha, beta))
// with paid and discount-led acquisition, without goodwill, walk-aways or
// referrals, capped at the market potential:
//
//	N(t) = initial S(t) + paid_per_period (1 + lift x depth) (S(0) + ... + S(t-1))
//
// It is exact in expectation for the neutral world and a forecast for
// warnings and guards otherwise, not a result. When every customer settles
// as it joins, none is counted among the live customers in memory.
func EstimateRun(cfg Config, workers int) Estimate {
	inflow := cfg.Market.PaidPerPeriod * (1 + cfg.Discounts.Lift*cfg.Discounts.Depth*(1-cfg.Policy.Generosity))
	lb := mathext.Lbeta(cfg.Churn.Alpha, cfg.Churn.Beta)
	survival := func(a int) float64 { return math.Exp(mathext.Lbeta(cfg.Churn.Alpha, cfg.Churn.Beta+float64(a)) - lb) }
	peak, months, joined := 0.0, 0.0, 0.0
	for t := 0; t < cfg.Horizon.Periods; t++ {
		n := float64(cfg.Population.Initial)*survival(t) + joined
		if M := float64(cfg.Market.Potential); M > 0 {
			n = math.Min(n, M)
		}
		peak = math.Max(peak, n)
		months += n
		joined += inflow * survival(t)
	}
	customers := float64(cfg.Population.Initial) + inflow*float64(cfg.Horizon.Periods-1) // joining at periods 1..T-1
	if M := float64(cfg.Market.Potential); M > 0 {
		customers = math.Min(customers, M)
	}
	settled := newModel(&cfg).settlesAll()
	if settled {
		peak = 0
	}
	reps := float64(cfg.Replications)
	T := float64(cfg.Horizon.Periods)
	cohorts := math.Ceil(T / float64(cfg.Horizon.PeriodsPerYear))
	cells := cohorts * float64(NumChannels)
	perRep := T*float64(NumMetrics)*8 + cells*(2+3*T)*8
	accumulators := T*float64(NumMetrics) + cells*(2+2*T) + numOutcomes
	// A replication at work also holds its settled customers' ledger (see
	// settles), its live counts and its values after the horizon (see
	// horizonValue) by join period and channel.
	working := T*float64(unsafe.Sizeof(ledgerRow{})+8+16*uintptr(NumChannels)) + 2*cells*T*8
	const growth = 2 // a slice grown by appending holds up to twice its length
	running := float64(min(max(workers, 1), cfg.Replications))
	e := Estimate{CustomerMonths: months * reps, PeakCustomers: peak, Customers: customers * reps, Settled: settled,
		Live:      running * (peak*float64(unsafe.Sizeof(customer{}))*growth + working),
		Held:      2 * running * perRep,
		Collected: accumulators * accumulatorBytes(cfg.Replications),
	}
	e.Bytes = e.Live + e.Held + e.Collected
	return e
}
