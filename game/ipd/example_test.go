package ipd_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/parleyhq/parley/game/ipd"
)

func ExamplePlayMatch() {
	tft := ipd.MustLookup("TitForTat")
	alt := ipd.MustLookup("Alternator")
	res, err := ipd.PlayMatch(tft, alt, ipd.Rules{Turns: 8}, 1)
	if err != nil {
		panic(err)
	}
	fmt.Println(ipd.FormatActions(res.Moves[0]), res.Scores[0])
	fmt.Println(ipd.FormatActions(res.Moves[1]), res.Scores[1])
	// Output:
	// CCDCDCDC 18
	// CDCDCDCD 23
}

func ExampleTournament() {
	var players []*ipd.Strategy
	for _, name := range []string{"Cooperator", "Defector", "TitForTat"} {
		players = append(players, ipd.MustLookup(name))
	}
	t := ipd.Tournament{Players: players, Rules: ipd.Rules{Turns: 3}, Repetitions: 1}
	res, err := t.Run(context.Background())
	if err != nil {
		panic(err)
	}
	for _, s := range res.Standings {
		fmt.Printf("%d %-10s %.4f wins %v cooperation %.2f\n", s.Rank, s.Name, s.Median, s.MedianWins, s.Cooperation)
	}
	// Output:
	// 1 Defector   3.6667 wins 2 cooperation 0.00
	// 2 TitForTat  1.8333 wins 0 cooperation 0.67
	// 3 Cooperator 1.5000 wins 0 cooperation 1.00
}

// A rule of one's own joins a tournament through NewStrategy.
func ExampleNewStrategy() {
	// echo opens with D, then repeats its own previous move.
	echo := ipd.NewStrategy("Echo", "Repeats its own previous move.", ipd.Classifier{MemoryDepth: 1},
		func() ipd.Player { return echoPlayer{} })
	res, _ := ipd.PlayMatch(echo, ipd.MustLookup("TitForTat"), ipd.Rules{Turns: 5}, 1)
	fmt.Println(ipd.FormatActions(res.Moves[0]), ipd.FormatActions(res.Moves[1]))
	// Output: DDDDD CDDDD
}

type echoPlayer struct{}

func (echoPlayer) Reset(*ipd.View) {}
func (echoPlayer) Move(v *ipd.View) ipd.Action {
	if len(v.Own) == 0 {
		return ipd.D
	}
	return v.OwnLast()
}

// A machine written in the text format plays like the rule it writes down.
func ExampleParseMachine() {
	src := `# Fortress-3: defects until the opponent has defected twice in a row,
# then cooperates for as long as the opponent does.
name: Fortress3
start: guard D
guard C -> guard D
guard D -> alert D
alert C -> guard D
alert D -> open C
open C -> open C
open D -> guard D
`
	m, err := ipd.ParseMachine(strings.NewReader(src), "fortress3.fsm")
	if err != nil {
		panic(err)
	}
	s, _ := m.Strategy()
	res, _ := ipd.PlayMatch(s, ipd.MustLookup("TitForTat"), ipd.Rules{Turns: 12}, 1)
	fmt.Println(s.Name, "memory", s.MemoryDepth)
	fmt.Println(ipd.FormatActions(res.Moves[0]))
	fmt.Println(ipd.FormatActions(res.Moves[1]))
	// Output:
	// Fortress3 memory 2
	// DDDCDDDCDDDC
	// CDDDCDDDCDDD
}

// Nine TitForTats and one Defector: the exact probability that the
// Defector takes over, and how often it does in 1,000 runs.
func ExampleMoran() {
	var pop []*ipd.Strategy
	for range 9 {
		pop = append(pop, ipd.MustLookup("TitForTat"))
	}
	pop = append(pop, ipd.MustLookup("Defector"))
	m := ipd.Moran{Population: pop, Rules: ipd.Rules{Turns: 10}, Seed: 1}
	p, _ := m.ExactFixation()
	runs, err := m.RunMany(context.Background(), 1000, 0)
	if err != nil {
		panic(err)
	}
	fmt.Printf("exact %.4f, %d of 1000 runs\n", p[1], runs.Fixations[1])
	// Output: exact 0.0073, 9 of 1000 runs
}

// Axelrod's ecological dynamics on a three-strategy tournament: Defector
// grows while there are Cooperators to exploit, then dies out; Cooperator
// and TitForTat, who earn the same against each other, share what is left.
func ExampleEcology() {
	var players []*ipd.Strategy
	for _, name := range []string{"Cooperator", "Defector", "TitForTat"} {
		players = append(players, ipd.MustLookup(name))
	}
	res, _ := (&ipd.Tournament{Players: players, Rules: ipd.Rules{Turns: 10}, Repetitions: 1}).Run(context.Background())
	mean, _ := res.PayoffMatrix()
	shares, _ := (&ipd.Ecology{Payoffs: mean}).Run(200)
	for _, t := range []int{0, 1, 10, 200} {
		fmt.Printf("step %3d: %.4f %.4f %.4f\n", t, shares[t][0], shares[t][1], shares[t][2])
	}
	// Output:
	// step   0: 0.3333 0.3333 0.3333
	// step   1: 0.2956 0.3645 0.3399
	// step  10: 0.1345 0.2056 0.6599
	// step 200: 0.1385 0.0000 0.8615
}
