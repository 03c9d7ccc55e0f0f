package browsertests

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/parleyhq/parley/report"
	"github.com/parleyhq/parley/scenario"
)

// The comparison the browser asks for: small, so that the test is quick.
const (
	compareRuns = 200
	compareSeed = 7
)

// domTable is a results table as the page shows it.
type domTable struct {
	Title  string     `json:"title"`
	Header []string   `json:"header"`
	Rows   [][]string `json:"rows"`
}

// readTables reads every captioned table of the page's main content.
const readTables = `Array.from(document.querySelectorAll("main table")).filter(t => t.caption).map(t => ({
  title: t.caption.childNodes[0].textContent,
  header: Array.from(t.tHead.rows[0].cells, c => c.textContent),
  rows: Array.from(t.tBodies[0].rows, r => Array.from(r.cells, c => c.textContent))
}))`

// chartsDrawn gives the number of charts once every chart's box holds a
// uPlot canvas with something painted on it (uPlot draws the axes and lines
// on the canvas, so a blank one means nothing was drawn), and 0 before.
const chartsDrawn = `(() => {
  const figs = document.querySelectorAll("#charts figure.chart");
  if (figs.length === 0) return 0;
  for (const f of figs) {
    const c = f.querySelector("canvas");
    if (!c || c.width === 0 || c.height === 0) return 0;
    const px = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    let painted = 0;
    for (let i = 3; i < px.length; i += 4) if (px[i] !== 0) painted++;
    if (painted < 500) return 0;
  }
  return figs.length;
})()`

// The compare page of the built-in korea scenario runs every roadmap, the
// progress streams in, and the run's page then shows every table and chart
// of `parley compare` with the same runs and seed — checked cell by cell
// against the command line run as a separate process. The run then opens
// again at its permanent address, in a new tab, and the run history lists it.
func TestCompareKorea(t *testing.T) {
	b := newBrowser(t)
	srv := startServer(t)

	want := cliComparison(t, "builtin:korea", compareRuns, compareSeed)
	wantTables := want.Tables()
	wantCharts := want.Charts()
	korea, err := scenario.Builtin("korea")
	if err != nil {
		t.Fatal(err)
	}

	b.do("opening the compare page",
		chromedp.Navigate(srv.URL+"/scenarios/builtin:korea/compare"),
		chromedp.WaitVisible(chromedp.ID("runs")),
		chromedp.SetValue(chromedp.ID("runs"), strconv.Itoa(compareRuns)),
		chromedp.SetValue(chromedp.ID("seed"), strconv.Itoa(compareSeed)),
		chromedp.Click(chromedp.CSS(`form[hx-post] button[type="submit"]`)),
	)
	// the page follows the run's events and then opens the run
	b.do("waiting for the results", chromedp.WaitVisible(chromedp.ID("charts")), chromedp.WaitVisible(chromedp.CSS("main table caption")))
	loc := get(b, "reading the address", chromedp.Location())
	m := regexp.MustCompile(`/runs/(\d+)$`).FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("after the run the page is %s, want /runs/ID", loc)
	}
	runURL := srv.URL + "/runs/" + m[1]
	// the form went through htmx and the page followed the run's event
	// stream to its end; nothing was loaded from anywhere but the server
	var posted, streamed bool
	for _, r := range b.requests() {
		posted = posted || r.Method == "POST" && r.URL == srv.URL+"/scenarios/builtin:korea/compare" && r.HTMX && r.Type == network.ResourceTypeXHR
		streamed = streamed || r.URL == srv.URL+"/api/v1/runs/"+m[1]+"/events" && r.Type == network.ResourceTypeEventSource
		if !strings.HasPrefix(r.URL, srv.URL+"/") && !strings.HasPrefix(r.URL, "data:") && r.URL != "about:blank" {
			t.Errorf("the page loaded %s from elsewhere than the server", r.URL)
		}
	}
	if !posted || !streamed {
		t.Errorf("the comparison was started by htmx: %v; its progress streamed: %v; the requests were %+v", posted, streamed, b.requests())
	}

	n := get(b, "waiting for the charts to be drawn", chromedp.Poll[int](chartsDrawn, chromedp.WithPollingInterval(100*time.Millisecond)))
	if n != len(wantCharts) {
		t.Errorf("%d charts drawn, want %d", n, len(wantCharts))
	}
	titles := get(b, "reading the chart titles", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#charts figure.chart h3"), h => h.textContent)`))
	for i, c := range wantCharts {
		if i < len(titles) && titles[i] != c.Title {
			t.Errorf("chart %d is titled %q, want %q", i, titles[i], c.Title)
		}
	}
	// the bar charts are drawn on the server: as many as the comparison has, in its order
	bars := get(b, "reading the bar charts", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#bar-charts figure > svg > title"), t => t.textContent)`))
	wantBars := want.BarCharts()
	if len(bars) != len(wantBars) {
		t.Errorf("%d bar charts on the page, want %d", len(bars), len(wantBars))
	}
	for i := range min(len(bars), len(wantBars)) {
		if bars[i] != wantBars[i].Title {
			t.Errorf("bar chart %d is titled %q, want %q", i, bars[i], wantBars[i].Title)
		}
	}
	checkTables(t, get(b, "reading the tables", chromedp.Evaluate[[]domTable](readTables)), wantTables)
	checkRoadmaps(t, get(b, "reading the tables", chromedp.Evaluate[[]domTable](readTables)), korea)
	status := get(b, "reading the status", chromedp.Text(chromedp.CSS("dd.st-done")))
	if status != "done" {
		t.Errorf("the run's status reads %q, want done", status)
	}

	png := get(b, "taking a screenshot", chromedp.FullScreenshot(100))
	shot := filepath.Join(outDir(t), "compare.png")
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot of the compare results (%d bytes): %s", len(png), shot)

	// the permanent address, as the page gives it, in a tab of its own
	href := get(b, "reading the permanent address", chromedp.Evaluate[string](`(() => {
  for (const dt of document.querySelectorAll("dl.meta dt"))
    if (dt.textContent === "Permanent address") return dt.nextElementSibling.querySelector("a").href;
  return "";
})()`))
	if href != runURL {
		t.Errorf("the permanent address reads %q, want %q", href, runURL)
	}
	b2 := b.newTab()
	b2.do("opening the permanent address", chromedp.Navigate(href), chromedp.WaitVisible(chromedp.CSS("main table caption")))
	if n := get(b2, "waiting for the charts", chromedp.Poll[int](chartsDrawn, chromedp.WithPollingInterval(100*time.Millisecond))); n != len(wantCharts) {
		t.Errorf("at its permanent address the run draws %d charts, want %d", n, len(wantCharts))
	}
	checkTables(t, get(b2, "reading the tables", chromedp.Evaluate[[]domTable](readTables)), wantTables)
	meta := get(b2, "reading the settings", chromedp.Evaluate[map[string]string](`Object.fromEntries(Array.from(document.querySelectorAll("dl.meta dt"), dt => [dt.textContent, dt.nextElementSibling.textContent]))`))
	if meta["Histories per roadmap"] != strconv.Itoa(compareRuns) || meta["Seed"] != strconv.Itoa(compareSeed) {
		t.Errorf("the run's page shows %q histories and seed %q, want %d and %d", meta["Histories per roadmap"], meta["Seed"], compareRuns, compareSeed)
	}

	// the run history lists it, with a link to the same address
	b2.do("opening the run history", chromedp.Navigate(srv.URL+"/runs"), chromedp.WaitVisible(chromedp.CSS("main table")))
	links := get(b2, "reading the run history", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("main table a[href^='/runs/']"), a => a.href)`))
	found := false
	for _, l := range links {
		found = found || l == runURL
	}
	if !found {
		t.Errorf("the run history links %q, not the run %s", links, runURL)
	}
}

// cliComparison runs `parley compare KEY --runs N --seed S --format json`
// with the binary under test, in its own process.
func cliComparison(t *testing.T, key string, runs, seed int) *report.Comparison {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), stepTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, parleyBinary(t), "compare", key, "--runs", strconv.Itoa(runs), "--seed", strconv.Itoa(seed), "--format", "json").Output()
	if err != nil {
		t.Fatalf("parley compare %s: %v", key, err)
	}
	var c report.Comparison
	if err := json.Unmarshal(out, &c); err != nil {
		t.Fatalf("parley compare %s --format json: %v", key, err)
	}
	return &c
}

// checkTables compares the tables on the page with those of the command line.
func checkTables(t *testing.T, got []domTable, want []*report.Table) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("the page shows %d tables, want %d", len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		g, w := got[i], want[i]
		if g.Title != w.Title {
			t.Errorf("table %d is titled %q, want %q", i, g.Title, w.Title)
			continue
		}
		if !reflect.DeepEqual(g.Header, w.Header) {
			t.Errorf("table %q has the columns %q, want %q", w.Title, g.Header, w.Header)
		}
		if !reflect.DeepEqual(g.Rows, w.Rows) {
			t.Errorf("table %q differs from the command line's:\n got %q\nwant %q", w.Title, g.Rows, w.Rows)
		}
	}
}

// checkRoadmaps checks that the first table (the outcomes) has one row per
// roadmap of the scenario, in its order.
func checkRoadmaps(t *testing.T, got []domTable, sc *scenario.Scenario) {
	t.Helper()
	var want, rows []string
	for _, r := range sc.Roadmaps {
		want = append(want, r.ID)
	}
	if len(got) > 0 {
		for _, r := range got[0].Rows {
			rows = append(rows, r[0])
		}
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("the outcomes table has the rows %q, want the roadmaps %q", rows, want)
	}
}
