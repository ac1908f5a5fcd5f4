package sim

import (
	"fmt"
	"math"
	"sort"
	"testing"

	"gonum.org/v1/gonum/mathext"
)

// tableRegimes are betaRegimes and larger parameters, where the law is
// narrow.
var tableRegimes = append(betaRegimes[:len(betaRegimes):len(betaRegimes)], struct{ alpha, beta float64 }{200, 5000}, struct{ alpha, beta float64 }{1e-3, 1e9})

// tableDistance returns the Kolmogorov-Smirnov distances between the
// table's laws and Beta(alpha, beta)'s, of the number x and of the hazard
// -log(1 - x), evaluated on a fine grid: 20001 even points in x and
// points spaced by a factor of 10^(1/20) towards 0 and towards 1, each
// mapped to its hazard for the second distance. The table's distribution
// function is worked out from its cells alone, by the definition of
// linear interpolation; in its end cells, which it draws exactly, it is
// the law's.
func tableDistance(tb *betaTable, alpha, beta float64) (dx, dhz float64) {
	var grid []float64
	for k := 0; k <= 20000; k++ {
		grid = append(grid, float64(k)/20000)
	}
	for k := 20; k <= 6000; k++ {
		grid = append(grid, math.Pow(10, -float64(k)/20), 1-math.Pow(10, -float64(k)/20))
	}
	// cdf is the table's distribution function at v on the cells' nodes
	// (x or hazard), the Beta law's lawCDF outside the interior cells.
	cdf := func(cells *[betaCells]betaCell, v, law float64) float64 {
		lo, hi := cells[1].at, cells[betaCells-2].at+cells[betaCells-2].width
		if v < lo || v >= hi {
			return law
		}
		i := 1 + sort.Search(betaCells-2, func(j int) bool { c := cells[1+j]; return c.at+c.width > v })
		c := cells[i]
		return (float64(i) + (v-c.at)/c.width) / betaCells
	}
	for _, x := range grid {
		if x <= 0 || x >= 1 {
			continue
		}
		law := mathext.RegIncBeta(alpha, beta, x)
		dx = max(dx, math.Abs(cdf(&tb.x, x, law)-law))
		// P(-log(1 - X) <= h) = P(X <= 1 - e^-h) = P(1 - X >= e^-h),
		// 1 - X ~ Beta(beta, alpha): the second keeps its precision near 1.
		h := -math.Log1p(-x)
		law = mathext.RegIncBeta(alpha, beta, -math.Expm1(-h))
		if h > math.Ln2 {
			law = 1 - mathext.RegIncBeta(beta, alpha, math.Exp(-h))
		}
		dhz = max(dhz, math.Abs(cdf(&tb.hazard, h, law)-law))
	}
	return dx, dhz
}

// TestBetaTableWithinBound checks that the table's laws, of the Beta
// number and of its hazard, are within 1/betaCells of the Beta law in
// Kolmogorov-Smirnov distance (see betaTable), and its mean within
// (q_(N-1) - q_1)/betaCells of alpha/(alpha+beta), the interior cells'
// mean being that of a uniform on each and the end cells' the law's.
func TestBetaTableWithinBound(t *testing.T) {
	for _, p := range tableRegimes {
		t.Run(fmt.Sprint(p.alpha, ",", p.beta), func(t *testing.T) {
			a, b := p.alpha, p.beta
			tb := newBetaTable(a, b)
			if tb == nil {
				t.Fatal("no table")
			}
			const bound = 1.0 / betaCells
			dx, dhz := tableDistance(tb, a, b)
			if dx > bound || dhz > bound {
				t.Errorf("Kolmogorov-Smirnov distance %.3g (number), %.3g (hazard), above %.3g", dx, dhz, bound)
			}
			q1, top := tb.x[1].at, tb.x[betaCells-2].at+tb.x[betaCells-2].width
			// The end cells' means: E[X; X < q1] = a/(a+b) I(a+1, b; q1), and
			// likewise above q_(N-1).
			mean := a / (a + b)
			m := mean * (mathext.RegIncBeta(a+1, b, q1) + 1 - mathext.RegIncBeta(a+1, b, top))
			for i := 1; i < betaCells-1; i++ {
				m += (tb.x[i].at + tb.x[i].width/2) / betaCells
			}
			if d := math.Abs(m - mean); d > (top-q1)/betaCells+1e-12 {
				t.Errorf("mean %.8g, want %.8g within %.3g", m, mean, (top-q1)/betaCells)
			}
		})
	}
}

// TestTableDistanceFindsAShift checks that tableDistance finds a table
// outside the bound: three interior nodes moved up to the next, so that a
// mass of 3/betaCells moves past them, in x and in the hazard.
func TestTableDistanceFindsAShift(t *testing.T) {
	const a, b = 0.704, 1.182
	tb := *newBetaTable(a, b)
	const j = betaCells / 3
	for _, cells := range []*[betaCells]betaCell{&tb.x, &tb.hazard} {
		next := cells[j+2].at + cells[j+2].width
		cells[j-1].width = next - cells[j-1].at
		for i := j; i < j+3; i++ {
			cells[i] = betaCell{next, 0}
		}
	}
	if dx, dhz := tableDistance(&tb, a, b); dx <= 1.0/betaCells || dhz <= 1.0/betaCells {
		t.Errorf("Kolmogorov-Smirnov distance %.3g (number), %.3g (hazard), within the bound %.3g", dx, dhz, 1.0/betaCells)
	}
}

// TestBaseChurnTabulatesFixedParameters checks the rule of baseChurn: the
// configured churn parameters are drawn from a table, the same one for
// every replication, and parameters drawn per replication exactly.
func TestBaseChurnTabulatesFixedParameters(t *testing.T) {
	for _, tc := range []struct {
		name  string
		set   func(*Config)
		table bool
	}{
		{"configured", func(*Config) {}, true},
		{"alpha_sd", func(c *Config) { c.Churn.AlphaSD = 0.1 }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := Default()
			tc.set(&cfg)
			var tables []*betaTable
			for rep := range 2 {
				w, err := newWorld(&cfg, rep, newStreams(), nil, 0)
				if err != nil {
					t.Fatal(err)
				}
				if got := w.bases[0].table != nil; got != tc.table {
					t.Fatalf("replication %d tabulated: %v, want %v", rep, got, tc.table)
				}
				tables = append(tables, w.bases[0].table)
			}
			if tables[0] != tables[1] {
				t.Error("the replications built a table each")
			}
		})
	}
}
