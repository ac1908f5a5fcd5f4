package sim

import (
	"math"
	"testing"
)

// TestCustomerKeyIsTheKeyOfItsIdentity checks that customerKey, computed
// from joinKey, is key(seed, replication, join period, channel, rank).
func TestCustomerKeyIsTheKeyOfItsIdentity(t *testing.T) {
	for _, id := range [][5]uint64{{1, 0, 0, 0, 0}, {42, 3, 17, uint64(ChannelReferral), 12345}, {7, 99, 0, uint64(ChannelInitial), 1 << 40}} {
		got := customerKey(joinKey(id[0], int(id[1]), int(id[2]), Channel(id[3])), int(id[4]))
		if want := key(id[0], id[1], id[2], id[3], id[4]); got != want {
			t.Errorf("customerKey%v = %x, want %x", id, got, want)
		}
	}
}

// TestClocksFollowTheirLaw runs clocks (see due) for a few periods and
// checks each period's number of events against its law: Poisson(lambda)
// for a recurring process, Bernoulli(p) for a chance process. With n
// clock-periods the mean must be within 4.5 standard errors
// (sqrt(variance/n)) of the law's, the share of periods without an event
// within 4.5 standard errors of e^-lambda or 1 - p, and the correlation of
// one period's count with the next within 4.5/sqrt(n) of 0 (the clocks
// are memoryless): each check fails by chance about once in 150,000 runs.
// The busiest rate is the largest a configuration allows.
func TestClocksFollowTheirLaw(t *testing.T) {
	const clocks, periods = 20000, 3
	for _, tc := range []struct {
		name string
		once bool
		rate float64 // lambda, or the chance p
	}{
		{"recurring, rare", false, 0.03},
		{"recurring", false, 0.3},
		{"recurring, busy", false, 5},
		{"recurring, at the largest rate", false, maxHazard},
		{"chance", true, 0.2},
		{"chance, certain", true, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q, mean, variance, none := math.Exp(-tc.rate), tc.rate, tc.rate, math.Exp(-tc.rate)
			if tc.once {
				q, mean, variance, none = 1-tc.rate, tc.rate, tc.rate*(1-tc.rate), 1-tc.rate
			}
			s := newStreams()
			var sum, zeros, pairs, cross, sumPrev, sumNext float64
			for i := range clocks {
				k := customerKey(7, i)
				clock := startClock(s.at(k, procTraits, 0).pcg.Uint64())
				prev := 0
				for p := range periods {
					n := 0
					if due(&clock, float32(q)) {
						n, _ = s.fire(&clock, k, procContacts, p, tc.once)
					}
					sum += float64(n)
					zeros += float64(b2i(n == 0))
					if p > 0 {
						pairs++
						cross += float64(prev * n)
						sumPrev += float64(prev)
						sumNext += float64(n)
					}
					prev = n
				}
			}
			N := float64(clocks * periods)
			if got, se := sum/N, math.Sqrt(variance/N); math.Abs(got-mean) > 4.5*se+1e-12 {
				t.Errorf("mean events a period %.5f, want %.5f (standard error %.5f)", got, mean, se)
			}
			if got, se := zeros/N, math.Sqrt(none*(1-none)/N); math.Abs(got-none) > 4.5*se+1e-12 {
				t.Errorf("share of periods without an event %.5f, want %.5f (standard error %.5f)", got, none, se)
			}
			if variance > 0 {
				cov := cross/pairs - sumPrev/pairs*sumNext/pairs
				if corr, limit := cov/variance, 4.5/math.Sqrt(pairs); math.Abs(corr) > limit {
					t.Errorf("correlation of consecutive periods' events %.4f, above %.4f", corr, limit)
				}
			}
		})
	}
}

// TestClockKeepsItsPrecision checks that a clock (see due) knows its
// remaining hazard R to float32 precision after a period of any hazard a
// configuration allows: log(clock) = R - h within 2 x 6e-8 x max(1, |R|, h)
// (the rounding of the factor and of the product). A clock whose factor or
// value fell below float32's normal numbers would be off by far more.
func TestClockKeepsItsPrecision(t *testing.T) {
	for _, key := range []string{"service.contact_rate", "incidents.rate"} {
		p, _ := Lookup(key)
		for _, h := range []float64{0.03, 1, 30, p.Max} {
			for _, u := range []uint64{0, 1 << 11, 1 << 62, 1<<64 - 1} {
				clock := startClock(u)
				R := -math.Log(open(u))
				due(&clock, float32(math.Exp(-h)))
				got, want := math.Log(float64(clock)), R-h
				if tol := 2 * 6e-8 * max(1, math.Abs(R), h); math.Abs(got-want) > tol {
					t.Errorf("%s = %g, R = %g: log(clock) = %.9g after a period, want %.9g", key, h, R, got, want)
				}
			}
		}
	}
}
