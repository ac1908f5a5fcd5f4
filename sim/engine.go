package sim

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"runtime/debug"
	"sync"

	"gonum.org/v1/gonum/stat/distuv"
)

// Version is the engine version recorded in every output's manifest.
const Version = "0.1.0"

// Options controls how a run is executed; nothing in it changes the numbers.
type Options struct {
	// Workers is the number of goroutines; 0 means runtime.GOMAXPROCS(0).
	Workers int
	// Progress, if set, is called after each replication with the number
	// done; calls are serialised.
	Progress func(done, total int)
	// MaxCustomers, if above 0, caps the customers a replication keeps in
	// memory at once: a replication that would keep more fails with a
	// *TooManyCustomersError instead of exhausting memory. Settled
	// customers (see settles) do not count. Like Workers, it never changes
	// the numbers of a run that completes.
	MaxCustomers int
}

// TooManyCustomersError is a replication that outgrew Options.MaxCustomers.
type TooManyCustomersError struct {
	Replication, Period, Limit int
}

func (e *TooManyCustomersError) Error() string {
	return fmt.Sprintf("replication %d: more than %d customers at once in period %d, beyond the memory limit", e.Replication, e.Limit, e.Period)
}

// InternalError is a panic in a worker, turned into an error: a defect in
// the engine, not in its input.
type InternalError struct {
	Value any    // what was passed to panic
	Stack []byte // the worker's stack when it panicked
}

func (e *InternalError) Error() string { return fmt.Sprintf("internal error: %v", e.Value) }

// Scenario is a named configuration to simulate.
type Scenario struct {
	Name   string
	Config Config
}

// Run simulates cfg.Replications independent worlds of the scenario named
// name, in parallel, and returns them all in replication order. The result
// depends only on cfg (seed included), never on opt. Its memory grows with
// the replications; Stream with a Collector does not.
func Run(ctx context.Context, name string, cfg Config, opt Options) (*Result, error) {
	res := &Result{Scenario: name, Config: cfg}
	err := Stream(ctx, []Scenario{{name, cfg}}, opt, func(_ int, reps []*Replication) error {
		res.Reps = append(res.Reps, *reps[0])
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// Stream simulates the replications of one or more scenarios, which need
// the same replication count, in lockstep: it calls visit(i, reps) for
// i = 0, 1, ... in order, one call at a time, with replication i of every
// scenario in scenario order, and stops at visit's first error. A worker
// simulates replication i of every scenario in turn, so at most two
// replications per worker are held at once, whatever the replication
// count: with a visitor that aggregates (Collector, or the paired
// statistics of package compare) a run's memory is flat in replications.
// What visit sees depends only on the configurations, never on opt;
// opt.Progress is called after each visit. Stream does not touch reps once
// visit has returned.
func Stream(ctx context.Context, scs []Scenario, opt Options, visit func(i int, reps []*Replication) error) error {
	if len(scs) == 0 {
		return errors.New("no scenario to simulate")
	}
	return StreamRange(ctx, scs, 0, scs[0].Config.Replications, opt, visit)
}

// StreamRange is Stream restricted to the replications lo, lo+1, ..., hi-1
// (0 <= lo <= hi <= the replication count): visit is called with those
// indices, in order. A replication's random numbers derive from the seed and
// its index alone, so replication i is the same whether it is simulated by
// Stream, by StreamRange over any range holding i, or in another process:
// this is what lets a run grow by adding replications, and be split into
// shards and merged. opt.Progress counts within the range.
func StreamRange(ctx context.Context, scs []Scenario, lo, hi int, opt Options, visit func(i int, reps []*Replication) error) error {
	if len(scs) == 0 {
		return errors.New("no scenario to simulate")
	}
	for _, sc := range scs {
		if err := sc.Config.Validate(); err != nil {
			return fmt.Errorf("scenario %s: %w", sc.Name, err)
		}
		if sc.Config.Replications != scs[0].Config.Replications {
			return fmt.Errorf("scenario %s has %d replications, scenario %s has %d; run in lockstep, they need the same number",
				sc.Name, sc.Config.Replications, scs[0].Name, scs[0].Config.Replications)
		}
	}
	if n := scs[0].Config.Replications; lo < 0 || hi < lo || hi > n {
		return fmt.Errorf("replications %d to %d: need 0 <= first <= end <= %d, the replication count", lo, hi, n)
	}
	n := hi - lo
	if n == 0 {
		return nil
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, n)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// A replication holds a slot from being handed out until it is
	// visited: slots bound the replications finished but not yet visited.
	slots := make(chan struct{}, 2*workers)
	jobs := make(chan int)
	go func() {
		defer close(jobs)
		for i := lo; i < hi; i++ {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	type finished struct {
		i    int
		reps []*Replication
		err  error
	}
	results := make(chan finished)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := newStreams()
			var buf []customer // reused from one replication to the next
			for i := range jobs {
				f := finished{i: i, reps: make([]*Replication, len(scs))}
				for k := range scs {
					rep, err := safeSimulate(ctx, &scs[k].Config, i, s, &buf, opt.MaxCustomers)
					if err != nil {
						f.err = fmt.Errorf("scenario %s: %w", scs[k].Name, err)
						break
					}
					f.reps[k] = &rep
				}
				select {
				case results <- f:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()

	waiting := map[int][]*Replication{}
	next := lo
	var firstErr error
	for f := range results {
		if firstErr != nil {
			continue // drain until the workers have stopped
		}
		if f.err != nil {
			firstErr = f.err
			cancel()
			continue
		}
		waiting[f.i] = f.reps
		for reps, ok := waiting[next]; ok; reps, ok = waiting[next] {
			delete(waiting, next)
			if err := visit(next, reps); err != nil {
				firstErr = err
				cancel()
				break
			}
			next++
			if opt.Progress != nil {
				opt.Progress(next-lo, n)
			}
			<-slots
		}
	}
	if firstErr == nil && next < hi {
		firstErr = fmt.Errorf("scenario %s: %w", scs[0].Name, ctx.Err())
	}
	return firstErr
}

// safeSimulate is simulate with a panic turned into an *InternalError
// (panics in a worker goroutine cannot be recovered anywhere else, and would
// end the process with the status of a usage error) and a value too large
// to aggregate into a *NonFiniteError (see checkFinite).
func safeSimulate(ctx context.Context, cfg *Config, rep int, s streams, buf *[]customer, maxCustomers int) (out Replication, err error) {
	defer func() {
		if v := recover(); v != nil {
			*buf = nil // it may be half-written
			err = &InternalError{Value: v, Stack: debug.Stack()}
		}
	}()
	if out, err = simulate(ctx, cfg, rep, s, buf, maxCustomers); err != nil {
		return Replication{}, err
	}
	return out, checkFinite(cfg, rep, &out)
}

// world is one replication in progress.
type world struct {
	m            *model
	cfg          *Config
	rep          int
	s            streams
	bases        []baseChurn // by segment, Beta(alpha, beta) of base churn, with this replication's churn parameters (M1, M13)
	customers    []customer
	everJoined   int          // customers ever acquired, initial ones included (Bass N)
	incidentMult float64      // M10: incident rate multiplier, 1 at the start
	staff        frontline    // M3's queue and M12's staff stock, in the current period
	comm         community    // M14's customer community, in the current period
	ledger       ledger       // settled customers (see settles)
	allSettle    bool         // every customer settles as it joins (see settlesAll)
	after        horizonValue // value after the horizon of the customers active at its end
	// live[join*NumChannels + channel] counts the stepped customers of each
	// join period and channel still active: each period's active customers
	// by channel and the cohort tables' Alive are read from it, not counted
	// customer by customer.
	live   []int
	oldest int // no customer of an earlier join period is live
	// By segment, the incident clock's factor this period (see due); and,
	// with declared segments, vpow[a] = (1+d)^-a for a = 0..T-1: the
	// discount from a customer's join period to a later period of the
	// horizon, or to the horizon itself for one acquired at period 1 or later
	// (see valueAfterHorizon; initial customers are not in segments' values).
	incidentFactor []float32
	vpow           []float64
	// maxCustomers caps len(customers) when above 0 (Options.MaxCustomers);
	// tooMany records the first join that would exceed it.
	maxCustomers int
	tooMany      error
	// trace, when set, records one customer's story (see Trace); nil in
	// every run but Trace's.
	trace *tracer
	out   Replication
}

// newWorld starts replication rep of cfg with no customers yet, keeping
// them in buf's storage. The storage is sized for the initial customers
// only when they are kept (stepped), not when every customer settles as it
// joins; it grows as customers join. With uncertain parameters, the world
// runs on its own copy of cfg with the replication's draws in place (see
// Config.Draws), recorded in its Replication's Assumptions.
func newWorld(cfg *Config, rep int, s streams, buf []customer, maxCustomers int) (*world, error) {
	draws := cfg.Draws(rep)
	configured := cfg.Churn
	cfg, err := cfg.With(draws)
	if err != nil {
		return nil, err
	}
	if draws != nil {
		if err := cfg.Validate(); err != nil { // relations between parameters
			return nil, fmt.Errorf("replication %d's draws of the uncertain parameters: %w", rep, err)
		}
	}
	T := cfg.Horizon.Periods
	w := &world{
		m: newModel(cfg), cfg: cfg, rep: rep, s: s, incidentMult: 1, staff: newFrontline(cfg), comm: community{cfg: cfg}, maxCustomers: maxCustomers,
		out: Replication{Series: make([][NumMetrics]float64, T), Cohorts: newCohortTable(cfg.Horizon), Assumptions: draws},
	}
	alpha, beta, err := churnParameters(cfg, s.at(key(cfg.Seed, uint64(rep)), procParams, 0).Rand())
	if err != nil {
		return nil, err
	}
	// Parameters fixed across replications are tabulated (see baseChurn).
	w.bases = []baseChurn{newBaseChurn(alpha, beta, alpha == configured.Alpha && beta == configured.Beta)}
	if len(cfg.Segments) > 0 {
		w.bases = make([]baseChurn, len(cfg.Segments))
		for k, sg := range cfg.Segments {
			w.bases[k] = newBaseChurn(sg.Churn.Alpha, sg.Churn.Beta, true)
		}
		w.out.Segments = newSegmentTable(len(cfg.Segments), T)
		w.vpow = make([]float64, T)
		for a, v := 0, 1.0; a < T; a, v = a+1, v*w.m.discount {
			w.vpow[a] = v
		}
	}
	w.incidentFactor = make([]float32, len(w.m.segs))
	w.allSettle = w.m.settlesAll()
	if n := cfg.Population.Initial; cap(buf) < n && !w.allSettle && (maxCustomers == 0 || n <= maxCustomers) {
		buf = make([]customer, 0, n)
	}
	w.customers = buf[:0]
	w.ledger = newLedger(T, &w.out.Cohorts)
	w.after = newHorizonValue(w.m)
	w.live = make([]int, T*int(NumChannels))
	return w, nil
}

// simulate runs replication rep of cfg, keeping its customers in *buf (and
// leaving the grown buffer there for the next replication), at most
// maxCustomers of them at once when that is above 0.
func simulate(ctx context.Context, cfg *Config, rep int, s streams, buf *[]customer, maxCustomers int) (Replication, error) {
	w, err := newWorld(cfg, rep, s, *buf, maxCustomers)
	if err != nil {
		return Replication{}, err
	}
	defer func() { *buf = w.customers[:0] }()
	return w.run(ctx)
}

// run simulates the world from its start to the horizon.
func (w *world) run(ctx context.Context) (Replication, error) {
	cfg := w.cfg // the replication's draws in place
	T := cfg.Horizon.Periods
	w.join(ctx, 0, ChannelInitial, cfg.Population.Initial)
	if w.tooMany != nil {
		return Replication{}, w.tooMany
	}
	var cumProfit, cumDiscounted float64
	v := 1.0
	for t := 0; t < T; t++ {
		if err := ctx.Err(); err != nil {
			return Replication{}, err
		}
		row := &w.out.Series[t]
		pending := w.step(ctx, t, row)
		if err := ctx.Err(); err != nil {
			return Replication{}, err
		}
		w.finish(t, row)
		cumProfit += row[Profit]
		cumDiscounted += row[Profit] * v
		v *= w.m.discount
		row[CumulativeProfit] = cumProfit
		row[CumulativeDiscountedProfit] = cumDiscounted
		if t+1 < T {
			next := &w.out.Series[t+1]
			for ch := ChannelPaid; ch < NumChannels; ch++ {
				w.join(ctx, t+1, ch, pending[ch])
				next[AcquiredPaid+Metric(ch-ChannelPaid)] = float64(pending[ch])
			}
			if w.tooMany != nil {
				return Replication{}, w.tooMany
			}
			paidLike := float64(pending[ChannelPaid] + pending[ChannelDiscount])
			next[CostAcquisition] = w.acquisitionCost(t+1, paidLike)
			next[CostReferral] = cfg.Advocacy.ReferralReward * float64(pending[ChannelReferral])
			next[Acquired] = paidLike + float64(pending[ChannelReferral])
		}
	}
	w.ledger.close(&w.out.Cohorts)
	w.out.Cohorts.closeExposed()
	w.valueAfterHorizon()
	return w.out, nil
}

// churnParameters returns the replication's (alpha, beta): the configured
// values, or, when churn.alpha_sd or churn.beta_sd is set (a fitted model's
// sampling uncertainty), a draw from the bivariate normal with those standard
// deviations and correlation churn.alpha_beta_corr, truncated to positive
// values.
func churnParameters(cfg *Config, r *rand.Rand) (float64, float64, error) {
	c := cfg.Churn
	if c.AlphaSD == 0 && c.BetaSD == 0 {
		return c.Alpha, c.Beta, nil
	}
	for try := 0; try < 1000; try++ {
		z1, z2 := r.NormFloat64(), r.NormFloat64()
		a := c.Alpha + c.AlphaSD*z1
		b := c.Beta + c.BetaSD*(c.AlphaBetaCorr*z1+math.Sqrt(1-c.AlphaBetaCorr*c.AlphaBetaCorr)*z2)
		if a > 0 && b > 0 {
			return a, b, nil
		}
	}
	return 0, 0, fmt.Errorf("churn.alpha_sd, churn.beta_sd: too wide for alpha %g and beta %g: no positive draw in 1000 tries", c.Alpha, c.Beta)
}

// join adds n customers of channel ch at the start of period t, in rank
// order, and records them in the cohort tables (M9).
func (w *world) join(ctx context.Context, t int, ch Channel, n int) {
	if n == 0 {
		return
	}
	ct := &w.out.Cohorts
	cell := ct.joinCell(t, ch)
	row := cell * ct.Ages // the customer's age a is at row + a
	shared := joinKey(w.cfg.Seed, w.rep, t, ch)
	for rank := 0; rank < n; rank++ {
		if rank&(1<<14-1) == 0 && ctx.Err() != nil {
			return // the run is cancelled; simulate reports it
		}
		c := customer{key: customerKey(shared, rank), cohort: int32(row - t)}
		k := 0
		if w.m.segmented {
			k = pick(w.m.cdf[ch], uniform(w.s.at(c.key, procSegment, 0).pcg.Uint64()))
			w.out.Segments.joined(t, k, ch)
			if ch == ChannelPaid || ch == ChannelDiscount {
				w.out.Segments.row(t, k)[SegmentCostAcquisition] += w.m.segs[k].cac
			}
		}
		c.kind = kindOf(ch, k)
		s := w.s.at(c.key, procTraits, 0)
		w.m.traits(&c, t, s, &w.bases[k])
		traced := w.trace != nil && c.key == w.trace.key
		if traced {
			w.trace.joined(&c)
		}
		g, ok := float64(c.goodwill), w.allSettle
		if !ok {
			g, ok = w.m.settles(&c, t)
		}
		if ok {
			if traced {
				w.trace.settled(w.m, &c, t, w.cfg.Horizon.Periods, g)
			}
			w.settle(&c, t, g)
			continue
		}
		if len(w.customers) == cap(w.customers) && !w.makeRoom() {
			w.tooMany = &TooManyCustomersError{Replication: w.rep, Period: t, Limit: w.maxCustomers}
			return
		}
		startClocks(&c, s)
		w.customers = append(w.customers, c)
		w.live[t*int(NumChannels)+int(ch)]++
	}
	w.everJoined += n
	ct.Joined[cell] += float64(n)
	ct.Exposed[cell*ct.Ages+ct.Ages-1-t] += float64(n) // exposed up to age Ages-1-t: summed by closeExposed
}

// makeRoom grows the storage of a full customer slice, doubling it, and
// reports false when it holds maxCustomers (when above 0) already. Growing
// by hand, rather than by append, bounds the address space the arrays take
// near that cap: a doubling that would pass half of it goes to the cap at
// once, so the array being copied is at most half the cap and every array
// the slice ever had sums to at most two caps (see
// Estimate.MaxCustomersWithin).
func (w *world) makeRoom() bool {
	n := len(w.customers)
	grown := 2*n + 1024
	if w.maxCustomers > 0 {
		if n >= w.maxCustomers {
			return false
		}
		if grown > w.maxCustomers/2 {
			grown = w.maxCustomers
		}
	}
	w.customers = append(make([]customer, 0, grown), w.customers...)
	return true
}

// untapped is the untapped share of the market, (M - N)/M, or 1 when the
// market is unlimited (Bass 1969).
func (w *world) untapped() float64 {
	M := w.cfg.Market.Potential
	if M == 0 {
		return 1
	}
	return math.Max(0, float64(M-w.everJoined)/float64(M))
}

// step lives period t for every active customer, removes those who churn
// and returns the acquisitions that join at the start of period t+1, by
// channel.
//
// It also watches ctx every few thousand customers and returns at once,
// leaving the period unfinished, when the run is cancelled: a period of
// millions of customers stops within a fraction of a second.
func (w *world) step(ctx context.Context, t int, row *[NumMetrics]float64) (pending [NumChannels]int) {
	m, cfg := w.m, w.cfg
	w.convene(t)
	m.apply(&w.staff)
	untapped := w.untapped()
	// The recurring processes' survival factors this period (see due).
	for k, sg := range m.segs {
		w.incidentFactor[k] = float32(math.Exp(-cfg.Incidents.Rate * w.incidentMult * sg.incidents))
	}
	row[IncidentRate] = cfg.Incidents.Rate * w.incidentMult
	ct := &w.out.Cohorts
	// The busiest sums are locals, not fields of row.
	var complaints, goodwill float64
	var promoters, detractors int
	var revenueSum, discounts float64
	// A customer who leaves is replaced by the last one, which is then
	// stepped in its place: survivors are never copied. The order of
	// customers changes, identically for any number of workers.
	cs, active, margin := w.customers, float64(len(w.customers)), ct.Margin
	tr := w.trace
	byChannel := w.countLive(t) // before any of them leaves
	for i := 0; i < len(cs); {
		if ctx.Err() != nil {
			return pending
		}
		// The customers up to the next check of ctx.
		for end := min(i+1<<14, len(cs)); i < end; {
			c := &cs[i]
			tenure, cell := t-int(c.since), int(c.cohort)+t
			g := float64(c.goodwill)
			seg := &m.segs[c.segment()]
			var e experience

			revenue, given, tariff := m.bill(c, tenure, g)
			discounts += given
			e.good, e.bad = tariff.good*seg.price, tariff.bad*seg.price
			cost := cfg.Pricing.UnitCost + m.staffCost*seg.contacts // staff follow contacts (M12, M13)

			if due(&c.contact, seg.contactFactor) {
				n, r := w.s.fire(&c.contact, c.key, procContacts, t, false)
				var sc float64
				var h, u int
				e, sc, h, u = m.serve(r, n, e)
				cost += sc
				row[CostService] += sc
				row[Contacts] += float64(n)
				row[HumanContacts] += float64(h)
				complaints += float64(u)
				if tr != nil {
					tr.contacts(c.key, n, h, u)
				}
			}
			if due(&c.incident, w.incidentFactor[c.segment()]) {
				n, r := w.s.fire(&c.incident, c.key, procIncidents, t, false)
				var gs int
				var fees, fix, gc float64
				e, gs, fees, fix, gc = m.fail(r, n, e)
				revenue += fees
				cost += fix + gc
				row[Fees] += fees
				row[CostIncidents] += fix
				row[CostGestures] += gc
				row[IncidentCount] += float64(n)
				row[Gestures] += float64(gs)
				complaints += float64(n)
				if tr != nil {
					tr.incidents(c.key, n, gs, fees)
				}
			}
			if advisable(c, t) && due(&c.plan, m.planFactor[b2i(c.overpay)]) {
				_, r := w.s.fire(&c.plan, c.key, procPlan, t, true)
				var movedDown bool
				wasOverpay := c.overpay
				if e, movedDown = m.plan(c, t, r, e); movedDown {
					row[AdviceTaken]++
				}
				if tr != nil {
					tr.plan(c.key, wasOverpay, movedDown)
				}
			}
			revenueSum += revenue

			e.good *= seg.fit
			g = m.updateGoodwill(g, e)
			c.goodwill = float32(g)
			goodwill += g
			promoter, detractor := m.recommend(g, float64(c.ltr))
			promoters += promoter
			detractors += detractor
			// The referral clock runs only while the customer is a promoter.
			if due(&c.refer, m.referFactor[promoter]) {
				_, r := w.s.fire(&c.refer, c.key, procReferrals, t, true)
				row[Referrals]++
				converted := m.refer(uniform(r.pcg.Uint64()), untapped)
				if converted {
					pending[ChannelReferral]++
				}
				if tr != nil {
					tr.refer(c.key, converted)
				}
			}

			margin[cell] += revenue - cost
			var segRow *[NumSegmentMetrics]float64
			if m.segmented {
				segRow = w.account(c, t, revenue, revenue-cost)
			}

			hazard := m.hazard(c, g, e)
			left := m.leaves(c, hazard)
			if tr != nil && c.key == tr.key {
				tr.period(m, c, t, g, revenue, cost, given, e, hazard, left)
			}
			if left {
				if segRow != nil {
					segRow[SegmentChurned]++
				}
				w.live[w.group(c)]--
				last := len(cs) - 1
				cs[i] = cs[last]
				cs, end = cs[:last], min(end, last)
				continue
			}
			i++
		}
	}
	churned := float64(len(w.customers) - len(cs))
	w.customers = cs
	settled, settledChurned := w.ledger.advance(t)
	active += settled.active
	row[Active] = active
	row[Revenue] = revenueSum + settled.revenue
	row[DiscountsGiven] = discounts + settled.discounts
	row[CostVariable] = active * cfg.Pricing.UnitCost
	row[Churned] = churned + settledChurned
	for ch := range byChannel {
		row[ActiveInitial+Metric(ch)] = byChannel[ch] + settled.byChannel[ch]
	}
	w.comm.promoters = float64(promoters) + settled.promoters // M14: next period's community grows from them
	if active > 0 {
		row[GoodwillMean] = (goodwill + settled.goodwill) / active
		row[Promoters] = (float64(promoters) + settled.promoters) / active
		row[Detractors] = (float64(detractors) + settled.detractors) / active
		row[Passives] = 1 - row[Promoters] - row[Detractors]
		row[NPS] = 100 * (row[Promoters] - row[Detractors])
		w.incidentMult = w.m.learn(w.incidentMult, complaints/active)
	}
	row[CostLearning] = cfg.Learning.Budget * active
	w.recordCommunity(row)
	w.acquire(t, untapped, row[Detractors], &pending)
	return pending
}

// account adds customer c's period t, its revenue and margin, to its
// segment's row of the segment table (M13) and its lifetime value and CAC
// payback sums, and returns the row.
func (w *world) account(c *customer, t int, revenue, margin float64) *[NumSegmentMetrics]float64 {
	st, k := &w.out.Segments, c.segment()
	r := st.row(t, k)
	r[SegmentActive]++
	r[SegmentRevenue] += revenue
	r[SegmentMargin] += margin
	age := t - w.group(c)/int(NumChannels)
	switch c.channel() {
	case ChannelPaid, ChannelDiscount:
		st.PaidMargin[k*st.Periods+age] += margin
		fallthrough
	case ChannelReferral:
		st.Value[k] += margin * w.vpow[age]
	}
	return r
}

// acquisitionCost is the cost of the paidLike paid and discount customers
// joining at the start of period t: market.cac each, or with declared
// segments the sum of their segments' CACs (M13).
func (w *world) acquisitionCost(t int, paidLike float64) float64 {
	if !w.m.segmented {
		return w.cfg.Market.CAC * paidLike
	}
	cost := 0.0
	for k := range w.m.segs {
		cost += w.out.Segments.row(t, k)[SegmentCostAcquisition]
	}
	return cost
}

// group is customer c's index in live. Its cohort-table row, a multiple
// of Ages, less its join period, which is below Ages, gives the period.
func (w *world) group(c *customer) int {
	ages := w.out.Cohorts.Ages
	join := (ages - int(c.cohort)%ages) % ages
	return join*int(NumChannels) + int(c.channel())
}

// countLive adds the stepped customers active in period t to the cohort
// tables' Alive and returns them by channel.
func (w *world) countLive(t int) (byChannel [NumChannels]float64) {
	ct := &w.out.Cohorts
	for w.oldest < t && [NumChannels]int(w.live[w.oldest*int(NumChannels):]) == [NumChannels]int{} {
		w.oldest++
	}
	for join := w.oldest; join <= t; join++ {
		for ch := range NumChannels {
			if n := w.live[join*int(NumChannels)+int(ch)]; n > 0 {
				ct.Alive[ct.joinCell(join, ch)*ct.Ages+t-join] += float64(n)
				byChannel[ch] += float64(n)
			}
		}
	}
	return byChannel
}

// acquire is M6: paid and discount-led acquisitions in period t, joining at
// the start of t+1. Paid acquisitions are Poisson(paid_per_period x untapped
// x deterrence), discount-led ones Poisson(paid_per_period x lift x depth x
// untapped x deterrence), where deterrence = 1 - market.deterrence x
// detractor share (negative word of mouth). With referrals (see refer) the
// expected total is Bass's (p + q N/M)(M - N) with p = paid_per_period/M.
// Acquisitions are capped at the untapped market.
func (w *world) acquire(t int, untapped, detractorShare float64, pending *[NumChannels]int) {
	cfg := w.cfg
	base := cfg.Market.PaidPerPeriod * untapped * (1 - cfg.Market.Deterrence*detractorShare)
	r := w.s.at(key(cfg.Seed, uint64(w.rep)), procMarket, t)
	draw := func(lambda float64) int {
		if lambda <= 0 {
			return 0
		}
		return int(distuv.Poisson{Lambda: lambda, Src: r.pcg}.Rand())
	}
	pending[ChannelPaid] = draw(base)
	pending[ChannelDiscount] = draw(base * cfg.Discounts.Lift * w.m.acqDepth)
	if M := cfg.Market.Potential; M > 0 {
		room := M - w.everJoined
		for _, ch := range []Channel{ChannelReferral, ChannelDiscount, ChannelPaid} {
			pending[ch] = min(pending[ch], room)
			room -= pending[ch]
		}
	}
}

// contactLoad is period t's active customers, each weighted by its
// segment's contact_rate multiplier (M13): the frontline is sized for, and
// its cost shared by, the contacts they are expected to make. Without
// segments it is active.
func (w *world) contactLoad(t int, active float64) float64 {
	if !w.m.segmented {
		return active
	}
	load := 0.0
	for k, sg := range w.m.segs {
		load += w.out.Segments.row(t, k)[SegmentActive] * sg.contacts
	}
	return load
}

// finish turns period t's sums into its rates and money totals, records
// the frontline of period t and moves it on to period t+1 (the state after
// the last period is the horizon's).
func (w *world) finish(t int, row *[NumMetrics]float64) {
	w.staff.record(w.cfg, row, w.contactLoad(t, row[Active]))
	w.staff.advance()
	if row[Active] > 0 {
		row[ChurnRate] = row[Churned] / row[Active]
		row[RetentionRate] = 1 - row[ChurnRate]
	}
	if n := w.cfg.Population.Initial; n > 0 {
		row[Survival] = row[ActiveInitial] / float64(n)
	}
	row[Cost] = row[CostVariable] + row[CostService] + row[CostIncidents] + row[CostGestures] + row[CostReferral] + row[CostAcquisition] + row[CostStaff] + row[CostLearning]
	row[Profit] = row[Revenue] - row[Cost]
}
