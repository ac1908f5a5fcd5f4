package sim

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"runtime"
	"slices"
	"sort"
	"testing"

	"gonum.org/v1/gonum/stat"
)

// Up to ExactQuantiles values an Accumulator is exact: the mean and
// standard deviation agree with gonum's two-pass formulas to rounding, the
// quantiles are gonum's LinInterp quantiles bit for bit, and NaN values are
// left out.
func TestAccumulatorIsExactUpToItsCapacity(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 2, 3, 17, ExactQuantiles} {
		var a Accumulator
		xs := make([]float64, 0, n)
		for range n {
			x := 1e6 + 3e4*r.NormFloat64() // low spread about a large mean, like cumulative profit
			xs = append(xs, x)
			a.Add(x)
			a.Add(math.NaN())
		}
		got := a.Stat()
		slices.Sort(xs)
		mean, sd := stat.Mean(xs, nil), 0.0
		if n > 1 {
			sd = stat.StdDev(xs, nil)
		}
		if a.N() != n || math.Abs(got.Mean-mean) > 1e-12*mean || math.Abs(got.SD-sd) > 1e-9*sd {
			t.Errorf("n %d: N %d, mean %v, sd %v; want %v, %v", n, a.N(), got.Mean, got.SD, mean, sd)
		}
		for _, q := range []struct {
			p         float64
			got, want float64
		}{{0.05, got.P05, 0}, {0.5, got.P50, 0}, {0.95, got.P95, 0}} {
			if want := stat.Quantile(q.p, stat.LinInterp, xs, nil); q.got != want {
				t.Errorf("n %d: quantile %v = %v, want %v", n, q.p, q.got, want)
			}
		}
	}
	var empty Accumulator
	if s := empty.Stat(); !math.IsNaN(s.Mean) || !math.IsNaN(s.SD) || !math.IsNaN(s.P05) || !math.IsNaN(s.P50) || !math.IsNaN(s.P95) {
		t.Errorf("empty accumulator: %+v, want NaN everywhere", s)
	}
}

// digestLaws are the laws TestDigestRankError feeds digests: normal about
// a large mean (low spread, as cumulative profit), lognormal (skewed, as
// lifetime value), a discrete one (ties, as a crossover period), and
// values arriving in increasing order with noise (a trend, the hard case
// of a merging digest).
var digestLaws = []struct {
	name string
	draw func(r *rand.Rand, i int) float64
}{
	{"normal", func(r *rand.Rand, _ int) float64 { return 1e7 + 1e4*r.NormFloat64() }},
	{"lognormal", func(r *rand.Rand, _ int) float64 { return math.Exp(2 * r.NormFloat64()) }},
	{"discrete", func(r *rand.Rand, _ int) float64 { return math.Round(20 + 3*r.NormFloat64()) }},
	{"trend", func(r *rand.Rand, i int) float64 { return float64(i) + 50*r.NormFloat64() }},
}

// rankErrors feeds a digest of scale s n values of a law and returns, for
// the 5%, 50% and 95% quantiles, how far the rank of its estimate is from
// the quantile's own rank, in Monte Carlo standard errors sqrt(q(1-q)/n),
// and the digest, merged.
func rankErrors(s *targetScale, draw func(*rand.Rand, int) float64, n int) ([3]float64, *digest) {
	r := rand.New(rand.NewPCG(uint64(n), 7))
	d := newDigestOf(s)
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = draw(r, i)
		d.add(xs[i])
	}
	sort.Float64s(xs)
	var errs [3]float64
	for k, q := range []float64{0.05, 0.5, 0.95} {
		v := d.quantile(q)
		// The ranks of v: from the values below it to those not above it.
		lo := float64(sort.SearchFloat64s(xs, v)) / float64(n)
		hi := float64(sort.Search(n, func(i int) bool { return xs[i] > v })) / float64(n)
		errs[k] = max(0, lo-q, q-hi) / math.Sqrt(q*(1-q)/float64(n))
	}
	return errs, d
}

// TestDigestRankError: beyond ExactQuantiles values, the 5%, 50% and 95%
// quantiles come from a t-digest. The rank of each estimate in the sorted
// values must be within one Monte Carlo standard error of the quantile's
// own rank, sqrt(q(1-q)/n): the digest adds less error than the sampling
// it summarises, at 1,000 and 10,000 values (the replications of large
// runs) and 50,000. Its arrays keep the capacity accumulatorBytes counts.
// A digest 20 times coarser at the targets fails the same test, so the
// test can tell.
func TestDigestRankError(t *testing.T) {
	for _, law := range digestLaws {
		for _, n := range []int{1000, 10000, 50000} {
			errs, d := rankErrors(digestScale, law.draw, n)
			t.Logf("%s, %d values: rank errors %.2f, %.2f, %.2f standard errors, %d centroids", law.name, n, errs[0], errs[1], errs[2], d.merged)
			for k, q := range []float64{0.05, 0.5, 0.95} {
				if errs[k] > 1 {
					t.Errorf("%s, %d values: quantile %v has a rank error of %.2f standard errors", law.name, n, q, errs[k])
				}
			}
			if cap(d.means) != digestCapacity || cap(d.weights) != digestCapacity {
				t.Errorf("%s, %d values: arrays of %d and %d entries, want %d", law.name, n, cap(d.means), cap(d.weights), digestCapacity)
			}
		}
	}
	coarse := newTargetScale([]float64{0.05, 0.5, 0.95}, 0.2, 0.5)
	worst := 0.0
	for _, law := range digestLaws {
		errs, _ := rankErrors(coarse, law.draw, 10000)
		worst = max(worst, errs[0], errs[1], errs[2])
	}
	t.Logf("a digest 20 times coarser: worst rank error %.2f standard errors at 10,000 values", worst)
	if worst <= 1 {
		t.Errorf("a digest 20 times coarser: worst rank error %.2f standard errors, want above 1", worst)
	}
}

// testReplications are four small replications of the default world, to
// be fed to a collector in turn: different enough that its accumulators
// hold their values (see Accumulator's constant runs).
func testReplications(t testing.TB, periods int) (Config, []Replication) {
	cfg := Default()
	cfg.Population.Initial = 200
	cfg.Horizon.Periods = periods
	cfg.Replications = 4
	r, err := Run(context.Background(), "test", cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return cfg, r.Reps
}

// heapAfter is the live heap after f has run and the collector it returns
// is still reachable.
func heapAfter(f func() *Collector) uint64 {
	c := f()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	runtime.KeepAlive(c)
	return m.HeapAlloc
}

// A Collector's memory is flat in the replications beyond ExactQuantiles:
// 8000 replications leave it no larger than 2000 (within 5%), and within
// EstimateRun's forecast of it.
func TestCollectorMemoryIsFlatInReplications(t *testing.T) {
	if testing.Short() {
		t.Skip("feeds 8000 replications")
	}
	cfg, reps := testReplications(t, 12)
	collect := func(n int) func() *Collector {
		return func() *Collector {
			c := NewCollector("test", cfg)
			for i := range n {
				c.Add(&reps[i%len(reps)])
			}
			return c
		}
	}
	base := heapAfter(func() *Collector { return nil })
	at2k, at8k := heapAfter(collect(2000))-base, heapAfter(collect(8000))-base
	t.Logf("collector: %d bytes after 2000 replications, %d after 8000", at2k, at8k)
	if float64(at8k) > 1.05*float64(at2k) {
		t.Errorf("collector grew from %d to %d bytes between 2000 and 8000 replications", at2k, at8k)
	}
	cfg.Replications = 8000
	if est := EstimateRun(cfg, 1).Collected; float64(at8k) > est {
		t.Errorf("collector holds %d bytes, above the forecast %.0f", at8k, est)
	}
}

// A Collector's memory grows no faster than the horizon: at ExactQuantiles
// replications, where every accumulator holds all its values, a horizon
// four times as long (40 years rather than 10, monthly) takes at most four
// times the memory (within 10% for the spare capacity of slices), where
// statistics of every yearly cohort at every age took six; and
// it is within EstimateRun's forecast.
func TestCollectorMemoryIsLinearInTheHorizon(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates 40 years")
	}
	held := func(periods int) (Config, float64) {
		cfg, reps := testReplications(t, periods)
		base := heapAfter(func() *Collector { return nil })
		return cfg, float64(heapAfter(func() *Collector {
			c := NewCollector("test", cfg)
			for i := range ExactQuantiles {
				c.Add(&reps[i%len(reps)])
			}
			return c
		}) - base)
	}
	_, short := held(120)
	cfg, long := held(480)
	t.Logf("collector: %.0f bytes at 120 periods, %.0f at 480", short, long)
	if long > 4*1.1*short {
		t.Errorf("collector grew %.1f times from 120 to 480 periods, more than the horizon (4 times)", long/short)
	}
	cfg.Replications = ExactQuantiles
	if est := EstimateRun(cfg, 1).Collected; long > est {
		t.Errorf("collector holds %.0f bytes at 480 periods, above the forecast %.0f", long, est)
	}
}

// A collector told to expect more than ExactQuantiles replications keeps
// no exact values, and its Summary is the same, bit for bit, whether it was
// told before the first replication or after some, up to ExactQuantiles
// (the values kept so far move into digests in order), even for metrics
// that take no value after it was told (the last replications here have
// none); told to expect ExactQuantiles, it keeps them and its Summary is
// that of a collector told nothing.
func TestCollectorExpectIsTheSameAtAnyTime(t *testing.T) {
	cfg, reps := testReplications(t, 12)
	blank := reps[0]
	blank.Series = slices.Clone(blank.Series)
	for i := range blank.Series {
		for m := range blank.Series[i] {
			blank.Series[i][m] = math.NaN()
		}
	}
	summary := func(n, at int) string {
		c := NewCollector("test", cfg)
		for i := range n {
			if i == at {
				c.Expect(n)
			}
			rep := &reps[i%len(reps)]
			if i >= n-50 {
				rep = &blank
			}
			c.Add(rep)
		}
		exact := 0
		c.each(func(a *Accumulator) {
			if a.values != nil {
				exact++
			}
		})
		if n > ExactQuantiles && exact > 0 {
			t.Errorf("%d replications, expected after %d: %d accumulators hold exact values", n, at, exact)
		}
		return fmt.Sprintf("%v", *c.Summary())
	}
	n := ExactQuantiles + 50
	first := summary(n, 0)
	for _, at := range []int{1, 100, ExactQuantiles} {
		if summary(n, at) != first {
			t.Errorf("%d replications, expected after %d: the summary differs from one expected from the start", n, at)
		}
	}
	if summary(ExactQuantiles, 0) != summary(ExactQuantiles, -1) {
		t.Errorf("%d replications: expecting them changed the summary", ExactQuantiles)
	}
}

// Stream visits replication i of every scenario, for i in order, with the
// replications Run gives each scenario alone, whatever the workers; it
// stops at the first error of visit and returns it.
func TestStreamVisitsInLockstep(t *testing.T) {
	a, b := Default(), Default()
	for _, c := range []*Config{&a, &b} {
		c.Population.Initial = 300
		c.Horizon.Periods = 12
		c.Replications = 7
	}
	b.Policy.Giving = 1
	scs := []Scenario{{"a", a}, {"b", b}}
	alone := []*Result{run(t, a), run(t, b)}
	for _, workers := range []int{1, 3} {
		next := 0
		err := Stream(context.Background(), scs, Options{Workers: workers}, func(i int, reps []*Replication) error {
			if i != next {
				t.Fatalf("%d workers: visited replication %d, want %d", workers, i, next)
			}
			next++
			for k := range reps {
				if !reflect.DeepEqual(*reps[k], alone[k].Reps[i]) {
					t.Errorf("%d workers: replication %d of %s differs from the scenario run alone", workers, i, scs[k].Name)
				}
			}
			return nil
		})
		if err != nil || next != a.Replications {
			t.Errorf("%d workers: visited %d replications, error %v; want %d, none", workers, next, err, a.Replications)
		}
	}
	stop := errors.New("stop")
	visited := 0
	err := Stream(context.Background(), scs, Options{}, func(i int, _ []*Replication) error {
		visited++
		if i == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || visited != 3 {
		t.Errorf("visit failing at replication 2: %d visits, error %v; want 3 and the visit's error", visited, err)
	}
	b.Replications = 6
	if err := Stream(context.Background(), []Scenario{{"a", a}, {"b", b}}, Options{}, func(int, []*Replication) error { return nil }); err == nil {
		t.Error("scenarios with 7 and 6 replications: no error")
	}
}

// referenceStat is the Stat of xs (no NaN) computed as an Accumulator
// without constant runs would: exact quantiles of all the values up to
// ExactQuantiles of them, else those of a digest fed every value in order.
func referenceStat(xs []float64) Stat {
	var m Moments
	for _, x := range xs {
		m.Add(x)
	}
	q := func(p float64) float64 {
		if len(xs) > ExactQuantiles {
			d := newDigest()
			for _, x := range xs {
				d.add(x)
			}
			return d.quantile(p)
		}
		sorted := slices.Sorted(slices.Values(xs))
		return stat.Quantile(p, stat.LinInterp, sorted, nil)
	}
	return Stat{Mean: m.Mean(), SD: m.SD(), P05: q(0.05), P50: q(0.5), P95: q(0.95)}
}

// An Accumulator fed a constant run, alone or followed by other values,
// gives the Stat of the values it would have kept, bit for bit, on either
// side of ExactQuantiles, for numbers whose quantile arithmetic rounds (0.1)
// or is at the edge of the range, and for -0, which is not held as a run.
func TestAccumulatorConstantRunsAreExact(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, x := range []float64{0.1, 3, 0, math.Copysign(0, -1), 1e-300, -7.5, math.MaxFloat64} {
		for _, run := range []int{1, 7, ExactQuantiles, ExactQuantiles + 1, 1000} {
			for _, after := range []int{0, 1, 300} {
				xs := make([]float64, 0, run+after)
				for range run {
					xs = append(xs, x)
				}
				for range after {
					xs = append(xs, r.NormFloat64())
				}
				var a Accumulator
				for _, v := range xs {
					a.Add(v)
				}
				got, want := a.Stat(), referenceStat(xs)
				for i, g := range []float64{got.Mean, got.SD, got.P05, got.P50, got.P95} {
					w := []float64{want.Mean, want.SD, want.P05, want.P50, want.P95}[i]
					if math.Float64bits(g) != math.Float64bits(w) {
						t.Errorf("%v x %d then %d others: field %d is %v, want %v", x, run, after, i, g, w)
					}
				}
			}
		}
	}
}
