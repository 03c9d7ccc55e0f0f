package engine_test

import (
	"testing"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/internal/testkit"
	"github.com/parleyhq/parley/model"
	"github.com/parleyhq/parley/scenario"
)

// benchScenario is a two-actor, four-phase roadmap with noise and misperception.
func benchScenario() *scenario.Scenario {
	a := testkit.Actor("A", 0.95, testkit.Type("rec", 0.6, scenario.Reciprocator), testkit.Type("hard", 0.4, scenario.Hardliner))
	b := testkit.Actor("B", 0.95, testkit.Type("rec", 0.5, scenario.Reciprocator), testkit.Type("opp", 0.5, scenario.Opportunist))
	a.LastingValue, b.LastingValue = 0.1, 0.1
	var moves []scenario.Move
	var ph []scenario.Phase
	for k := 0; k < 4; k++ {
		ma := testkit.Move(string(rune('a'+k))+"A", "A", 0.3, "B", 0.6)
		mb := testkit.Move(string(rune('a'+k))+"B", "B", 0.3, "A", 0.6)
		mb.Verification = testkit.F(0.7)
		ma.Reversible = 0.5
		moves = append(moves, ma, mb)
		ph = append(ph, testkit.Phase(ma.ID, mb.ID))
	}
	s := testkit.Scenario(40, []scenario.Actor{a, b}, moves, ph...)
	s.Environment.Rationality = 20
	s.Environment.Noise = 0.02
	s.Environment.Misperception = 0.1
	s.Environment.ThreatResponse = 0.2
	return s
}

func BenchmarkHistorySmall(b *testing.B) {
	r := compile(&testing.T{}, benchScenario())
	h := engine.New(r)
	var src engine.PCG
	warmUp(h, &src)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		src.Seed(1, uint64(i))
		h.Run(&src)
	}
}

func TestHistoryAllocatesNothing(t *testing.T) {
	r := compile(t, benchScenario())
	h := engine.New(r)
	var src engine.PCG
	n := uint64(0)
	allocs := testing.AllocsPerRun(200, func() {
		src.Seed(1, n)
		n++
		h.Run(&src)
	})
	if allocs != 0 {
		t.Errorf("%v allocations per history, want 0", allocs)
	}
}

func benchBuiltin(b *testing.B, name, roadmap string) {
	s, err := scenario.Builtin(name)
	if err != nil {
		b.Fatal(err)
	}
	r, err := model.Compile(s, roadmap)
	if err != nil {
		b.Fatal(err)
	}
	h := engine.New(r)
	var src engine.PCG
	warmUp(h, &src)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		src.Seed(1, uint64(i))
		h.Run(&src)
	}
}

// warmUp runs a History past the point where its memos take their full
// size, so that what follows measures the steady state of a long run.
func warmUp(h *engine.History, src *engine.PCG) {
	for i := 0; i < 3000; i++ {
		src.Seed(2, uint64(i))
		h.Run(src)
	}
}

// TestBuiltinHistoriesAllocateNothing: after the warm-up, a history of any
// roadmap of any built-in scenario allocates nothing.
func TestBuiltinHistoriesAllocateNothing(t *testing.T) {
	for _, name := range scenario.BuiltinNames() {
		s, err := scenario.Builtin(name)
		if err != nil {
			t.Fatal(err)
		}
		rs, err := model.CompileAll(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			h := engine.New(r)
			var src engine.PCG
			warmUp(h, &src)
			n := uint64(0)
			allocs := testing.AllocsPerRun(300, func() {
				src.Seed(1, n)
				n++
				h.Run(&src)
			})
			if allocs != 0 {
				t.Errorf("%s %s: %v allocations per history, want 0", name, r.ID, allocs)
			}
		}
	}
}

// BenchmarkHistoryKoreaPeaceFirst is the performance goal of the engine:
// one history of the built-in korea scenario's peace-first roadmap.
func BenchmarkHistoryKoreaPeaceFirst(b *testing.B) { benchBuiltin(b, "korea", "peace-first") }

// BenchmarkHistoryKoreaGrandBargain is the korea scenario's one-phase roadmap.
func BenchmarkHistoryKoreaGrandBargain(b *testing.B) { benchBuiltin(b, "korea", "grand-bargain") }

// The korea scenario's other roadmaps.
func BenchmarkHistoryKoreaDenuclearizationFirst(b *testing.B) {
	benchBuiltin(b, "korea", "denuclearization-first")
}
func BenchmarkHistoryKoreaGRIT(b *testing.B)      { benchBuiltin(b, "korea", "grit") }
func BenchmarkHistoryKoreaStatusQuo(b *testing.B) { benchBuiltin(b, "korea", "status-quo") }
