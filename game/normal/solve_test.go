package normal

import (
	"context"
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"
)

// keys returns the text forms of equilibria, in order.
func keys(es []Equilibrium) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.String()
	}
	return out
}

// rats parses a list of payoffs.
func rats(t testing.TB, s ...string) []*big.Rat {
	out := make([]*big.Rat, len(s))
	for i, x := range s {
		r, ok := new(big.Rat).SetString(x)
		if !ok {
			t.Fatalf("bad rational %q", x)
		}
		out[i] = r
	}
	return out
}

func checkPayoffs(t *testing.T, what string, got []*big.Rat, want ...string) {
	t.Helper()
	w := rats(t, want...)
	if len(got) != len(w) {
		t.Errorf("%s: %d payoffs, want %d", what, len(got), len(w))
		return
	}
	for i := range w {
		if got[i].Cmp(w[i]) != 0 {
			t.Errorf("%s: player %d's payoff = %s, want %s", what, i+1, got[i].RatString(), w[i].RatString())
		}
	}
}

// TestOracleGames checks each two-player game of testdata/gambit against the
// equilibria its README lists: vertex enumeration finds exactly those, each
// passes the exact best-response check, and Lemke–Howson from every label
// ends at one of them.
func TestOracleGames(t *testing.T) {
	for _, tc := range []struct {
		file    string
		eqs     []string   // every equilibrium, in the sorted order
		payoffs [][]string // payoffs of each
		pure    int        // how many of them are pure
	}{
		{"pd.nfg", []string{"0 1 ; 0 1"}, [][]string{{"1", "1"}}, 1},
		{"2x2.nfg", []string{"1/2 1/2 ; 1/3 2/3"}, [][]string{{"2/3", "1/2"}}, 0},
		{"coord2.nfg", []string{"1 0 ; 1 0", "1/2 1/2 ; 2/5 3/5", "0 1 ; 0 1"},
			[][]string{{"3", "2"}, {"6/5", "1"}, {"2", "2"}}, 2},
	} {
		t.Run(tc.file, func(t *testing.T) {
			g := readGame(t, tc.file)
			eqs, err := VertexEnumeration(context.Background(), g)
			if err != nil {
				t.Fatal(err)
			}
			if got := keys(eqs); !slices.Equal(got, tc.eqs) {
				t.Fatalf("equilibria = %q, want %q", got, tc.eqs)
			}
			for i, e := range eqs {
				if err := g.CheckNash(e.Strategies); err != nil {
					t.Errorf("%s: %v", e, err)
				}
				checkPayoffs(t, e.String(), e.Payoffs, tc.payoffs[i]...)
			}
			lh, err := LemkeHowsonAll(context.Background(), g)
			if err != nil {
				t.Fatal(err)
			}
			labels := 0
			for _, e := range lh {
				if !slices.Contains(tc.eqs, e.String()) {
					t.Errorf("Lemke–Howson found %s, not among %q", e, tc.eqs)
				}
				labels += len(e.Labels)
			}
			if labels != len(g.Players[0].Strategies)+len(g.Players[1].Strategies) {
				t.Errorf("Lemke–Howson results cover %d labels", labels)
			}
			pure, err := PureEquilibria(context.Background(), g)
			if err != nil {
				t.Fatal(err)
			}
			if len(pure) != tc.pure {
				t.Errorf("%d pure equilibria, want %d", len(pure), tc.pure)
			}
			for _, e := range pure {
				if !slices.Contains(tc.eqs, e.String()) {
					t.Errorf("pure equilibrium %s not among %q", e, tc.eqs)
				}
			}
		})
	}
}

// TestLemkeHowson75 runs Lemke–Howson from each of the 12 labels of the 6×6
// game and checks that every result is one of the 75 equilibria.
func TestLemkeHowson75(t *testing.T) {
	g := readGame(t, "6x6_game_with_75_eq.nfg")
	want := oracleEquilibria(t)
	lh, err := LemkeHowsonAll(context.Background(), g)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range lh {
		if !slices.Contains(want, e.String()) {
			t.Errorf("labels %v: %s is not one of the 75 equilibria", e.Labels, e)
		}
		if err := g.CheckNash(e.Strategies); err != nil {
			t.Errorf("labels %v: %v", e.Labels, err)
		}
		n += len(e.Labels)
	}
	if n != 12 {
		t.Errorf("results for %d labels, want 12", n)
	}
}

func TestPureEquilibria2x2x2(t *testing.T) {
	g := readGame(t, "2x2x2_nfg_from_local_max_cut_2_pure_1_mixed_eq.nfg")
	eqs, err := PureEquilibria(context.Background(), g)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"1 0 ; 0 1 ; 1 0", "0 1 ; 1 0 ; 0 1"}
	if got := keys(eqs); !slices.Equal(got, want) {
		t.Fatalf("pure equilibria = %q, want %q", got, want)
	}
	checkPayoffs(t, want[0], eqs[0].Payoffs, "2", "4", "2")
	checkPayoffs(t, want[1], eqs[1].Payoffs, "2", "4", "2")
	half := big.NewRat(1, 2)
	mixed := [][]*big.Rat{{half, half}, {half, half}, {half, half}}
	if err := g.CheckNash(mixed); err != nil {
		t.Errorf("the uniform profile is not an equilibrium: %v", err)
	}
}

// TestDegenerate checks a degenerate game with an infinite set of
// equilibria (von Stengel's 3×2 example, where player 1's first strategy has
// two best responses): player 1 playing 1 against any mixture of (1, 0) and
// (2/3, 1/3) is an equilibrium, so both ends of that segment must be found,
// besides the isolated equilibrium.
func TestDegenerate(t *testing.T) {
	g := bimatrix(t, [][]int64{{3, 3}, {2, 5}, {0, 6}}, [][]int64{{3, 3}, {2, 6}, {3, 1}})
	eqs, err := VertexEnumeration(context.Background(), g)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"1 0 0 ; 1 0", "1 0 0 ; 2/3 1/3", "0 1/3 2/3 ; 1/3 2/3"}
	if got := keys(eqs); !slices.Equal(got, want) {
		t.Errorf("equilibria = %q, want %q", got, want)
	}
	// With B[1][2] = 2 instead of 3 the game is nondegenerate, and the
	// segment shrinks to a point while a new equilibrium appears.
	g = bimatrix(t, [][]int64{{3, 3}, {2, 5}, {0, 6}}, [][]int64{{3, 2}, {2, 6}, {3, 1}})
	if eqs, err = VertexEnumeration(context.Background(), g); err != nil {
		t.Fatal(err)
	}
	want = []string{"1 0 0 ; 1 0", "4/5 1/5 0 ; 2/3 1/3", "0 1/3 2/3 ; 1/3 2/3"}
	if got := keys(eqs); !slices.Equal(got, want) {
		t.Errorf("nondegenerate: equilibria = %q, want %q", got, want)
	}
}

func bimatrix(t testing.TB, a, b [][]int64) *Game {
	t.Helper()
	ra, rb := make([][]*big.Rat, len(a)), make([][]*big.Rat, len(b))
	for i := range a {
		for j := range a[i] {
			ra[i] = append(ra[i], big.NewRat(a[i][j], 1))
			rb[i] = append(rb[i], big.NewRat(b[i][j], 1))
		}
	}
	g, err := Bimatrix("test", ra, rb)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// TestVertexEnumerationAgainstBruteForce compares vertex enumeration with an
// independent brute force — every choice of tight constraints solved by
// Gaussian elimination — on small random games with payoffs in 0..2, which
// are mostly degenerate.
func TestVertexEnumerationAgainstBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for trial := range 300 {
		m, n := 1+r.IntN(4), 1+r.IntN(4)
		a, b := make([][]int64, m), make([][]int64, m)
		for i := range m {
			a[i], b[i] = make([]int64, n), make([]int64, n)
			for j := range n {
				a[i][j], b[i][j] = r.Int64N(3), r.Int64N(3)
			}
		}
		g := bimatrix(t, a, b)
		eqs, err := VertexEnumeration(context.Background(), g)
		if err != nil {
			t.Fatal(err)
		}
		got := keys(eqs)
		want := bruteForceExtreme(g)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("trial %d, A=%v B=%v:\nvertex enumeration %q\nbrute force        %q", trial, a, b, got, want)
		}
		for _, e := range eqs {
			if err := g.CheckNash(e.Strategies); err != nil {
				t.Fatalf("trial %d: %s: %v", trial, e, err)
			}
		}
		for k := range m + n {
			e, err := LemkeHowson(g, k)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Contains(want, e.String()) {
				t.Fatalf("trial %d A=%v B=%v: Lemke–Howson from label %d ends at %s, not an extreme equilibrium", trial, a, b, k, e)
			}
		}
	}
}

// bruteForceExtreme lists the extreme equilibria of a two-player game as
// the completely labelled pairs of vertices of the best-response polytopes,
// with the vertices found by trying every set of tight constraints.
func bruteForceExtreme(g *Game) []string {
	a, b, _ := g.matrices()
	m, n := len(a), len(a[0])
	bt := make([][]*big.Rat, n)
	for j := range n {
		for i := range m {
			bt[j] = append(bt[j], b[i][j])
		}
	}
	type vx struct {
		x      []*big.Rat
		labels uint64
	}
	// vertices of {z ≥ 0 : Mz ≤ 1} (M shifted positive); label of z_i = 0
	// is zl(i), of row r tight is rl(r)
	verts := func(mat [][]*big.Rat, zl, rl func(int) int) []vx {
		k, d := len(mat), len(mat[0])
		min := new(big.Rat).Set(mat[0][0])
		for _, row := range mat {
			for _, x := range row {
				if x.Cmp(min) < 0 {
					min.Set(x)
				}
			}
		}
		shift := new(big.Rat).Sub(big.NewRat(1, 1), min)
		mm := make([][]*big.Rat, k)
		for r := range k {
			for j := range d {
				mm[r] = append(mm[r], new(big.Rat).Add(mat[r][j], shift))
			}
		}
		seen := map[string]bool{}
		var out []vx
		// constraints 0..d-1: z_j = 0; d..d+k-1: row r tight
		for mask := uint64(0); mask < 1<<(d+k); mask++ {
			if popcount(mask) != d {
				continue
			}
			// build the d×d system
			var rows [][]*big.Rat
			var rhs []*big.Rat
			for c := range d + k {
				if mask&(1<<c) == 0 {
					continue
				}
				row := make([]*big.Rat, d)
				for j := range row {
					row[j] = new(big.Rat)
				}
				if c < d {
					row[c].SetInt64(1)
					rhs = append(rhs, new(big.Rat))
				} else {
					for j := range d {
						row[j].Set(mm[c-d][j])
					}
					rhs = append(rhs, big.NewRat(1, 1))
				}
				rows = append(rows, row)
			}
			z := solve(rows, rhs)
			if z == nil {
				continue
			}
			ok := true
			var labels uint64
			for j := range d {
				if z[j].Sign() < 0 {
					ok = false
				}
				if z[j].Sign() == 0 {
					labels |= 1 << zl(j)
				}
			}
			for r := range k {
				s := new(big.Rat)
				for j := range d {
					s.Add(s, new(big.Rat).Mul(mm[r][j], z[j]))
				}
				switch s.Cmp(big.NewRat(1, 1)) {
				case 1:
					ok = false
				case 0:
					labels |= 1 << rl(r)
				}
			}
			if !ok {
				continue
			}
			key := fmt.Sprint(z)
			if seen[key] {
				continue
			}
			seen[key] = true
			out = append(out, vx{z, labels})
		}
		return out
	}
	pv := verts(bt, func(i int) int { return i }, func(j int) int { return m + j })
	qv := verts(a, func(j int) int { return m + j }, func(i int) int { return i })
	full := uint64(1)<<(m+n) - 1
	var out []string
	for _, p := range pv {
		for _, q := range qv {
			if p.labels|q.labels != full || allZero(p.x) || allZero(q.x) {
				continue
			}
			out = append(out, Equilibrium{Strategies: [][]*big.Rat{normRat(p.x), normRat(q.x)}}.String())
		}
	}
	return out
}

func popcount(x uint64) int {
	n := 0
	for ; x != 0; x &= x - 1 {
		n++
	}
	return n
}

func allZero(v []*big.Rat) bool {
	for _, x := range v {
		if x.Sign() != 0 {
			return false
		}
	}
	return true
}

func normRat(v []*big.Rat) []*big.Rat {
	s := new(big.Rat)
	for _, x := range v {
		s.Add(s, x)
	}
	out := make([]*big.Rat, len(v))
	for i, x := range v {
		out[i] = new(big.Rat).Quo(x, s)
	}
	return out
}

// solve solves the square system rows·z = rhs by Gaussian elimination, or
// returns nil if it is singular.
func solve(rows [][]*big.Rat, rhs []*big.Rat) []*big.Rat {
	d := len(rows)
	for c := range d {
		p := -1
		for r := c; r < d; r++ {
			if rows[r][c].Sign() != 0 {
				p = r
				break
			}
		}
		if p < 0 {
			return nil
		}
		rows[c], rows[p] = rows[p], rows[c]
		rhs[c], rhs[p] = rhs[p], rhs[c]
		for r := range d {
			if r == c || rows[r][c].Sign() == 0 {
				continue
			}
			f := new(big.Rat).Quo(rows[r][c], rows[c][c])
			for j := c; j < d; j++ {
				rows[r][j].Sub(rows[r][j], new(big.Rat).Mul(f, rows[c][j]))
			}
			rhs[r].Sub(rhs[r], new(big.Rat).Mul(f, rhs[c]))
		}
	}
	z := make([]*big.Rat, d)
	for i := range d {
		z[i] = new(big.Rat).Quo(rhs[i], rows[i][i])
	}
	return z
}
