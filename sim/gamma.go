package sim

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// gammaDist is the Gamma(a, 1) distribution, a > 0, with its sampler's
// constants worked out once, for every draw of a replication (base churn
// drawn exactly takes two: see baseChurn).
type gammaDist struct {
	a    float64
	d, c float64 // Marsaglia and Tsang's d = b - 1/3 and c = 1/sqrt(9d) for shape b = a, or a + 1 if a < 1
}

func newGammaDist(a float64) gammaDist {
	b := a
	if a < 1 {
		b = a + 1
	}
	d := b - 1.0/3
	return gammaDist{a: a, d: d, c: 1 / math.Sqrt(9*d)}
}

// draw returns a Gamma(a, 1) number from s. For a >= 1 it is Marsaglia
// and Tsang's (2000) method: with x ~ Normal(0, 1) and v = (1 + cx)^3 > 0,
// d x v is accepted when a uniform u < 1 - 0.0331x^4 (the squeeze, about
// 98% of tries) or log u < x^2/2 + d(1 - v + log v), and otherwise tried
// again. For 0.2 <= a < 1 it is their boost, Gamma(a) = Gamma(a+1) x
// U^(1/a), the factor drawn as exp(-E/a) with E ~ Exponential(1), the same
// law since -log U is Exponential(1). For a < 0.2, where the boost
// underflows, it is gonum's sampler (Liu, Martin & Syring 2017). These are
// gonum's methods, but for the boost's factor, which gonum computes with
// math.Pow; this one keeps their constants and calls the generator
// directly.
func (g gammaDist) draw(s stream) float64 {
	if g.a < 0.2 {
		return distuv.Gamma{Alpha: g.a, Beta: 1, Src: s.pcg}.Rand()
	}
	r := s.Rand()
	for {
		x := r.NormFloat64()
		v := 1 + g.c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u, x2 := uniform(s.pcg.Uint64()), x*x
		if u < 1-0.0331*x2*x2 || math.Log(u) < 0.5*x2+g.d*(1-v+math.Log(v)) {
			y := g.d * v
			if g.a < 1 {
				y *= exp(-s.Exp() / g.a)
			}
			return y
		}
	}
}

// betaDist is the Beta(alpha, beta) distribution, drawn as X/(X+Y) with X ~
// Gamma(alpha, 1) and Y ~ Gamma(beta, 1) independent.
type betaDist struct{ x, y gammaDist }

func newBetaDist(alpha, beta float64) betaDist {
	return betaDist{newGammaDist(alpha), newGammaDist(beta)}
}

// draw returns a Beta(alpha, beta) number from s.
func (b betaDist) draw(s stream) float64 {
	x, y := b.x.draw(s), b.y.draw(s)
	return x / (x + y)
}
