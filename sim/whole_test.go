package sim

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math/big"
	"testing"
)

// Whole numbers are set and written exactly past 2^53, up to the limits of
// their fields; a number parameter takes the nearest float64.
func TestSetWholeExact(t *testing.T) {
	n := func(s string) *big.Int { x, _ := new(big.Int).SetString(s, 10); return x }
	for _, tc := range []struct {
		key, value, text, err string
	}{
		{"seed", "18446744073709551615", "18446744073709551615", ""},
		{"seed", "9007199254740993", "9007199254740993", ""},
		{"replications", "9007199254740993", "9007199254740993", ""},
		{"churn.alpha", "3", "3", ""},
		{"seed", "18446744073709551616", "", "seed: must be a whole number from 0 to 18446744073709551615, got 18446744073709551616"},
		{"seed", "-1", "", "seed: must be a whole number from 0 to 18446744073709551615, got -1"},
		{"replications", "9223372036854775808", "", "replications: must be a whole number from -9223372036854775808 to 9223372036854775807, got 9223372036854775808"},
	} {
		c := Default()
		err := c.SetWhole(tc.key, n(tc.value))
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("%s=%s: got %v, want %s", tc.key, tc.value, err, tc.err)
			}
			continue
		}
		if text, _ := c.Text(tc.key); err != nil || text != tc.text {
			t.Errorf("%s=%s: %v, reads back as %s", tc.key, tc.value, err, text)
		}
	}
}

// Hash tells apart seeds that a float64 cannot, and is what it was, the
// SHA-256 of the JSON of Values, for every configuration Values holds
// exactly.
func TestHashExact(t *testing.T) {
	a, b := Default(), Default()
	a.Seed, b.Seed = 1<<53, 1<<53+1
	if a.Hash() == b.Hash() {
		t.Error("seeds 2^53 and 2^53+1 hash alike")
	}
	c := Default()
	c.Population.Initial = 1e6
	values, _ := json.Marshal(c.Values())
	sum := sha256.Sum256(values)
	if got, want := c.Hash(), hex.EncodeToString(sum[:]); got != want {
		t.Errorf("hash %s, want %s as before", got, want)
	}
}
