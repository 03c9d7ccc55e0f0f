package smp

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/parleyhq/parley/forecast"
)

func read(t testing.TB, file string) *forecast.Input {
	t.Helper()
	in, err := forecast.ReadFile("../testdata/ktab/"+file, "")
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func run(t testing.TB, in *forecast.Input, opt Options) *Result {
	t.Helper()
	res, err := Run(context.Background(), in, opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestKTABReference runs KTAB's two reference data sets with KTAB's
// default options and compares the summary with KTAB's own, line for line:
// every "Fractional change" line, every per-turn position (one decimal)
// and every per-turn probability (four decimals).
func TestKTABReference(t *testing.T) {
	for _, name := range []string{"dummyData_3Dim", "SOE-Pol-Comp"} {
		t.Run(name, func(t *testing.T) {
			res := run(t, read(t, name+".csv"), Defaults())
			var got bytes.Buffer
			if err := WriteKTABSummary(&got, res); err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile("../testdata/ktab/reference/" + name + ".summary.txt")
			if err != nil {
				t.Fatal(err)
			}
			gl := strings.Split(got.String(), "\n")
			wl := strings.Split(string(want), "\n")
			for i := 0; i < len(gl) || i < len(wl); i++ {
				var g, w string
				if i < len(gl) {
					g = gl[i]
				}
				if i < len(wl) {
					w = wl[i]
				}
				if g != w {
					t.Errorf("line %d:\n got %q\nwant %q", i+1, g, w)
				}
			}
		})
	}
}

var (
	reIter    = regexp.MustCompile(`^Starting Model::run iteration (\d+)`)
	reRisk    = regexp.MustCompile(`^Inferred risk attitudes:`)
	reTarget  = regexp.MustCompile(`^In turn (\d+) actor (\d+) has most advantageous target (\d+) worth (\S+)`)
	reEst     = regexp.MustCompile(`^Est by +(\d+) of prob (\S+) that \[ *(\d+)> *(\d+)\], with expected gain to +(\d+) of (\S+)`)
	reBargain = regexp.MustCompile(`^Bargain \[\d+, (\d+):(\d+)\] from (\d+)'s perspective \(brgnIIJ\)`)
	rePropose = regexp.MustCompile(`^ +(\d+) proposes (\d+) adopt: (.*)$`)
	rePostn   = regexp.MustCompile(`^postn (\d+) , 0 :`)
	reIdeal   = regexp.MustCompile(`^ideal (\d+) , 0 :`)
)

// TestKTABLog replays the full log of KTAB's dummyData_3Dim run: every
// turn's inferred risk attitudes, every actor's best target with the four
// estimates KTAB prints, the initiator's bargain, and every actor's new
// position to four decimals.
func TestKTABLog(t *testing.T) {
	opt := Defaults()
	opt.Trace = true
	res := run(t, read(t, "dummyData_3Dim.csv"), opt)
	checked := checkKTABLog(t, res, readLog(t, "dummyData_3Dim.log"))
	t.Logf("%d values checked against KTAB's log", checked)
}

// readLog returns the lines of a KTAB log of reference/, without their
// trailing blanks.
func readLog(t *testing.T, name string) []string {
	t.Helper()
	f, err := os.Open("../testdata/ktab/reference/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lines = append(lines, strings.TrimRight(sc.Text(), " "))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

// checkKTABLog compares a traced run with KTAB's full log of the same run:
// the risk attitudes of every state (3 decimals), every actor's best target
// and its worth, the four estimates of each challenge and the initiator's
// bargain (4 and 3 decimals), and every new position and ideal point (4
// decimals). It returns the number of values compared.
func checkKTABLog(t *testing.T, res *Result, lines []string) int {
	t.Helper()
	n := len(res.Actors)
	risk, turn, checked := 0, -1, 0
	var ch *Challenge
	for l := 0; l < len(lines); l++ {
		line := lines[l]
		switch {
		case reIter.MatchString(line):
			turn++
		case reRisk.MatchString(line):
			// KTAB prints the risk attitudes of each state as it sets it up
			for i := 0; i < n; i++ {
				want := strings.TrimSpace(lines[l+1+i])
				if got := fmt.Sprintf("%+.3f", res.States[risk].Risk[i]); got != want {
					t.Errorf("state %d: actor %d risk %s, KTAB %s", risk, i, got, want)
				}
				checked++
			}
			risk++
		case reTarget.MatchString(line):
			m := reTarget.FindStringSubmatch(line)
			tn, i, j := atoi(m[1]), atoi(m[2]), atoi(m[3])
			ch = findChallenge(res.Turns[tn], i)
			if ch == nil || ch.Target != j || fmt.Sprintf("%.3f", ch.ByInitiator.Gain) != m[4] {
				t.Errorf("turn %d actor %d: got %+v, KTAB targets %d worth %s", tn, i, ch, j, m[4])
				ch = nil
			}
			checked++
		case reEst.MatchString(line) && ch != nil:
			m := reEst.FindStringSubmatch(line)
			by, gainTo := atoi(m[1]), atoi(m[5])
			e := ch.ByInitiator
			if by == ch.Target {
				e = ch.ByTarget
			}
			g := e.Gain
			if gainTo == ch.Target {
				g = e.TargetGain
			}
			if p, gs := fmt.Sprintf("%.4f", e.Prob), fmt.Sprintf("%+.4f", g); p != m[2] || gs != m[6] {
				t.Errorf("turn %d: estimate by %d of %d>%d gain to %d: got %s %s, KTAB %s %s", turn, by, ch.Initiator, ch.Target, gainTo, p, gs, m[2], m[6])
			}
			checked++
		case reBargain.MatchString(line) && ch != nil:
			m := reBargain.FindStringSubmatch(line)
			if atoi(m[3]) != ch.Initiator { // KTAB also prints the receiver's view, unused by default
				continue
			}
			b := ch.Bargains[0]
			for q := 1; q <= 2; q++ {
				pm := rePropose.FindStringSubmatch(lines[l+q])
				pos := b.ForInitiator
				if atoi(pm[2]) == ch.Target {
					pos = b.ForTarget
				}
				if got := coords(pos, "%.3f"); got != strings.Join(strings.Fields(pm[3]), " ") {
					t.Errorf("turn %d: bargain %d:%d for %s: got %s, KTAB %s", turn, ch.Initiator, ch.Target, pm[2], got, pm[3])
				}
				checked++
			}
		case rePostn.MatchString(line):
			i := atoi(rePostn.FindStringSubmatch(line)[1])
			want := strings.Join(strings.Fields(lines[l+1]), " ")
			if got := coords(res.States[turn+1].Positions[i], "%.4f"); got != want {
				t.Errorf("after turn %d: actor %d at %s, KTAB %s", turn, i, got, want)
			}
			checked++
		case reIdeal.MatchString(line):
			i := atoi(reIdeal.FindStringSubmatch(line)[1])
			want := strings.Join(strings.Fields(lines[l+1]), " ")
			if got := coords(res.States[turn+1].Ideals[i], "%.4f"); got != want {
				t.Errorf("after turn %d: actor %d's ideal at %s, KTAB %s", turn, i, got, want)
			}
			checked++
		}
	}
	if risk != len(res.States) || turn+1 != len(res.Turns) {
		t.Errorf("log has %d risk blocks and %d turns; run has %d states and %d turns", risk, turn+1, len(res.States), len(res.Turns))
	}
	return checked
}

func findChallenge(tr Turn, i int) *Challenge {
	for k := range tr.Challenges {
		if tr.Challenges[k].Initiator == i {
			return &tr.Challenges[k]
		}
	}
	return nil
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		panic(err)
	}
	return n
}

func coords(p []float64, format string) string {
	s := make([]string, len(p))
	for k, x := range p {
		s[k] = fmt.Sprintf(format, x)
	}
	return strings.Join(s, " ")
}
