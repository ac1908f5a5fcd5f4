package numfmt

import (
	"math"
	"testing"
)

func TestFixed(t *testing.T) {
	for _, c := range []struct {
		x      float64
		dec    int
		signed bool
		want   string
	}{
		{0, 0, false, "0"}, {0, 2, true, "0.00"}, {-0.001, 1, true, "0.0"},
		{999.7, 0, false, "1,000"}, {5376000, 0, false, "5,376,000"}, {-1234567.891, 2, false, "-1,234,567.89"},
		{1234, 0, true, "+1,234"}, {74.94, 1, true, "+74.9"}, {0.000123, 6, false, "0.000123"},
		{math.NaN(), 2, false, "n/a"}, {math.Inf(1), 0, false, "+inf"}, {math.Inf(-1), 0, true, "-inf"},
	} {
		if got := Fixed(c.x, c.dec, c.signed); got != c.want {
			t.Errorf("Fixed(%v, %d, %v) = %q, want %q", c.x, c.dec, c.signed, got, c.want)
		}
	}
}

func TestDecimals(t *testing.T) {
	for _, c := range []struct {
		x    float64
		want int
	}{{0, 0}, {math.NaN(), 0}, {5e6, 0}, {100, 0}, {99.9, 1}, {10, 1}, {-7.25, 2}, {1, 2}, {0.5, 3}, {0.012, 4}, {1e-12, 6}} {
		if got := Decimals(c.x); got != c.want {
			t.Errorf("Decimals(%v) = %d, want %d", c.x, got, c.want)
		}
	}
	if got := CellDecimals(-3.85, 2.5, 12.1, math.NaN()); got != 1 {
		t.Errorf("CellDecimals of magnitudes up to 12.1 = %d, want 1", got)
	}
}

func TestSpread(t *testing.T) {
	for _, c := range []struct {
		mean, low, high float64
		want            string
	}{
		{3646123, 3541000, 3721000, "3,646,123 [3,541,000, 3,721,000]"},
		{10120, 9894, 10270, "10,120 [9,894, 10,270]"},
		{-25.05, -26.39, -23.58, "-25.1 [-26.4, -23.6]"},
		{0.5, 0.48, 0.52, "0.500 [0.480, 0.520]"},
	} {
		if got := Spread(c.mean, c.low, c.high); got != c.want {
			t.Errorf("Spread(%v, %v, %v) = %q, want %q", c.mean, c.low, c.high, got, c.want)
		}
	}
}
