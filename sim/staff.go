package sim

import "math"

// The frontline: M3's speed of response and M12's staff as a stock.
//
// Headcount. The firm employs service.staffing people per 1,000 human
// contacts it expects in a period: in period t, with A(t) customers active
// at its start, each counted by its segment's contact_rate multiplier (M13;
// 1 without segments),
//
//	staff(t) = service.staffing / 1000 x contact_rate x p x A(t),  p = human_share + (1 - human_share) x escalation
//
// (p is the share of contacts that reach a person, escalations included;
// with a customer community, M14, only of the contacts it leaves: see
// community): a firm that sends more contacts to people staffs for them. Utilisation,
// the share of the staff's capacity the expected human contacts take, is
//
//	rho = 1000 / (service.staffing x staff.capacity)
//
// the same in every period: the workload is the planned one, so that the
// stock below is deterministic, the same in every replication and for any
// customer draws, and common random numbers hold exactly (realised human
// contacts, contacts_human, differ from the plan by Poisson noise only:
// nothing in the model moves contacts per customer over time). Period t's
// state therefore follows from period t-1's alone.
//
// Speed (M3). Self-service answers at once. A person answers after a mean
// wait in minutes that grows with utilisation as an M/M/1 queue's mean
// wait in queue, capped (customers give up or are called back):
//
//	wait = min(staff.max_wait, staff.handle_minutes x rho / (1 - rho)),  staff.max_wait when rho >= 1
//
// (an assumption: a centre of many people pools its queue and waits less
// at the same utilisation, which handle_minutes, the scale, absorbs).
// Waiting is a bad experience of every human contact, before the
// negativity bias,
//
//	hurt = service.wait_goodwill x wait / 60
//
// and changes neither resolution nor walk-aways.
//
// The stock (M12). The people who answer have a skill s in [0, 1] (0 the
// basic skill of a new hire, 1 the skilled ceiling: a human contact's cost
// and resolution are linear in it) and an engagement e in [0, 1]. The
// people dial q = policy.people (0 taking, 1 giving) sets
//
//	pay factor  pi = 1 + staff.pay_spread x (2q - 1)
//	attrition   a  = min(1, a0 x max(0, 1 - staff.pay_attrition x (pi - 1))
//	                        x max(0, 1 + staff.load_attrition x (min(rho, 1) - staff.load_reference)))
//	training    tau = min(1, tau_ref x max(0, 1 + staff.training_range x (2q - 1)))
//	target engagement  e* = clamp01(0.5 + staff.people_engagement x (q - 0.5)
//	                                    - staff.load_engagement x (min(rho, 1) - staff.load_reference))
//
// with a0 = 1 - (1 - staff.attrition)^(1/periods_per_year), the yearly
// rate per period. Within period t training closes a share tau of the gap
// to the ceiling; at its end a share a of the people leave and are
// replaced by new hires at skill 0; engagement moves a share
// staff.engagement_speed of the way to its target:
//
//	s(t+1) = (1 - a) x (s(t) + tau x (1 - s(t))),  s(0) = policy.staff_skill
//	e(t+1) = e(t) + engagement_speed x (e* - e(t)),  e(0) = 0.5
//
// tau_ref is the training that sustains the configured skill s0 =
// policy.staff_skill under the attrition a_ref of the neutral people policy
// (q = 0.5) at the scenario's utilisation, from s0 = (1 - a_ref)(s0 +
// tau_ref (1 - s0)): tau_ref = s0 a_ref / ((1 - a_ref)(1 - s0)), at most 1
// (s0 = 1 cannot be sustained against attrition; at s0 = 0 there is no
// training to move, and the dial moves pay and engagement only). So at q = 0.5 skill
// stays at policy.staff_skill in every period and scenarios that leave the
// people dial alone keep their meaning: staff_skill is the skill the
// firm's present practice sustains, and the dial moves practice from it,
// training and paying less toward taking, more toward giving.
//
// Engagement adds warmth: a human contact warms by service.warmth x 2e
// (service.warmth at e = 0.5, none at 0, double at 1). Sources: the
// service-profit chain (Heskett et al. 1994: employee satisfaction ->
// service quality -> loyalty) for the directions; contact-centre agent
// attrition commonly quoted at 30-45% a year for the order of staff.attrition;
// every size is otherwise an assumption.
//
// Costs (M8). A human contact costs pi x c(s), c(s) linear from
// service.human_cost_basic to human_cost_skilled: the handling time's
// share of pay with its other costs, in cost_service. A person is paid for
// a period capacity x pi x c(s), of which the share rho is in the contacts
// handled; the idle rest, training and hiring are the staff cost,
// cost_staff, per person and period
//
//	staff.capacity x pi x c(s) x max(0, 1 - rho) + staff.training_cost x tau + staff.hire_cost x a
//
// (headcount follows contact volume at no further cost). As headcount is
// proportional to active customers weighted by their contact multipliers,
// this is a cost per active customer per period, staff per customer
// (service.staffing / 1000 x contact_rate x p) times the cost per person,
// times the customer's segment's contact multiplier: a segment that calls
// twice as often carries twice the staff cost, as it carries twice the
// contacts' own costs. It enters every customer's margin (lifetime value,
// customer equity), and the value after the horizon takes it, as the
// per-contact costs, at the frontline's state at the horizon.
type frontline struct {
	perCustomer float64 // staff per active customer: staffing / 1000 x contact_rate x p
	rho         float64 // utilisation
	wait        float64 // minutes a human contact waits
	waitHurt    float64 // goodwill a human contact loses by waiting, before bias
	pay         float64 // pay factor pi
	attrition   float64 // share of staff replaced at the end of each period, a
	training    float64 // share of the skill gap closed each period, tau
	engage      float64 // target engagement e*
	speed       float64 // staff.engagement_speed

	skill, engagement float64 // the stock in the current period
}

func newFrontline(cfg *Config) frontline {
	st, q := &cfg.Staff, cfg.Policy.People
	f := frontline{
		rho:        1000 / (cfg.Service.Staffing * st.Capacity), // both are > 0 (see Params)
		pay:        1 + st.PaySpread*(2*q-1),
		speed:      st.EngagementSpeed,
		skill:      cfg.Policy.StaffSkill,
		engagement: 0.5,
	}
	f.route(cfg, 0)
	f.wait = queueWait(f.rho, st.HandleMinutes, st.MaxWait)
	f.waitHurt = cfg.Service.WaitGoodwill * f.wait / 60
	load := math.Min(f.rho, 1) - st.LoadReference
	a0 := -math.Expm1(math.Log1p(-st.Attrition) / float64(cfg.Horizon.PeriodsPerYear))
	attrition := func(pay float64) float64 {
		return math.Min(1, a0*math.Max(0, 1-st.PayAttrition*(pay-1))*math.Max(0, 1+st.LoadAttrition*load))
	}
	f.attrition = attrition(f.pay)
	aRef, s0 := attrition(1), cfg.Policy.StaffSkill
	tauRef := 1.0
	if s0 < 1 && aRef < 1 {
		tauRef = math.Min(1, s0*aRef/((1-aRef)*(1-s0)))
	}
	f.training = math.Min(1, tauRef*math.Max(0, 1+st.TrainingRange*(2*q-1)))
	f.engage = unit(0.5 + st.PeopleEngagement*(q-0.5) - st.LoadEngagement*load)
	return f
}

// route sets the headcount per active customer for contacts of which
// the community (M14) takes the share k of those not first handled by a
// person: staffing / 1000 x contact_rate x p, p = human_share + (1 -
// human_share)(1 - k) x escalation, the share that reaches a person (see
// community). Utilisation is unchanged.
func (f *frontline) route(cfg *Config, k float64) {
	h := cfg.Policy.HumanShare
	p := h + (1-h)*(1-k)*cfg.Service.Escalation
	f.perCustomer = cfg.Service.Staffing / 1000 * cfg.Service.ContactRate * p
}

// queueWait is the mean wait in minutes at utilisation rho: an M/M/1
// queue's mean wait in queue, handle x rho/(1 - rho), capped at most.
func queueWait(rho, handle, most float64) float64 {
	if rho >= 1 {
		return most
	}
	return math.Min(most, handle*rho/(1-rho))
}

// advance moves the stock from one period to the next (see above).
func (f *frontline) advance() {
	f.skill = (1 - f.attrition) * (f.skill + f.training*(1-f.skill))
	f.engagement += f.speed * (f.engage - f.engagement)
}

// costPerCustomer is the staff cost of the current period per active
// customer (see above).
func (f *frontline) costPerCustomer(cfg *Config) float64 {
	st, sv := &cfg.Staff, &cfg.Service
	idle := st.Capacity * f.pay * lerp(sv.HumanCostBasic, sv.HumanCostSkilled, f.skill) * math.Max(0, 1-f.rho)
	return f.perCustomer * (idle + st.TrainingCost*f.training + st.HireCost*f.attrition)
}

// apply sets the model's quantities of the current period from the
// frontline: a human contact's cost (at the pay factor) and resolution at
// the current skill, its warmth at the current engagement, its wait's
// hurt, and the staff cost per customer.
func (m *model) apply(f *frontline) {
	s := &m.cfg.Service
	m.humanCost = f.pay * lerp(s.HumanCostBasic, s.HumanCostSkilled, f.skill)
	m.humanSolve = lerp(s.HumanResolutionBasic, s.HumanResolutionSkilled, f.skill)
	m.warmth = s.Warmth * 2 * f.engagement
	m.waitHurt = f.waitHurt
	m.staffCost = f.costPerCustomer(m.cfg)
}

// record writes the frontline's metrics of a period into row, for a
// contact load of active customers at its start, each weighted by its
// segment's contact multiplier (see world.contactLoad).
func (f *frontline) record(cfg *Config, row *[NumMetrics]float64, load float64) {
	row[CostStaff] = f.costPerCustomer(cfg) * load
	row[StaffCount] = f.perCustomer * load
	row[StaffSkill] = f.skill
	row[StaffEngagement] = f.engagement
	row[StaffAttrition] = f.attrition
	row[Utilisation] = f.rho
	row[WaitMinutes] = f.wait
}
