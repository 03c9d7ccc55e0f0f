package normal

import (
	"context"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestSupportEnumeration2x2x2(t *testing.T) {
	g := readGame(t, "2x2x2_nfg_from_local_max_cut_2_pure_1_mixed_eq.nfg")
	res, err := SupportEnumeration(context.Background(), g)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"1 0 ; 0 1 ; 1 0", "1/2 1/2 ; 1/2 1/2 ; 1/2 1/2", "0 1 ; 1 0 ; 0 1"}
	if got := keys(res.Equilibria); !slices.Equal(got, want) {
		t.Fatalf("equilibria %q, want %q", got, want)
	}
	for _, e := range res.Equilibria {
		if e.Approximate {
			t.Errorf("%s is marked approximate", e)
		}
		if err := g.CheckNash(e.Strategies); err != nil {
			t.Errorf("%s: %v", e, err)
		}
	}
	checkPayoffs(t, want[1], res.Equilibria[1].Payoffs, "1/2", "2", "1/2")
	if res.Supports != 27 || len(res.Unresolved) != 0 {
		t.Errorf("%d supports, %d unresolved; want 27 and 0", res.Supports, len(res.Unresolved))
	}
}

// TestSupportEnumerationIrrational uses a three-player game whose only
// completely mixed equilibrium has every player play its first strategy
// with probability 1/√2: player 1 is indifferent when p2·p3 = 1/2, player 2
// when p1 = p3 and player 3 when p1 = p2.
func TestSupportEnumerationIrrational(t *testing.T) {
	players := []Player{{"1", []string{"a", "b"}}, {"2", []string{"a", "b"}}, {"3", []string{"a", "b"}}}
	g, err := New("irrational", players)
	if err != nil {
		t.Fatal(err)
	}
	for k := range g.Payoffs {
		s := g.Profile(k)
		if s[0] == 0 && s[1] == 0 && s[2] == 0 {
			g.Payoffs[k][0].SetInt64(1)
		}
		if s[0] == 1 {
			g.Payoffs[k][0].SetFrac64(1, 2)
		}
		if (s[1] == 0 && s[0] == 0) || (s[1] == 1 && s[2] == 0) {
			g.Payoffs[k][1].SetInt64(1)
		}
		if (s[2] == 0 && s[0] == 0) || (s[2] == 1 && s[1] == 0) {
			g.Payoffs[k][2].SetInt64(1)
		}
	}
	res, err := SupportEnumeration(context.Background(), g)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range res.Equilibria {
		if !e.Approximate {
			if err := g.CheckNash(e.Strategies); err != nil {
				t.Errorf("exact %s: %v", e, err)
			}
			continue
		}
		for i := range 3 {
			p, _ := e.Strategies[i][0].Float64()
			if math.Abs(p-1/math.Sqrt2) > 1e-12 {
				t.Errorf("approximate %s: player %d plays a with %v, want 1/√2", e, i+1, p)
			}
		}
		if r := regret(g, e.Strategies); r > 1e-12 {
			t.Errorf("approximate %s has regret %g", e, r)
		}
		found = true
	}
	if !found {
		t.Errorf("the irrational equilibrium was not found among %q", keys(res.Equilibria))
	}
}

// regret is the most any player gains by deviating to a pure strategy.
func regret(g *Game, s [][]*big.Rat) float64 {
	worst := 0.0
	v := g.ExpectedPayoffs(s)
	for i := range g.Players {
		for _, x := range g.StrategyPayoffs(s, i) {
			d, _ := new(big.Rat).Sub(x, v[i]).Float64()
			worst = math.Max(worst, d)
		}
	}
	return worst
}

// TestSupportEnumerationMatchesVertexEnumeration compares the two methods on
// random generic two-player games, where both must find the same finite
// set of equilibria, exactly.
func TestSupportEnumerationMatchesVertexEnumeration(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 8))
	degenerate := 0
	for trial := range 40 {
		m, n := 2+r.IntN(3), 2+r.IntN(3)
		g := randomBimatrix(t, m, n, r.Uint64())
		ve, err := VertexEnumeration(context.Background(), g)
		if err != nil {
			t.Fatal(err)
		}
		se, err := SupportEnumeration(context.Background(), g)
		if err != nil {
			t.Fatal(err)
		}
		got, want := keys(se.Equilibria), keys(ve)
		for _, e := range got {
			if !slices.Contains(want, e) {
				t.Errorf("trial %d (%d×%d): support enumeration finds %s, vertex enumeration does not", trial, m, n, e)
			}
		}
		if len(se.Unresolved) > 0 {
			// a degenerate game (tied payoffs): a continuum of equilibria
			degenerate++
			continue
		}
		if !slices.Equal(got, want) {
			t.Errorf("trial %d (%d×%d): support enumeration %q, vertex enumeration %q", trial, m, n, got, want)
		}
	}
	if degenerate > 10 {
		t.Errorf("%d of 40 games left supports unresolved", degenerate)
	}
}

func TestNearFraction(t *testing.T) {
	for _, tc := range []struct {
		x    float64
		want string
	}{
		{0.5, "1/2"}, {1.0 / 3, "1/3"}, {0, "0"}, {1, "1"}, {2.0 / 7, "2/7"}, {-1e-12, "0"}, {1540.0 / 2297, "1540/2297"},
	} {
		if got := nearFraction(tc.x, 1e-9, 100000).RatString(); got != tc.want {
			t.Errorf("nearFraction(%v) = %s, want %s", tc.x, got, tc.want)
		}
	}
}
