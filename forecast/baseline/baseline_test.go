package baseline

import (
	"fmt"
	"math"
	"testing"

	"github.com/parleyhq/parley/forecast"
)

func read(t *testing.T, file string) *forecast.Input {
	t.Helper()
	in, err := forecast.ReadFile("../testdata/"+file, "")
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// TestBDM1D checks the baselines on the one-dimensional data sets. The EU
// numbers are those of the data set's README (Bueno de Mesquita 1994 as
// reprinted by Scholz et al.); the others were computed independently in
// exact rational arithmetic.
func TestBDM1D(t *testing.T) {
	tests := []struct {
		file              string
		mean, capMean     string // to 6 decimals
		median, condorcet float64
	}{
		{"bdm1d/eu_emissions_bdm1994.csv", "7.389956", "7.475248", 7, 7},
		{"bdm1d/china_dmasad.csv", "30.721540", "33.216667", 20, 20},
		{"bdm1d/honduras_dmasad.csv", "0.500850", "0.500087", 0.5, 0.5},
		{"bdm1d/sultan_jmckib.csv", "13.619912", "13.626087", 13.9, 13.9},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			in := read(t, tt.file)
			m, err := Mean(in, 0, CapabilitySalience)
			if err != nil {
				t.Fatal(err)
			}
			if got := fmt.Sprintf("%.6f", m); got != tt.mean {
				t.Errorf("mean %s, want %s", got, tt.mean)
			}
			cm, _ := Mean(in, 0, CapabilityOnly)
			if got := fmt.Sprintf("%.6f", cm); got != tt.capMean {
				t.Errorf("capability-only mean %s, want %s", got, tt.capMean)
			}
			med, _ := Median(in, 0, CapabilitySalience)
			if med != tt.median {
				t.Errorf("median %g, want %g", med, tt.median)
			}
			for _, b := range []Ballot{Proportional, Majority} {
				c, _ := Condorcet(in, 0, CapabilitySalience, b)
				if !c.Found || c.Winner != tt.condorcet {
					t.Errorf("%s Condorcet winner %g (found %v), want %g", b, c.Winner, c.Found, tt.condorcet)
				}
			}
		})
	}
}

// TestEUVotes checks one pairwise vote by hand: 7 against 10 on the EU data.
// Weights c*s: NL .064, BE .032, LU .006, DE .128, FR .096, IT .096,
// UK .144, IE .005, DK .05, GR .056. Actors at 4 and 7 prefer 7 by 3 years:
// (.064+.006+.128+.05+.032+.005+.056)*3 = 1.023; actors at 10 prefer 10 by 3:
// (.096+.096+.144)*3 = 1.008.
func TestEUVotes(t *testing.T) {
	in := read(t, "bdm1d/eu_emissions_bdm1994.csv")
	c, err := Condorcet(in, 0, CapabilitySalience, Proportional)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Candidates) != 3 || len(c.Pairs) != 3 {
		t.Fatalf("candidates %v, pairs %v", c.Candidates, c.Pairs)
	}
	p := c.Pairs[2] // 7 against 10
	if p.A != 7 || p.B != 10 || math.Abs(p.For-1.023) > 1e-12 || math.Abs(p.Against-1.008) > 1e-12 {
		t.Errorf("7 vs 10: %+v, want For 1.023 Against 1.008", p)
	}
}

// TestNoCondorcetWinner: two equally weighted actors tie every vote.
func TestNoCondorcetWinner(t *testing.T) {
	in := &forecast.Input{
		Dimensions: []forecast.Dimension{{Name: "x"}},
		Actors: []forecast.Actor{
			{Name: "A", Capability: 1, Position: []float64{0}, Salience: []float64{1}},
			{Name: "B", Capability: 1, Position: []float64{10}, Salience: []float64{1}},
		},
	}
	c, err := Condorcet(in, 0, CapabilitySalience, Majority)
	if err != nil {
		t.Fatal(err)
	}
	if c.Found {
		t.Errorf("found winner %g in a tie", c.Winner)
	}
	// the lower weighted median, and the mean halfway
	if m, _ := Median(in, 0, CapabilitySalience); m != 0 {
		t.Errorf("median %g, want 0", m)
	}
	if m, _ := Mean(in, 0, CapabilitySalience); m != 5 {
		t.Errorf("mean %g, want 5", m)
	}
}

// TestKTABDimensions checks per-dimension baselines on a KTAB file against
// the weighted mean computed from the file by hand (XJ, LK, ... of
// SOE-Pol-Comp, Policy).
func TestKTABDimensions(t *testing.T) {
	in := read(t, "ktab/SOE-Pol-Comp.csv")
	fs, err := All(in, CapabilitySalience, Proportional)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		mean           string
		median, winner float64
	}{{"36.293563", 45, 45}, {"38.885365", 40, 40}}
	for k, f := range fs {
		if got := fmt.Sprintf("%.6f", f.Mean); got != want[k].mean || f.Median != want[k].median || f.Condorcet.Winner != want[k].winner {
			t.Errorf("%s: mean %s median %g winner %g, want %+v", f.Dimension, got, f.Median, f.Condorcet.Winner, want[k])
		}
	}
}

func TestZeroWeight(t *testing.T) {
	in := &forecast.Input{
		Dimensions: []forecast.Dimension{{Name: "x"}, {Name: "y"}},
		Actors: []forecast.Actor{
			{Name: "A", Capability: 1, Position: []float64{0, 0}, Salience: []float64{1, 0}},
			{Name: "B", Capability: 1, Position: []float64{10, 1}, Salience: []float64{1, 0}},
		},
	}
	if _, err := Mean(in, 1, CapabilitySalience); err == nil {
		t.Error("no error for a dimension nobody cares about")
	}
}

func BenchmarkAllSOECompetitive(b *testing.B) {
	in, err := forecast.ReadFile("../testdata/ktab/SOE-Competitive.csv", "")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := All(in, CapabilitySalience, Proportional); err != nil {
			b.Fatal(err)
		}
	}
}
