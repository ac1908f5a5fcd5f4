package scenarios

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// errNotFinite is the error for text written as a number too large for a
// float64.
func errNotFinite(text string) error {
	return fmt.Errorf("must be a finite number (at most about 1.8e308 in size), got %s", text)
}

// value is a parameter's value as given. An integer is kept exactly in n:
// a float64 holds whole numbers exactly only up to 2^53, and a seed goes to
// 2^64-1.
type value struct {
	x float64  // the value, or the float64 nearest to it
	n *big.Int // the integer, if the value was written as one; else nil
}

// maxDigits is the most digits of an integer read exactly; a longer one is
// out of every parameter's range and is read as a float64.
const maxDigits = 400

// parseNumber reads text as a number: a decimal integer exactly, anything
// else as strconv.ParseFloat does (so NaN and Inf are numbers, refused later
// with the range). The error says what is allowed and what was given.
func parseNumber(text string) (value, error) {
	x, err := strconv.ParseFloat(text, 64)
	switch {
	case isDecimalInteger(text) && len(text) <= maxDigits:
		n, _ := new(big.Int).SetString(text, 10)
		return value{x: x, n: n}, nil
	case errors.Is(err, strconv.ErrRange):
		return value{}, errNotFinite(text)
	case err != nil:
		return value{}, fmt.Errorf("must be a number, got %q", text)
	}
	return value{x: x}, nil
}

// isDecimalInteger reports whether text is digits with an optional sign.
func isDecimalInteger(text string) bool {
	if text != "" && (text[0] == '+' || text[0] == '-') {
		text = text[1:]
	}
	return text != "" && strings.Trim(text, "0123456789") == ""
}

// exact is the value of the integer n.
func exact(n *big.Int) value {
	x, _ := new(big.Float).SetInt(n).Float64()
	return value{x: x, n: n}
}

// number returns v as a value if it is a number as decoded from YAML, TOML
// or JSON. Text is never a number, even "1".
func number(v any) (value, error) {
	switch v := v.(type) {
	case int:
		return exact(big.NewInt(int64(v))), nil
	case int64:
		return exact(big.NewInt(v)), nil
	case uint64:
		return exact(new(big.Int).SetUint64(v)), nil
	case float64:
		return value{x: v}, nil
	case json.Number:
		return parseNumber(string(v))
	}
	return value{}, errors.New("must be a number, got " + describe(v))
}

// describe says what v is, for "got ..." in errors.
func describe(v any) string {
	switch v := v.(type) {
	case nil:
		return "nothing"
	case string:
		return fmt.Sprintf("text %q", shorten(v))
	case bool:
		return fmt.Sprint(v)
	case []any:
		return "a list"
	case int, int64, uint64:
		return fmt.Sprint(v)
	case float64:
		return formatNumber(v)
	case json.Number:
		return string(v)
	case fmt.Stringer: // dates and times
		return v.String()
	}
	if _, ok := mapping(v); ok {
		return "a section"
	}
	return "a value of an unknown kind"
}

// String is the value as written, an integer in full.
func (v value) String() string {
	if v.n != nil {
		return v.n.String()
	}
	return formatNumber(v.x)
}
