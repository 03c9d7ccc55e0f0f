package browsertests

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// The workbench's tournament page plays a tournament through its form: htmx
// posts it and swaps in the result without leaving the page, the ranking
// equals `parley tournament` with the same settings (run as a separate
// process), and both charts (the library's SVGs as images) load.
func TestWorkbenchTournament(t *testing.T) {
	b := newBrowser(t)
	srv := startServer(t)
	const turns, reps, seed, noise = 60, 4, 11, "0.05"

	page := srv.URL + "/workbench/tournament"
	b.do("opening the tournament page",
		chromedp.Navigate(page),
		chromedp.WaitVisible(chromedp.ID("turns")),
		chromedp.SetValue(chromedp.ID("turns"), strconv.Itoa(turns)),
		chromedp.SetValue(chromedp.ID("repetitions"), strconv.Itoa(reps)),
		chromedp.SetValue(chromedp.ID("seed"), strconv.Itoa(seed)),
		chromedp.SetValue(chromedp.ID("noise"), noise),
		chromedp.SetValue(chromedp.ID("ecology_steps"), "0"),
		chromedp.Click(chromedp.CSS(`form[hx-post="/workbench/tournament"] button[type="submit"]`)),
	)
	b.do("waiting for the ranking", chromedp.WaitVisible(chromedp.CSS("#result table caption")))
	if loc := get(b, "reading the address", chromedp.Location()); loc != page {
		t.Errorf("after playing, the page is %s, want %s (htmx swaps the result in)", loc, page)
	}
	posted := false
	for _, r := range b.requests() {
		posted = posted || r.Method == "POST" && r.URL == page && r.HTMX && r.Type == network.ResourceTypeXHR
	}
	if !posted {
		t.Errorf("the form was not posted by htmx; the requests were %+v", b.requests())
	}

	rows := get(b, "reading the ranking", chromedp.Evaluate[[][]string](`Array.from(document.querySelectorAll("#result table")[0].tBodies[0].rows, r => Array.from(r.cells, c => c.textContent))`))
	want := cliTournament(t, turns, reps, seed, noise)
	if len(rows) != len(want) {
		t.Fatalf("the page ranks %d strategies, the command line %d", len(rows), len(want))
	}
	for i, w := range want {
		median, err := strconv.ParseFloat(w["median_score"], 64)
		if err != nil {
			t.Fatal(err)
		}
		got := rows[i]
		if got[0] != w["rank"] || got[1] != w["strategy"] || got[2] != fmt.Sprintf("%.4f", median) {
			t.Errorf("rank %d: the page shows %q, the command line %s %s %.4f", i+1, got[:3], w["rank"], w["strategy"], median)
		}
	}

	// both charts are images that loaded and have a size
	loaded := get(b, "waiting for the charts", chromedp.Poll[int](`(() => {
  const imgs = Array.from(document.querySelectorAll("#result figure img"));
  return imgs.length > 0 && imgs.every(i => i.complete && i.naturalWidth > 0) ? imgs.length : 0;
})()`, chromedp.WithPollingInterval(100*time.Millisecond)))
	if loaded != 2 {
		t.Errorf("%d charts loaded, want 2 (box plot and heat map)", loaded)
	}
	png := get(b, "taking a screenshot", chromedp.FullScreenshot(100))
	shot := filepath.Join(outDir(t), "workbench-tournament.png")
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot of the tournament page (%d bytes): %s", len(png), shot)
}

// cliTournament runs `parley tournament` with the binary under test and
// returns its CSV rows by column name.
func cliTournament(t *testing.T, turns, reps, seed int, noise string) []map[string]string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), stepTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, parleyBinary(t), "tournament", "--turns", strconv.Itoa(turns), "--repetitions", strconv.Itoa(reps),
		"--seed", strconv.Itoa(seed), "--noise", noise, "--format", "csv").Output()
	if err != nil {
		t.Fatalf("parley tournament: %v", err)
	}
	recs, err := csv.NewReader(strings.NewReader(string(out))).ReadAll()
	if err != nil || len(recs) < 2 {
		t.Fatalf("parley tournament --format csv: %v\n%s", err, out)
	}
	var rows []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, k := range recs[0] {
			m[k] = r[i]
		}
		rows = append(rows, m)
	}
	return rows
}

// The equilibria page of the 6×6 example (von Stengel's game with 75
// equilibria) lists, as exact fractions, the equilibria `parley solve` finds
// in the same file, in the same order, with the same payoffs.
func TestWorkbenchEquilibria(t *testing.T) {
	b := newBrowser(t)
	srv := startServer(t)
	b.do("opening the example", chromedp.Navigate(srv.URL+"/workbench/equilibria?example=6x6-75"), chromedp.WaitVisible(chromedp.CSS("#result table caption")))
	rows := get(b, "reading the equilibria", chromedp.Evaluate[[][]string](`Array.from(document.querySelectorAll("#result table")[0].tBodies[0].rows, r => Array.from(r.cells, c => c.textContent))`))

	ctx, cancel := context.WithTimeout(context.Background(), stepTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, parleyBinary(t), "solve", filepath.Join("..", "internal", "web", "examples", "equilibria", "6x6_game_with_75_eq.nfg"), "--format", "json").Output()
	if err != nil {
		t.Fatalf("parley solve: %v", err)
	}
	var want struct {
		Players []struct {
			Strategies []string `json:"strategies"`
		} `json:"players"`
		Equilibria []struct {
			Probabilities [][]string `json:"probabilities"`
			Payoffs       []string   `json:"payoffs"`
		} `json:"equilibria"`
	}
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	if len(want.Equilibria) != 75 || len(rows) != 75 {
		t.Fatalf("the page lists %d equilibria and parley solve %d; the game has 75", len(rows), len(want.Equilibria))
	}
	for i, e := range want.Equilibria {
		// a row: number, then per player the mixed strategy and the payoff
		cells := []string{strconv.Itoa(i + 1)}
		for p, probs := range e.Probabilities {
			var terms []string
			for k, pr := range probs {
				switch pr {
				case "0":
				case "1": // a pure strategy is named alone, as parley solve prints it
					terms = append(terms, strconv.Quote(want.Players[p].Strategies[k]))
				default:
					terms = append(terms, fmt.Sprintf("%s %q", pr, want.Players[p].Strategies[k]))
				}
			}
			cells = append(cells, strings.Join(terms, " + "), e.Payoffs[p])
		}
		if strings.Join(rows[i], "|") != strings.Join(cells, "|") {
			t.Errorf("equilibrium %d: the page shows %q, parley solve %q", i+1, rows[i], cells)
		}
	}
}
