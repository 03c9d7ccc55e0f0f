package main

import (
	"context"
	"strings"
	"testing"

	"github.com/parleyhq/parley/sweep"
)

// The one-at-a-time sweep korea-oat.yaml gives exactly the numbers of the
// table's rows that change one judgement: the same seeded histories, the
// same scenarios.
func TestSweepFileMatchesTheTable(t *testing.T) {
	p, err := sweep.LoadFile("korea-oat.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const runs = 400
	p.Runs = runs
	res, add := sweep.NewResults(p)
	if err := p.Run(context.Background(), sweep.RunOptions{To: p.Len()}, add); err != nil {
		t.Fatal(err)
	}
	// the OAT point of each (path, value)
	point := map[string]int{"": 0}
	for k := 1; k < p.Len(); k++ {
		i, l := p.OATLevel(k)
		point[p.Params[i].Path+"="+p.OATLevels(i)[l]] = k
	}
	matched := 0
	for _, v := range variants() {
		key := ""
		if len(v.sets) > 0 {
			key = v.sets[0]
		}
		k, ok := point[key]
		if !ok {
			continue // a row that changes several values at once
		}
		matched++
		sc, err := measure(v, runs, p.Seed)
		if err != nil {
			t.Fatal(err)
		}
		for j, s := range sc {
			if !strings.HasPrefix(p.Columns()[2*j], s.id+"/") {
				t.Fatalf("column %s for roadmap %s", p.Columns()[2*j], s.id)
			}
			if got := res.Metrics[k][2*j]; got != s.done {
				t.Errorf("%s, %s: the sweep's P(completed) %g, the table's %g", v.what, s.id, got, s.done)
			}
			if got := res.Metrics[k][2*j+1]; got != s.den {
				t.Errorf("%s, %s: the sweep's P(denuclearized) %g, the table's %g", v.what, s.id, got, s.den)
			}
		}
	}
	if matched != 20 {
		t.Errorf("%d of the table's rows matched a point of the sweep, want 20", matched)
	}
}
