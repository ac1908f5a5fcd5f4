package sim

import (
	"fmt"
	"math"
	"sort"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// TestGammaFollowsItsLaw checks stream.gamma against the Gamma(a, 1)
// distribution function with a one-sample Kolmogorov-Smirnov test at the
// 0.1% level (D <= 1.95/sqrt(n)), on either side of the boost's range.
func TestGammaFollowsItsLaw(t *testing.T) {
	const n = 20000
	s := newStreams()
	for _, a := range []float64{0.1, 0.2, 0.5, 0.704, 0.99, 1, 1.182, 5} {
		t.Run(fmt.Sprint(a), func(t *testing.T) {
			r := s.at(key(uint64(a*1000)), procTraits, 0)
			xs := make([]float64, n)
			for i := range xs {
				xs[i] = r.gamma(a)
			}
			sort.Float64s(xs)
			law := distuv.Gamma{Alpha: a, Beta: 1}
			d := 0.0
			for i, x := range xs {
				f := law.CDF(x)
				d = max(d, math.Abs(f-float64(i)/n), math.Abs(f-float64(i+1)/n))
			}
			if limit := 1.95 / math.Sqrt(n); d > limit {
				t.Errorf("Kolmogorov-Smirnov D = %.4f, above %.4f", d, limit)
			}
		})
	}
}

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
