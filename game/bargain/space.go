package bargain

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Issue is one matter the parties must settle: either one of a list of
// values (a discrete issue) or any amount in a range (a divisible issue).
type Issue struct {
	Name string
	// Divisible says that any amount from Min to Max may be agreed;
	// otherwise the issue takes one of Values.
	Divisible bool
	// Values are the options of a discrete issue, in order.
	Values []string
	// Min and Max bound the amount of a divisible issue, Min < Max.
	Min, Max float64
}

// Valuation is what one party makes of one issue. The issue adds
// Weight × evaluation to the party's utility: the evaluation of the k-th
// value of a discrete issue is Scores[k]; that of an amount of a divisible
// issue runs linearly from AtMin at the issue's Min to AtMax at its Max.
//
// The loaders scale every issue's evaluations so that the best is 1 (as
// Genius does for discrete issues), which makes Weight the most the issue
// can bring; the weights are used as written, not rescaled to sum to 1.
type Valuation struct {
	Weight       float64
	Scores       []float64
	AtMin, AtMax float64
}

// Party is one side of a negotiation.
type Party struct {
	Name string
	// Reservation is the utility of the party's best alternative to a
	// negotiated agreement (BATNA): no deal worth less is acceptable. The
	// bargaining solutions take the pair of reservation values as their
	// disagreement point.
	Reservation float64
	// Discount is the factor, in (0, 1], by which a deal one round later is
	// worth less to the party; 1 means no discounting.
	Discount float64
	// Valuations has one entry per issue of the space, in its order.
	Valuations []Valuation
}

// Space is a two-party deal space: the issues on the table and what each
// party makes of them, with linear-additive utilities.
type Space struct {
	Name    string
	Issues  []Issue
	Parties [2]Party
}

// Deal gives every issue of a space a value: Deal[i] is the index of the
// chosen value of discrete issue i, or the amount agreed on divisible issue i.
type Deal []float64

// Point is a pair of utilities, party 1's first.
type Point struct {
	U1, U2 float64
}

// Utility returns party p's (0 or 1) utility for deal d.
func (s *Space) Utility(p int, d Deal) float64 {
	u := 0.0
	for i := range s.Issues {
		u += s.Parties[p].Valuations[i].Weight * s.evaluation(p, i, d[i])
	}
	return u
}

// Utilities returns both parties' utilities for deal d.
func (s *Space) Utilities(d Deal) Point {
	return Point{s.Utility(0, d), s.Utility(1, d)}
}

// evaluation is party p's evaluation of value v of issue i.
func (s *Space) evaluation(p, i int, v float64) float64 {
	is := s.Issues[i]
	val := s.Parties[p].Valuations[i]
	if !is.Divisible {
		return val.Scores[int(v)]
	}
	return val.AtMin + (val.AtMax-val.AtMin)*(v-is.Min)/(is.Max-is.Min)
}

// Disagreement returns the pair of reservation values, the disagreement
// point of the bargaining solutions.
func (s *Space) Disagreement() Point {
	return Point{s.Parties[0].Reservation, s.Parties[1].Reservation}
}

// Validate reports every problem with the space as an *Error whose paths
// name Go fields ("parties[1].valuations[0].scores[2]"); nil means valid.
func (s *Space) Validate() error {
	var ps []Problem
	add := func(path, format string, a ...any) {
		ps = append(ps, Problem{Path: path, Msg: fmt.Sprintf(format, a...)})
	}
	if len(s.Issues) == 0 {
		add("issues", "a deal space needs at least one issue")
	}
	names := map[string]int{}
	for i, is := range s.Issues {
		path := fmt.Sprintf("issues[%d]", i)
		if strings.TrimSpace(is.Name) == "" {
			add(path+".name", "an issue needs a name")
		} else if j, dup := names[is.Name]; dup {
			add(path+".name", "issue name %q is already used by issues[%d]; names must differ", is.Name, j)
		} else {
			names[is.Name] = i
		}
		if is.Divisible {
			if !finite(is.Min) || !finite(is.Max) || is.Min >= is.Max {
				add(path, "a divisible issue needs finite bounds with min < max, got [%g, %g]", is.Min, is.Max)
			}
			continue
		}
		if len(is.Values) == 0 {
			add(path+".values", "a discrete issue needs at least one value")
		}
		seen := map[string]int{}
		for k, v := range is.Values {
			if j, dup := seen[v]; dup {
				add(fmt.Sprintf("%s.values[%d]", path, k), "value %q is already values[%d]; values must differ", v, j)
			}
			seen[v] = k
		}
	}
	for p, pa := range s.Parties {
		path := fmt.Sprintf("parties[%d]", p)
		if strings.TrimSpace(pa.Name) == "" {
			add(path+".name", "a party needs a name")
		}
		if !finite(pa.Reservation) {
			add(path+".reservation", "must be a finite number, got %g", pa.Reservation)
		}
		if !(pa.Discount > 0 && pa.Discount <= 1) {
			add(path+".discount", "must be in (0, 1] (1: no discounting), got %g", pa.Discount)
		}
		if len(pa.Valuations) != len(s.Issues) {
			add(path+".valuations", "has %d entries for %d issues; give one per issue", len(pa.Valuations), len(s.Issues))
			continue
		}
		for i, v := range pa.Valuations {
			vp := fmt.Sprintf("%s.valuations[%d]", path, i)
			if !finite(v.Weight) {
				add(vp+".weight", "must be a finite number, got %g", v.Weight)
			}
			if s.Issues[i].Divisible {
				if !finite(v.AtMin) || !finite(v.AtMax) {
					add(vp, "the evaluations at the ends must be finite, got %g and %g", v.AtMin, v.AtMax)
				}
				continue
			}
			if len(v.Scores) != len(s.Issues[i].Values) {
				add(vp+".scores", "has %d scores for the %d values of issue %q", len(v.Scores), len(s.Issues[i].Values), s.Issues[i].Name)
				continue
			}
			for k, x := range v.Scores {
				if !finite(x) {
					add(fmt.Sprintf("%s.scores[%d]", vp, k), "must be a finite number, got %g", x)
				}
			}
		}
	}
	return errorOf(ps)
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// ValueString returns value v of issue i as text: the name of a discrete
// value, or the amount of a divisible issue to at most 6 significant digits.
func (s *Space) ValueString(i int, v float64) string {
	is := s.Issues[i]
	if !is.Divisible {
		k := int(v)
		if k >= 0 && k < len(is.Values) {
			return is.Values[k]
		}
		return "?"
	}
	return strconv.FormatFloat(roundSig(v, 6), 'g', -1, 64)
}

// roundSig rounds x to n significant digits.
func roundSig(x float64, n int) float64 {
	if x == 0 || !finite(x) {
		return x
	}
	f, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', n, 64), 64)
	return f
}

// DealString describes d as "issue=value, issue=value".
func (s *Space) DealString(d Deal) string {
	parts := make([]string, len(s.Issues))
	for i, is := range s.Issues {
		parts[i] = is.Name + "=" + s.ValueString(i, d[i])
	}
	return strings.Join(parts, ", ")
}

// ParseDeal reads a deal given as one "ISSUE=VALUE" assignment per issue,
// in any order. A discrete value is named as in the space; a divisible
// amount is a number within the issue's range.
func (s *Space) ParseDeal(assignments []string) (Deal, error) {
	d := make(Deal, len(s.Issues))
	set := make([]bool, len(s.Issues))
	for _, a := range assignments {
		name, value, ok := strings.Cut(a, "=")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !ok {
			return nil, fmt.Errorf("%q: expected ISSUE=VALUE", a)
		}
		i := s.issueIndex(name)
		if i < 0 {
			return nil, fmt.Errorf("%q: no issue %q; the issues are %s", a, name, s.issueList())
		}
		if set[i] {
			return nil, fmt.Errorf("%q: issue %q is given twice", a, name)
		}
		set[i] = true
		is := s.Issues[i]
		if is.Divisible {
			x, err := strconv.ParseFloat(value, 64)
			if err != nil || !finite(x) || x < is.Min || x > is.Max {
				return nil, fmt.Errorf("%q: issue %q takes an amount from %g to %g", a, name, is.Min, is.Max)
			}
			d[i] = x
			continue
		}
		k := -1
		for j, v := range is.Values {
			if v == value {
				k = j
			}
		}
		if k < 0 {
			return nil, fmt.Errorf("%q: issue %q has no value %q; its values are %s", a, name, value, quoteList(is.Values))
		}
		d[i] = float64(k)
	}
	var missing []string
	for i, ok := range set {
		if !ok {
			missing = append(missing, strconv.Quote(s.Issues[i].Name))
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("the deal leaves out %s; give every issue a value", strings.Join(missing, ", "))
	}
	return d, nil
}

func (s *Space) issueIndex(name string) int {
	for i, is := range s.Issues {
		if is.Name == name {
			return i
		}
	}
	return -1
}

func (s *Space) issueList() string {
	names := make([]string, len(s.Issues))
	for i, is := range s.Issues {
		names[i] = is.Name
	}
	return quoteList(names)
}

func quoteList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = strconv.Quote(x)
	}
	return strings.Join(q, ", ")
}
