package sim

import (
	"math"
	"testing"
)

// TestUnitMatchesMinMax checks unit against max(0, min(1, x)), bit for bit,
// at signed zeros, the ends of the interval, subnormals and infinities.
func TestUnitMatchesMinMax(t *testing.T) {
	for _, x := range []float64{0, math.Copysign(0, -1), 1, -1, 0.5, -0.5, math.Nextafter(1, 2), math.Nextafter(1, 0),
		5e-324, -5e-324, 1e300, -1e300, math.Inf(1), math.Inf(-1)} {
		if got, want := unit(x), max(0, min(1, x)); math.Float64bits(got) != math.Float64bits(want) {
			t.Errorf("unit(%v) = %v, want %v", x, got, want)
		}
	}
}

// MetricByName finds every metric by the name it is written under in
// files, and no metric by a name that is not one.
func TestMetricByName(t *testing.T) {
	for m := range NumMetrics {
		if got, ok := MetricByName(m.String()); !ok || got != m {
			t.Errorf("MetricByName(%q) = %v, %v; want %v, true", m.String(), got, ok, m)
		}
	}
	for _, name := range []string{"", "no such metric", "Active"} {
		if got, ok := MetricByName(name); ok {
			t.Errorf("MetricByName(%q) = %v, true; want no metric", name, got)
		}
	}
}
