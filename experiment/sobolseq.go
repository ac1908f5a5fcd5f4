package experiment

import (
	"fmt"
	"math/rand/v2"
)

// MaxSobolDims is the most dimensions SobolSequence provides: the first,
// and the 39 after it whose direction numbers are listed in joeKuo.
const MaxSobolDims = 40

// joeKuo are the direction numbers of Joe and Kuo (2008), "Constructing
// Sobol sequences with better two-dimensional projections", SIAM J. Sci.
// Comput. 30, 2635-2654, from their table new-joe-kuo-6.21201, for
// dimensions 2 to 40: the degree s of the primitive polynomial, its inner
// coefficients a (as bits) and the initial direction numbers m_1..m_s.
var joeKuo = []struct {
	s, a uint32
	m    []uint32
}{
	{1, 0, []uint32{1}},
	{2, 1, []uint32{1, 3}},
	{3, 1, []uint32{1, 3, 1}},
	{3, 2, []uint32{1, 1, 1}},
	{4, 1, []uint32{1, 1, 3, 3}},
	{4, 4, []uint32{1, 3, 5, 13}},
	{5, 2, []uint32{1, 1, 5, 5, 17}},
	{5, 4, []uint32{1, 1, 5, 5, 5}},
	{5, 7, []uint32{1, 1, 7, 11, 19}},
	{5, 11, []uint32{1, 1, 5, 1, 1}},
	{5, 13, []uint32{1, 1, 1, 3, 11}},
	{5, 14, []uint32{1, 3, 5, 5, 31}},
	{6, 1, []uint32{1, 3, 3, 9, 7, 49}},
	{6, 13, []uint32{1, 1, 1, 15, 21, 21}},
	{6, 16, []uint32{1, 3, 1, 13, 27, 49}},
	{6, 19, []uint32{1, 1, 1, 15, 7, 5}},
	{6, 22, []uint32{1, 3, 1, 15, 13, 25}},
	{6, 25, []uint32{1, 1, 5, 5, 19, 61}},
	{7, 1, []uint32{1, 3, 7, 11, 23, 15, 103}},
	{7, 4, []uint32{1, 3, 7, 13, 13, 15, 69}},
	{7, 7, []uint32{1, 1, 3, 13, 7, 35, 63}},
	{7, 8, []uint32{1, 3, 5, 9, 1, 25, 53}},
	{7, 14, []uint32{1, 3, 1, 13, 9, 35, 107}},
	{7, 19, []uint32{1, 3, 1, 5, 27, 61, 31}},
	{7, 21, []uint32{1, 1, 5, 11, 19, 41, 61}},
	{7, 28, []uint32{1, 3, 5, 3, 3, 13, 69}},
	{7, 31, []uint32{1, 1, 7, 13, 1, 19, 1}},
	{7, 32, []uint32{1, 3, 7, 5, 13, 19, 59}},
	{7, 37, []uint32{1, 1, 3, 9, 25, 29, 41}},
	{7, 41, []uint32{1, 3, 5, 13, 23, 1, 55}},
	{7, 42, []uint32{1, 3, 7, 3, 13, 59, 17}},
	{7, 50, []uint32{1, 3, 1, 3, 5, 53, 69}},
	{7, 55, []uint32{1, 1, 5, 5, 23, 33, 13}},
	{7, 56, []uint32{1, 1, 7, 7, 1, 61, 123}},
	{7, 59, []uint32{1, 1, 7, 9, 13, 61, 49}},
	{7, 62, []uint32{1, 3, 3, 5, 3, 55, 33}},
	{8, 14, []uint32{1, 3, 1, 15, 31, 13, 49, 245}},
	{8, 21, []uint32{1, 3, 5, 15, 31, 59, 63, 97}},
	{8, 22, []uint32{1, 3, 1, 11, 11, 11, 77, 249}},
}

// sobolBits is the precision of a SobolSequence: its points are multiples
// of 2^-32, and it has 2^32 of them.
const sobolBits = 32

// SobolSequence is the Sobol low-discrepancy sequence (Sobol 1967) in up
// to MaxSobolDims dimensions, with Joe and Kuo's direction numbers, in
// Gray-code order (Antonov and Saleev 1979), optionally scrambled by a
// random digital shift: the same shift XORed into every point, which keeps
// the sequence's stratification and makes it a randomised quasi-Monte
// Carlo sample.
type SobolSequence struct {
	v     [][sobolBits]uint32 // v[j][k]: direction number k of dimension j, scaled by 2^32
	shift []uint32            // the digital shift, one per dimension; zero for none
}

// NewSobolSequence returns the sequence in dims dimensions (1 to
// MaxSobolDims), unscrambled.
func NewSobolSequence(dims int) (*SobolSequence, error) {
	if dims < 1 || dims > MaxSobolDims {
		return nil, fmt.Errorf("sobol sequence: dimensions must be in [1, %d], got %d", MaxSobolDims, dims)
	}
	q := &SobolSequence{v: make([][sobolBits]uint32, dims), shift: make([]uint32, dims)}
	for k := range sobolBits {
		q.v[0][k] = 1 << (sobolBits - 1 - k)
	}
	for j := 1; j < dims; j++ {
		jk, v := joeKuo[j-1], &q.v[j]
		s := int(jk.s)
		for k := range sobolBits {
			if k < s {
				v[k] = jk.m[k] << (sobolBits - 1 - k)
				continue
			}
			v[k] = v[k-s] ^ v[k-s]>>s
			for i := 1; i < s; i++ {
				if jk.a>>(s-1-i)&1 == 1 {
					v[k] ^= v[k-i]
				}
			}
		}
	}
	return q, nil
}

// Scramble sets a random digital shift drawn from seed: the same seed
// gives the same shift.
func (q *SobolSequence) Scramble(seed uint64) {
	r := rand.New(rand.NewPCG(seed, 0x736f626f6c)) // "sobol"
	for j := range q.shift {
		q.shift[j] = r.Uint32()
	}
}

// Point writes point i (0 <= i < 2^32) of the sequence into x, one
// coordinate per dimension, each the centre of its cell of width 2^-32,
// so in (0, 1). Unscrambled, the cell of point 0 is at the origin.
func (q *SobolSequence) Point(i uint32, x []float64) {
	g := i ^ i>>1 // Gray code: consecutive points differ by one direction number
	for j := range q.v {
		bits := q.shift[j]
		for k := 0; g>>k != 0; k++ {
			if g>>k&1 == 1 {
				bits ^= q.v[j][k]
			}
		}
		x[j] = (float64(bits) + 0.5) * 0x1p-32
	}
}
