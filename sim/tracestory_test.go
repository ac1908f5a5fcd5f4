package sim

import (
	"context"
	"math"
	"testing"
)

// TestStoryLTRAndPriceChange checks two numbers of a customer's story
// against their documented equations, computed here: the likelihood to
// recommend, LTR = ltr_neutral + ltr_per_goodwill x goodwill + the
// customer's offset, rounded half away from zero and clamped to 0-10
// (M7); and the price change at a tenure, the loyalty rise (1 +
// loyalty_rise x (1 - giving)) at each anniversary and no change between
// them (M5, no discounts).
func TestStoryLTRAndPriceChange(t *testing.T) {
	const rise, giving, ppy = 0.08, 0.25, 12
	cfg := Default()
	cfg.Population.Initial, cfg.Replications = 50, 2
	cfg.Horizon.Periods, cfg.Horizon.PeriodsPerYear = 30, ppy
	cfg.Taking.LoyaltyRise, cfg.Policy.Giving = rise, giving
	cfg.Discounts.Depth, cfg.Discounts.RetentionDepth = 0, 0
	ltrs, anniversaries := map[int]bool{}, 0
	for customer := range 20 {
		story, _, err := Trace(context.Background(), cfg, 1, customer)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range story.Periods {
			ltr := cfg.Advocacy.LTRNeutral + cfg.Advocacy.LTRPerGoodwill*p.Goodwill + story.LTROffset
			if want := int(math.Max(0, math.Min(10, math.Round(ltr)))); p.LTR != want {
				t.Errorf("customer %d, period %d: LTR %d, want %d (%.3f before rounding)", customer, p.Period, p.LTR, want, ltr)
			}
			ltrs[p.LTR] = true
			want := 0.0
			if p.Tenure > 0 && p.Tenure%ppy == 0 {
				want = rise * (1 - giving)
				anniversaries++
			}
			if math.Abs(p.PriceChange-want) > 1e-12 {
				t.Errorf("customer %d, period %d, tenure %d: price change %v, want %v", customer, p.Period, p.Tenure, p.PriceChange, want)
			}
		}
	}
	if len(ltrs) < 3 || anniversaries == 0 {
		t.Errorf("%d distinct LTRs and %d anniversaries seen: the test checks too little", len(ltrs), anniversaries)
	}
}
