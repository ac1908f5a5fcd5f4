package sim

// Metric names one per-period quantity recorded for every replication.
//
// Timing: stocks (active, survival) are counted at the start of the period,
// after the period's new customers have joined; flows (acquired, churned,
// money) are totals over the period; states (goodwill, NPS classes) are taken
// at the end of the period, after its experiences and before its churn
// decisions, over the customers active in it. Churn happens at the end of the
// period: a customer active in period t and not churned is active in t+1.
type Metric int

// The metrics, in the order they appear in metrics.csv.
const (
	Active Metric = iota
	ActiveInitial
	ActivePaid
	ActiveDiscount
	ActiveReferral
	Acquired
	AcquiredPaid
	AcquiredDiscount
	AcquiredReferral
	Churned
	ChurnRate
	RetentionRate
	Survival
	GoodwillMean
	Promoters
	Passives
	Detractors
	NPS
	Referrals
	Contacts
	HumanContacts
	IncidentCount
	IncidentRate
	Gestures
	AdviceTaken
	Revenue
	Fees
	DiscountsGiven
	CostVariable
	CostService
	CostIncidents
	CostGestures
	CostReferral
	CostAcquisition
	CostStaff
	CostLearning
	Cost
	Profit
	CumulativeProfit
	CumulativeDiscountedProfit
	StaffCount
	StaffSkill
	StaffEngagement
	StaffAttrition
	Utilisation
	WaitMinutes
	CommunityCapacity
	CommunityAnswers
	CommunityResolution
	CostCommunity
	NumMetrics
)

// MetricInfo is a metric's name in files, unit and meaning.
type MetricInfo struct {
	Name, Unit, Doc string
}

var metricInfo = [NumMetrics]MetricInfo{
	Active:                     {"active", "customers", "customers active in the period (start of period, after joiners)"},
	ActiveInitial:              {"active_initial", "customers", "active customers of the initial population"},
	ActivePaid:                 {"active_paid", "customers", "active customers acquired through paid acquisition"},
	ActiveDiscount:             {"active_discount", "customers", "active customers won by the acquisition discount"},
	ActiveReferral:             {"active_referral", "customers", "active customers acquired by referral"},
	Acquired:                   {"acquired", "customers", "customers who joined at the start of the period, all channels"},
	AcquiredPaid:               {"acquired_paid", "customers", "joined through paid acquisition"},
	AcquiredDiscount:           {"acquired_discount", "customers", "joined because of the acquisition discount (deal-seekers)"},
	AcquiredReferral:           {"acquired_referral", "customers", "joined on a promoter's recommendation"},
	Churned:                    {"churned", "customers", "customers who left at the end of the period"},
	ChurnRate:                  {"churn_rate", "share", "churned / active"},
	RetentionRate:              {"retention_rate", "share", "1 - churn_rate"},
	Survival:                   {"survival", "share", "share of the period-0 customers still active at the start of the period"},
	GoodwillMean:               {"goodwill", "goodwill", "mean goodwill of active customers, end of period"},
	Promoters:                  {"promoters", "share", "share of active customers with likelihood to recommend 9-10"},
	Passives:                   {"passives", "share", "share with likelihood to recommend 7-8"},
	Detractors:                 {"detractors", "share", "share with likelihood to recommend 0-6"},
	NPS:                        {"nps", "points", "Net Promoter Score: 100 * (promoters - detractors), -100..100"},
	Referrals:                  {"referrals", "recommendations", "recommendations made by promoters (not all convert)"},
	Contacts:                   {"contacts", "contacts", "service contacts"},
	HumanContacts:              {"contacts_human", "contacts", "service contacts handled by a person, escalations included"},
	IncidentCount:              {"incidents", "incidents", "failures of the firm experienced by customers"},
	IncidentRate:               {"incident_rate", "incidents/customer/period", "incidents.rate times the learning multiplier in the period (M10): the expected incidents per customer"},
	Gestures:                   {"gestures", "gestures", "unexpected gestures at incidents"},
	AdviceTaken:                {"advice_taken", "customers", "customers moved to a cheaper plan on the firm's advice"},
	Revenue:                    {"revenue", "currency/period", "all revenue: subscriptions and fees"},
	Fees:                       {"fees", "currency/period", "fees charged for fixing the firm's failures (part of revenue)"},
	DiscountsGiven:             {"discounts", "currency/period", "revenue given up to acquisition and retention discounts (not a cost)"},
	CostVariable:               {"cost_variable", "currency/period", "variable cost of serving customers"},
	CostService:                {"cost_service", "currency/period", "cost of service contacts: self-service, people and the customer community"},
	CostIncidents:              {"cost_incidents", "currency/period", "cost of fixing incidents"},
	CostGestures:               {"cost_gestures", "currency/period", "cost of gestures"},
	CostReferral:               {"cost_referral", "currency/period", "referral rewards"},
	CostAcquisition:            {"cost_acquisition", "currency/period", "acquisition cost (CAC times paid and discount joiners)"},
	CostStaff:                  {"cost_staff", "currency/period", "frontline staff: idle pay, training and hiring, shared among active customers (in their margins)"},
	CostLearning:               {"cost_learning", "currency/period", "learning from feedback: learning.budget times active customers (M10)"},
	Cost:                       {"cost", "currency/period", "all costs"},
	Profit:                     {"profit", "currency/period", "revenue - cost"},
	CumulativeProfit:           {"cumulative_profit", "currency", "profit summed to the end of the period"},
	CumulativeDiscountedProfit: {"cumulative_discounted_profit", "currency", "profit discounted to period 0 and summed"},
	StaffCount:                 {"staff", "people", "frontline headcount: service.staffing per 1,000 expected contacts"},
	StaffSkill:                 {"staff_skill", "0-1", "frontline skill during the period (0 new hire, 1 skilled)"},
	StaffEngagement:            {"staff_engagement", "0-1", "frontline engagement during the period (0.5 at the start)"},
	StaffAttrition:             {"staff_attrition", "share", "share of frontline staff replaced at the end of the period"},
	Utilisation:                {"utilisation", "share", "expected human contacts / (staff x staff.capacity)"},
	WaitMinutes:                {"wait", "minutes", "mean wait of a human contact (self-service answers at once)"},
	CommunityCapacity:          {"community_capacity", "answers", "answers the customer community's helpers can give in the period (0 without a community)"},
	CommunityAnswers:           {"community_answers", "contacts", "service contacts answered by the customer community"},
	CommunityResolution:        {"community_resolution", "share", "share of community answers that resolved the issue (0 when none)"},
	CostCommunity:              {"cost_community", "currency/period", "cost of community answers: moderation and rewards (part of cost_service)"},
}

// Info returns the metric's name, unit and meaning.
func (m Metric) Info() MetricInfo { return metricInfo[m] }

// String is the metric's name in files.
func (m Metric) String() string { return metricInfo[m].Name }

// MetricByName returns the metric with the given file name.
func MetricByName(name string) (Metric, bool) {
	for m := Metric(0); m < NumMetrics; m++ {
		if metricInfo[m].Name == name {
			return m, true
		}
	}
	return 0, false
}

// Channel is how a customer was acquired.
type Channel uint8

// The acquisition channels.
const (
	ChannelInitial  Channel = iota // already a customer at the start of period 0
	ChannelPaid                    // paid acquisition at list price (plus any acquisition discount)
	ChannelDiscount                // won by the acquisition discount: deal-seekers
	ChannelReferral                // recommended by a promoter
	NumChannels
)

var channelNames = [NumChannels]string{"initial", "paid", "discount", "referral"}

// String is the channel's name in files.
func (c Channel) String() string { return channelNames[c] }
