package sim

import (
	"math/rand/v2"
)

// process names one random process of a customer (or of the market). Every
// (seed, replication, customer, process) has its own stream, and every period
// its own substream, so a draw in period t never depends on how many draws
// the same process made before. Two scenarios run with the same seed use the
// same numbers wherever their policies do not differ (common random numbers),
// and the split of work across goroutines cannot change any draw.
type process uint64

const (
	procTraits      process = iota + 1 // base churn, resistance to churn, likelihood-to-recommend offset, plan fit at acquisition
	_                                  // unused, so that the processes after it keep their streams
	procContacts                       // service contacts: count, channel, resolution, escalation
	procIncidents                      // incidents: count, gestures
	procPlan                           // best-plan advice and upsell
	procReferrals                      // recommendations and their conversion
	procMarket                         // market level: paid and discount acquisitions
	procParams                         // replication level: churn parameters drawn from their uncertainty
	procSegment                        // the customer's segment (M13), drawn only when segments are declared
	procAssumptions                    // replication level, per parameter key: an uncertain parameter's value (see Config.Draws)
)

// mix is the SplitMix64 finaliser (Steele, Lea & Flood 2014): a bijection on
// uint64 with full avalanche, used to derive stream keys.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// key derives a stream key from a sequence of identifiers.
func key(ids ...uint64) uint64 {
	h := uint64(0x6a09e667f3bcc908)
	for _, id := range ids {
		h = mix(h ^ id)
	}
	return h
}

// customerKey identifies a customer by replication, join period, channel and
// rank among that period's joiners of that channel: the 5th paid customer
// of period 3 has the same streams in every scenario run with the same seed.
// It is key(seed, rep, join, ch, rank), computed from joinKey(seed, rep,
// join, ch), which the joiners of a period and channel share.
func customerKey(joinKey uint64, rank int) uint64 {
	return mix(joinKey ^ uint64(rank))
}

// joinKey is the part of customerKey shared by the customers who join in one
// period through one channel.
func joinKey(seed uint64, rep int, join int, ch Channel) uint64 {
	return key(seed, uint64(rep), uint64(join), uint64(ch))
}

// streams hands out substreams of math/rand/v2's PCG generator. It holds
// one generator, re-seeded for each (key, process, period), so handing out a
// stream allocates nothing. A streams value belongs to one goroutine.
type streams struct {
	pcg *rand.PCG
	rng *rand.Rand
}

func newStreams() streams {
	pcg := rand.NewPCG(0, 0)
	return streams{pcg: pcg, rng: rand.New(pcg)}
}

// stream is a positioned substream, valid until its streams hands out the
// next one.
type stream streams

// at returns the substream of process p of the entity with key k in period t.
func (s streams) at(k uint64, p process, t int) stream {
	s.pcg.Seed(seed(k, p, t))
	return stream(s)
}

// seed is the generator's seed for the substream of process p of the entity
// with key k in period t. (It is apart from at so that fire, which the
// compiler inlines into the period step, seeds without a call: at is a
// little too large to inline.)
func seed(k uint64, p process, t int) (hi, lo uint64) {
	return mix(k ^ uint64(p)), mix(k + uint64(t)*0x9e3779b97f4a7c15 + uint64(p))
}

// uniform turns a 64-bit draw, uniform(s.pcg.Uint64()), into a uniform
// number in [0, 1), as rand.Rand.Float64 does. (A method of stream calling
// the generator would be too large for the compiler to inline into the
// period step; so would open and pair.)
func uniform(u uint64) float64 {
	return float64(u<<11>>11) * 0x1p-53
}

// open turns a 64-bit draw, open(s.pcg.Uint64()), into a uniform number in
// (0, 1], at least 2^-53.
func open(u uint64) float64 {
	return float64(u>>11+1) * 0x1p-53
}

// pair splits a 64-bit draw u, pair(s.pcg.Uint64()), into two uniform
// numbers in [0, 1), 32 bits each: for a chance compared with a
// probability, off by at most 2^-32 (2.3e-10), at half the cost of two
// Float64 calls. (A method of stream doing both would be too large for the
// compiler to inline.)
func pair(u uint64) (float64, float64) {
	return float64(u>>32) * 0x1p-32, float64(u&(1<<32-1)) * 0x1p-32
}

// Rand is the stream as a *rand.Rand, for its other distributions.
func (s stream) Rand() *rand.Rand { return s.rng }

// Exp returns an Exponential(1) number.
func (s stream) Exp() float64 { return s.rng.ExpFloat64() }

// due advances a customer's clock for a process by the period's survival
// factor q = e^-h, h the period's hazard, and reports whether the process
// fires this period.
//
// A clock times a recurring process: its next event comes when the
// process's cumulative hazard since the last one reaches an Exponential(1)
// draw E. The clock holds that remaining hazard R as the factor e^R: it
// starts at 1/U, U uniform on (0, 1] (e^E for E = -log U), loses a factor
// q each period, and the process fires when it falls to 1 (R <= 0); fire
// then divides it by a fresh uniform. Because the exponential is memoryless
// this is exactly the per-period law:
//
//   - a recurring process (once = false), q = e^-lambda, fires
//     Poisson(lambda) times in a period (a Poisson process of rate lambda
//     per period);
//   - a chance process (once = true), q = 1 - probability, fires at most
//     once, with that probability; the clock restarts at the next period.
//
// A period without an event costs one multiplication and draws nothing; an
// event costs a division, not a logarithm. A clock stays a normal float32,
// with relative precision 6e-8 (R to 6e-8), while h <= maxHazard: it is at
// most 2^53 after a refill (U >= 2^-53), at least e^-h after a period.
func due(clock *float32, q float32) bool {
	*clock *= q
	return *clock <= 1
}

// maxHazard is the largest per-period hazard of a recurring process that a
// clock (see due) holds at full float32 precision: e^-maxHazard is above
// float32's smallest normal number, 2^-126 = e^-87.3.
const maxHazard = 80

// startClock returns a new clock (see due) from a 64-bit draw u:
// startClock(s.pcg.Uint64()).
func startClock(u uint64) float32 {
	return float32(1 / open(u))
}

// fire handles a clock that due found run out in period t: it opens the
// substream of (k, p, t), refills the clock from it first (as often as
// needed for a recurring process), and returns the number of events and
// the substream for the events' other draws.
func (s streams) fire(clock *float32, k uint64, p process, t int, once bool) (n int, r stream) {
	s.pcg.Seed(seed(k, p, t))
	r = stream(s)
	if once {
		*clock = startClock(r.pcg.Uint64())
		return 1, r
	}
	for *clock <= 1 {
		n++
		*clock = float32(float64(*clock) / open(r.pcg.Uint64()))
	}
	return n, r
}
