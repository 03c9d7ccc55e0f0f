package engine_test

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/model"
	"github.com/parleyhq/parley/scenario"
)

// TestMemosChangeNothing: the memos that a History keeps across histories
// (decisions, σ, projections) give the very bits that computing afresh
// gives. Every roadmap of every built-in scenario, also under other
// rationality, noise and response settings, plays the same histories with
// and without them, event for event, and long enough for the decision memo
// to grow to its full size.
func TestMemosChangeNothing(t *testing.T) {
	variants := [][]string{
		nil,
		{"environment.rationality=inf"},
		{"environment.misperception=0", "environment.noise=0"},
		{"environment.rationality=5", "environment.misperception=0.3"},
	}
	n := 2300 // past the point where the decision memo grows
	if testing.Short() {
		n = 300
	}
	for _, name := range scenario.BuiltinNames() {
		s0, err := scenario.Builtin(name)
		if err != nil {
			t.Fatal(err)
		}
		vs := append([][]string(nil), variants...)
		for _, a := range s0.Actors {
			vs = append(vs, []string{"actors." + a.ID + ".response={patient: 1}"},
				[]string{"actors." + a.ID + ".response={strategy: Random(0.3)}"})
		}
		for vi, v := range vs {
			s, _ := scenario.Builtin(name)
			if err := scenario.SetAll(s, v); err != nil {
				t.Fatalf("%s %v: %v", name, v, err)
			}
			if err := scenario.Validate(s); err != nil {
				t.Fatalf("%s %v: %v", name, v, err)
			}
			rs, err := model.CompileAll(s)
			if err != nil {
				t.Fatal(err)
			}
			runs := n
			if vi > 0 {
				runs = 200
			}
			for _, r := range rs {
				memo, plain := engine.New(r), engine.NewPlain(r)
				var rm, rp engine.Recorder
				memo.Tracer, plain.Tracer = &rm, &rp
				var src engine.PCG
				for i := 0; i < runs; i++ {
					// trace one history in 50 (tracing does not change a history)
					traced := i%50 == 0
					if !traced {
						memo.Tracer, plain.Tracer = nil, nil
					}
					rm.Events, rp.Events = rm.Events[:0], rp.Events[:0]
					src.Seed(11, uint64(i))
					a := memo.Run(&src)
					src.Seed(11, uint64(i))
					b := plain.Run(&src)
					if !sameResult(a, b) {
						t.Fatalf("%s %v %s history %d: with memos\n%s\nwithout\n%s", name, v, r.ID, i, fingerprint(a), fingerprint(b))
					}
					if traced {
						ea, eb := fmt.Sprint(rm.Events), fmt.Sprint(rp.Events)
						if ea != eb {
							t.Fatalf("%s %v %s history %d: the traces differ", name, v, r.ID, i)
						}
					}
					memo.Tracer, plain.Tracer = &rm, &rp
				}
			}
		}
	}
}

// sameResult reports whether two results are the same, floats bit for bit.
func sameResult(a, b *engine.Result) bool {
	if a.Status != b.Status || a.Cause != b.Cause || a.Rounds != b.Rounds ||
		!slices.Equal(a.Types, b.Types) || !slices.Equal(a.MilestoneTrue, b.MilestoneTrue) {
		return false
	}
	for m := range a.MilestoneBelieved {
		if !slices.Equal(a.MilestoneBelieved[m], b.MilestoneBelieved[m]) {
			return false
		}
	}
	for _, p := range [][2][]float64{{a.Utility, b.Utility}, {a.Exposure, b.Exposure}, {a.Leverage, b.Leverage},
		{a.Trust, b.Trust}, {a.Insecurity, b.Insecurity}} {
		for i := range p[0] {
			if math.Float64bits(p[0][i]) != math.Float64bits(p[1][i]) {
				return false
			}
		}
	}
	return true
}

// fingerprint spells out a result, floats by their bits.
func fingerprint(r *engine.Result) string {
	b := fmt.Appendf(nil, "%v %v %d %v %v %v|", r.Status, r.Cause, r.Rounds, r.Types, r.MilestoneTrue, r.MilestoneBelieved)
	for _, xs := range [][]float64{r.Utility, r.Exposure, r.Leverage, r.Trust, r.Insecurity} {
		for _, x := range xs {
			b = fmt.Appendf(b, "%x,", math.Float64bits(x))
		}
		b = append(b, '|')
	}
	return string(b)
}
