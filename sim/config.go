package sim

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"strings"
)

// Config is one fully resolved scenario: a point on the three policy dials
// plus the market and economics around it. Every leaf field is a parameter
// listed in Params, which holds its unit, allowed range, default and source;
// Default builds a Config from that table, so no default lives anywhere else.
//
// Money is in currency units (the same unit throughout); time is in periods
// (months by default); probabilities are per customer per period unless a
// parameter says otherwise.
type Config struct {
	Seed         uint64 `mapstructure:"seed"`
	Replications int    `mapstructure:"replications"`

	Horizon    Horizon    `mapstructure:"horizon"`
	Population Population `mapstructure:"population"`
	Market     Market     `mapstructure:"market"`
	Churn      Churn      `mapstructure:"churn"`
	Switching  Switching  `mapstructure:"switching"`
	Goodwill   Goodwill   `mapstructure:"goodwill"`
	Advocacy   Advocacy   `mapstructure:"advocacy"`
	Service    Service    `mapstructure:"service"`
	Staff      Staff      `mapstructure:"staff"`
	Community  Community  `mapstructure:"community"`
	Incidents  Incidents  `mapstructure:"incidents"`
	Learning   Learning   `mapstructure:"learning"`
	Pricing    Pricing    `mapstructure:"pricing"`
	Policy     Policy     `mapstructure:"policy"`
	Taking     Taking     `mapstructure:"taking"`
	Giving     Giving     `mapstructure:"giving"`
	Discounts  Discounts  `mapstructure:"discounts"`
	Generosity Generosity `mapstructure:"generosity"`
	Economics  Economics  `mapstructure:"economics"`

	// Segments are the kinds of customer in the market (M13), each with
	// its own churn, sensitivities, fit and acquisition cost; none declared
	// means one implicit segment with the parameters above. A list, not a
	// parameter of Params: see Segment and SegmentParams.
	Segments []Segment `mapstructure:"segments"`

	// Uncertain lists the parameters whose values are assumptions with a
	// distribution: each replication draws them (see Draws) and runs with
	// them in place of the values above. Empty: every value is known.
	Uncertain []Uncertain `mapstructure:"-"`
}

// Horizon is the simulated time span.
type Horizon struct {
	Periods        int `mapstructure:"periods"`
	PeriodsPerYear int `mapstructure:"periods_per_year"`
}

// Population is the customer base at the start of period 0.
type Population struct {
	Initial int `mapstructure:"initial"`
}

// Market is acquisition (M6): a finite market potential, paid acquisition and
// the deterrent effect of detractors.
type Market struct {
	Potential     int     `mapstructure:"potential"`
	PaidPerPeriod float64 `mapstructure:"paid_per_period"`
	CAC           float64 `mapstructure:"cac"`
	Deterrence    float64 `mapstructure:"deterrence"`
}

// Churn is base churn (M1) and how experiences move it.
type Churn struct {
	Alpha          float64 `mapstructure:"alpha"`
	Beta           float64 `mapstructure:"beta"`
	GoodwillEffect float64 `mapstructure:"goodwill_effect"`
	Walkaway       float64 `mapstructure:"walkaway"`
	AlphaSD        float64 `mapstructure:"alpha_sd"`
	BetaSD         float64 `mapstructure:"beta_sd"`
	AlphaBetaCorr  float64 `mapstructure:"alpha_beta_corr"`
}

// Switching is the cost of leaving (M11).
type Switching struct {
	Cost float64 `mapstructure:"cost"`
}

// Goodwill is the latent relationship state (M2).
type Goodwill struct {
	Initial        float64 `mapstructure:"initial"`
	Decay          float64 `mapstructure:"decay"`
	NegativityBias float64 `mapstructure:"negativity_bias"`
}

// Advocacy is likelihood to recommend, NPS classes and referrals (M7).
type Advocacy struct {
	LTRNeutral         float64 `mapstructure:"ltr_neutral"`
	LTRPerGoodwill     float64 `mapstructure:"ltr_per_goodwill"`
	LTRSpread          float64 `mapstructure:"ltr_spread"`
	ReferralRate       float64 `mapstructure:"referral_rate"`
	ReferralConversion float64 `mapstructure:"referral_conversion"`
	ReferralReward     float64 `mapstructure:"referral_reward"`
}

// Service is service contacts by channel (M3).
type Service struct {
	ContactRate            float64 `mapstructure:"contact_rate"`
	SelfCost               float64 `mapstructure:"self_cost"`
	SelfResolution         float64 `mapstructure:"self_resolution"`
	Escalation             float64 `mapstructure:"escalation"`
	HumanCostBasic         float64 `mapstructure:"human_cost_basic"`
	HumanCostSkilled       float64 `mapstructure:"human_cost_skilled"`
	HumanResolutionBasic   float64 `mapstructure:"human_resolution_basic"`
	HumanResolutionSkilled float64 `mapstructure:"human_resolution_skilled"`
	Warmth                 float64 `mapstructure:"warmth"`
	ResolvedGoodwill       float64 `mapstructure:"resolved_goodwill"`
	UnresolvedGoodwill     float64 `mapstructure:"unresolved_goodwill"`
	Staffing               float64 `mapstructure:"staffing"`
	WaitGoodwill           float64 `mapstructure:"wait_goodwill"`
}

// Staff is the frontline that answers human contacts: its queue (M3) and
// its skill and engagement as a stock (M12); see frontline.
type Staff struct {
	Capacity         float64 `mapstructure:"capacity"`
	HandleMinutes    float64 `mapstructure:"handle_minutes"`
	MaxWait          float64 `mapstructure:"max_wait"`
	PaySpread        float64 `mapstructure:"pay_spread"`
	Attrition        float64 `mapstructure:"attrition"`
	PayAttrition     float64 `mapstructure:"pay_attrition"`
	LoadAttrition    float64 `mapstructure:"load_attrition"`
	LoadReference    float64 `mapstructure:"load_reference"`
	TrainingRange    float64 `mapstructure:"training_range"`
	TrainingCost     float64 `mapstructure:"training_cost"`
	HireCost         float64 `mapstructure:"hire_cost"`
	PeopleEngagement float64 `mapstructure:"people_engagement"`
	LoadEngagement   float64 `mapstructure:"load_engagement"`
	EngagementSpeed  float64 `mapstructure:"engagement_speed"`
}

// Community is the customer community that answers service contacts
// (M14): its helpers, capacity, resolution, cost and goodwill; see
// community.
type Community struct {
	HelperShare      float64 `mapstructure:"helper_share"`
	AnswersPerHelper float64 `mapstructure:"answers_per_helper"`
	ResolutionMax    float64 `mapstructure:"resolution_max"`
	PromotersHalf    float64 `mapstructure:"promoters_half"`
	Cost             float64 `mapstructure:"cost"`
	Goodwill         float64 `mapstructure:"goodwill"`
}

// Incidents is the firm's failures and their cost (M4), and the floor
// below which learning cannot push their rate (M10).
type Incidents struct {
	Rate     float64 `mapstructure:"rate"`
	Severity float64 `mapstructure:"severity"`
	FixCost  float64 `mapstructure:"fix_cost"`
	Floor    float64 `mapstructure:"floor"`
}

// Learning is M10, learning from feedback: a budget that traces complaints
// to their root causes and fixes them (see learn).
type Learning struct {
	Budget        float64 `mapstructure:"budget"`
	ComplaintCost float64 `mapstructure:"complaint_cost"`
	Effect        float64 `mapstructure:"effect"`
}

// Pricing is the list price, variable cost, plan fit and goodwill premium (M5, M8).
type Pricing struct {
	ListPrice        float64 `mapstructure:"list_price"`
	UnitCost         float64 `mapstructure:"unit_cost"`
	PriceSensitivity float64 `mapstructure:"price_sensitivity"`
	GoodwillPremium  float64 `mapstructure:"goodwill_premium"`
	OverpayShare     float64 `mapstructure:"overpay_share"`
	OverpayMargin    float64 `mapstructure:"overpay_margin"`
}

// Policy is the firm's position on the three dials of MODEL.md.
type Policy struct {
	Giving     float64 `mapstructure:"giving"`
	Generosity float64 `mapstructure:"generosity"`
	HumanShare float64 `mapstructure:"human_share"`
	StaffSkill float64 `mapstructure:"staff_skill"`
	People     float64 `mapstructure:"people"`
	Community  float64 `mapstructure:"community"`
}

// Taking is what the firm does at policy.giving = 0; each lever is scaled by
// (1 - policy.giving).
type Taking struct {
	LoyaltyRise    float64 `mapstructure:"loyalty_rise"`
	FixFee         float64 `mapstructure:"fix_fee"`
	FeeSensitivity float64 `mapstructure:"fee_sensitivity"`
	UpsellRate     float64 `mapstructure:"upsell_rate"`
	UpsellGoodwill float64 `mapstructure:"upsell_goodwill"`
}

// Giving is what the firm does at policy.giving = 1; each lever is scaled by
// policy.giving.
type Giving struct {
	AdviceRate     float64 `mapstructure:"advice_rate"`
	AdviceInterval int     `mapstructure:"advice_interval"`
	AdviceUptake   float64 `mapstructure:"advice_uptake"`
	AdviceGoodwill float64 `mapstructure:"advice_goodwill"`
	FastFix        float64 `mapstructure:"fast_fix"`
}

// Discounts is what the firm does at policy.generosity = 0; depths are scaled
// by (1 - policy.generosity).
type Discounts struct {
	Depth           float64 `mapstructure:"depth"`
	Months          int     `mapstructure:"months"`
	RetentionDepth  float64 `mapstructure:"retention_depth"`
	Lift            float64 `mapstructure:"lift"`
	DealseekerChurn float64 `mapstructure:"dealseeker_churn"`
}

// Generosity is what the firm does at policy.generosity = 1; the gesture
// probability is scaled by policy.generosity.
type Generosity struct {
	GestureRate     float64 `mapstructure:"gesture_rate"`
	GestureCost     float64 `mapstructure:"gesture_cost"`
	GestureGoodwill float64 `mapstructure:"gesture_goodwill"`
}

// Economics is discounting of money over time (M8).
type Economics struct {
	DiscountRate float64 `mapstructure:"discount_rate"`
}

// Default returns the configuration whose every value is the default given in
// Params.
func Default() Config {
	var c Config
	for _, p := range Params {
		if err := c.Set(p.Key, p.Default); err != nil {
			panic(err) // the table and the struct disagree: a programming error caught by tests
		}
	}
	return c
}

// field returns the settable leaf field addressed by a dotted key such as
// "churn.alpha", matching mapstructure tags.
func (c *Config) field(key string) (reflect.Value, error) {
	return leaf(reflect.ValueOf(c).Elem(), key)
}

// leaf returns the settable number field of the struct v addressed by a
// dotted key, matching mapstructure tags.
func leaf(v reflect.Value, key string) (reflect.Value, error) {
	for _, part := range strings.Split(key, ".") {
		if v.Kind() != reflect.Struct {
			return reflect.Value{}, paramError(key, "not a parameter")
		}
		found := false
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			if t.Field(i).Tag.Get("mapstructure") == part {
				v = v.Field(i)
				found = true
				break
			}
		}
		if !found {
			return reflect.Value{}, paramError(key, "unknown parameter")
		}
	}
	switch v.Kind() {
	case reflect.Struct:
		return reflect.Value{}, paramError(key, "a section, not a parameter")
	case reflect.Slice, reflect.String:
		return reflect.Value{}, paramError(key, "not a parameter")
	}
	return v, nil
}

// Get returns the value of the parameter named by key as a float64.
func (c *Config) Get(key string) (float64, error) {
	v, err := c.field(key)
	if err != nil {
		return 0, err
	}
	switch v.Kind() {
	case reflect.Float64:
		return v.Float(), nil
	case reflect.Int:
		return float64(v.Int()), nil
	case reflect.Uint64:
		return float64(v.Uint()), nil
	}
	return 0, paramError(key, "unsupported kind %s", v.Kind())
}

// Text is the value of the parameter named by key in the shortest decimal
// form that reads back exactly: a whole number in full, however large.
func (c *Config) Text(key string) (string, error) {
	v, err := c.field(key)
	if err != nil {
		return "", err
	}
	switch v.Kind() {
	case reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'g', -1, 64), nil
	case reflect.Int:
		return strconv.FormatInt(v.Int(), 10), nil
	case reflect.Uint64:
		return strconv.FormatUint(v.Uint(), 10), nil
	}
	return "", paramError(key, "unsupported kind %s", v.Kind())
}

// Set assigns x to the parameter named by key. Whole-number parameters
// accept only whole x; the range is checked by Validate, not here.
func (c *Config) Set(key string, x float64) error {
	v, err := c.field(key)
	if err != nil {
		return err
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return paramError(key, "must be a finite number, got %v", x)
	}
	switch v.Kind() {
	case reflect.Float64:
		v.SetFloat(x)
	case reflect.Int:
		if x != math.Trunc(x) || math.Abs(x) > 1<<53 {
			return paramError(key, "must be a whole number of at most 2^53 in size, got %v", x)
		}
		v.SetInt(int64(x))
	case reflect.Uint64:
		if x != math.Trunc(x) || x < 0 || x > 1<<53 {
			return paramError(key, "must be a whole number from 0 to 2^53, got %v", x)
		}
		v.SetUint(uint64(x))
	default:
		return paramError(key, "unsupported kind %s", v.Kind())
	}
	return nil
}

// SetWhole assigns n exactly to the parameter named by key: in full to a
// whole-number parameter (a float64, as Set takes, holds whole numbers
// exactly only up to 2^53; a seed goes to 2^64-1), as the nearest float64 to
// any other. The range is checked by Validate, not here.
func (c *Config) SetWhole(key string, n *big.Int) error {
	v, err := c.field(key)
	if err != nil {
		return err
	}
	switch v.Kind() {
	case reflect.Float64:
		x, _ := new(big.Float).SetInt(n).Float64()
		v.SetFloat(x)
	case reflect.Int:
		if !n.IsInt64() || n.Int64() != int64(int(n.Int64())) {
			return paramError(key, "must be a whole number from %d to %d, got %s", math.MinInt, math.MaxInt, n)
		}
		v.SetInt(n.Int64())
	case reflect.Uint64:
		if !n.IsUint64() {
			return paramError(key, "must be a whole number from 0 to %d, got %s", uint64(math.MaxUint64), n)
		}
		v.SetUint(n.Uint64())
	default:
		return paramError(key, "unsupported kind %s", v.Kind())
	}
	return nil
}

// ParamError is a parameter that cannot take a value: Key names it, Msg says
// what is allowed and what was given. Error joins them as "key: msg".
type ParamError struct {
	Key, Msg string
	// Other is, for a broken relation between two parameters, the other
	// one (the one Msg compares Key with); empty otherwise.
	Other string
}

func (e *ParamError) Error() string { return e.Key + ": " + e.Msg }

func paramError(key, format string, a ...any) error {
	return &ParamError{Key: key, Msg: fmt.Sprintf(format, a...)}
}

// relationError is a broken relation between the parameters key and other.
func relationError(key, other, format string, a ...any) error {
	return &ParamError{Key: key, Other: other, Msg: fmt.Sprintf(format, a...)}
}

// Validate checks every parameter against its range in Params and the
// relations between parameters. The error is a *ParamError naming the key,
// what is allowed and what was given, e.g. "churn.alpha: must be > 0, got -1".
func (c *Config) Validate() error {
	for _, p := range Params {
		x, err := c.Get(p.Key)
		if err != nil {
			return err
		}
		if err := p.Check(x); err != nil {
			return err
		}
	}
	if err := c.checkUncertain(); err != nil {
		return err
	}
	if c.Discounts.Months > c.Horizon.Periods {
		return relationError("discounts.months", "horizon.periods", "must be <= horizon.periods (%d), got %d", c.Horizon.Periods, c.Discounts.Months)
	}
	if c.Discounts.Months > c.Horizon.PeriodsPerYear {
		return relationError("discounts.months", "horizon.periods_per_year", "must be <= horizon.periods_per_year (%d), got %d", c.Horizon.PeriodsPerYear, c.Discounts.Months)
	}
	if c.Market.Potential > 0 && c.Population.Initial > c.Market.Potential {
		return relationError("population.initial", "market.potential", "must be <= market.potential (%d) when the market is finite, got %d", c.Market.Potential, c.Population.Initial)
	}
	if c.Service.HumanCostSkilled < c.Service.HumanCostBasic {
		return relationError("service.human_cost_skilled", "service.human_cost_basic", "must be >= service.human_cost_basic (%g), got %g", c.Service.HumanCostBasic, c.Service.HumanCostSkilled)
	}
	if c.Service.HumanResolutionSkilled < c.Service.HumanResolutionBasic {
		return relationError("service.human_resolution_skilled", "service.human_resolution_basic", "must be >= service.human_resolution_basic (%g), got %g", c.Service.HumanResolutionBasic, c.Service.HumanResolutionSkilled)
	}
	if years, f := c.loyaltyFactor(); f > maxPriceFactor {
		return paramError("taking.loyalty_rise", "compounded over the %d anniversaries a tenure can reach within horizon.periods, %g a year (x (1 - policy.giving)) raises prices %.3g-fold, beyond %g; lower it or horizon.periods",
			years, c.Taking.LoyaltyRise, f, maxPriceFactor)
	}
	return c.validateSegments()
}

// maxPriceFactor bounds how far the loyalty penalty may compound prices
// (see loyaltyFactor): with every money parameter at most maxMoney, it
// keeps every total a replication records below MaxMagnitude.
const maxPriceFactor = 1e100

// loyaltyFactor is the largest factor by which the loyalty penalty raises a
// price within the horizon, (1 + loyalty_rise x (1 - giving))^years, and
// years, the anniversaries the oldest tenure reaches (initial customers
// joined up to a year before period 0); see model.pricing.
func (c *Config) loyaltyFactor() (years int, factor float64) {
	ppy := max(c.Horizon.PeriodsPerYear, 1)
	years = (c.Horizon.Periods + ppy - 1) / ppy
	return years, math.Pow(1+c.Taking.LoyaltyRise*(1-c.Policy.Giving), float64(years))
}

// Values returns every parameter's value keyed by its dotted key.
func (c *Config) Values() map[string]float64 {
	m := make(map[string]float64, len(Params))
	for _, p := range Params {
		x, _ := c.Get(p.Key)
		m[p.Key] = x
	}
	return m
}

// Hash is the SHA-256 (hex) of the canonical JSON of every parameter value,
// keys sorted, with the segments when any are declared. Two configurations with the same hash give the same numbers.
func (c *Config) Hash() string {
	m := make(map[string]any, len(Params)+1) // whole numbers exact, as Values cannot hold them past 2^53
	for _, p := range Params {
		v, _ := c.field(p.Key)
		m[p.Key] = v.Interface()
	}
	if len(c.Segments) > 0 {
		m["segments"] = c.Segments
	}
	if len(c.Uncertain) > 0 {
		m["uncertain"] = c.Uncertain
	}
	b, _ := json.Marshal(m) // encoding/json sorts map keys
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
