package browsertests

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Every page is readable on a phone: at 390 × 844 CSS pixels no page is
// wider than the screen (wide tables and code scroll inside their own
// boxes), and its form fields fit too. A screenshot of the run page at that
// width is kept beside the others.
func TestNarrowScreen(t *testing.T) {
	b := newBrowser(t)
	srv := startServer(t)
	id := finishedRun(t, srv, "builtin:korea", 100, 3)

	pages := []string{
		"/scenarios",
		"/scenarios/builtin:korea",
		"/scenarios/builtin:korea/edit",
		"/scenarios/builtin:korea/compare",
		"/scenarios/builtin:korea/audit",
		"/scenarios/builtin:korea/trace",
		"/runs",
		"/runs/" + id,
		"/workbench",
		"/workbench/tournament",
		"/workbench/match",
		"/workbench/moran",
		"/workbench/bargain?example=laptop",
		"/workbench/rubinstein",
		"/workbench/equilibria?example=6x6-75",
		"/workbench/forecast?example=eu-emissions",
	}
	b.do("narrowing the screen", chromedp.EmulateViewport(390, 844))
	for _, p := range pages {
		b.do("opening "+p, chromedp.Navigate(srv.URL+p), chromedp.WaitReady("main"))
		// the widest element that sticks out of the page, if any
		over := get(b, "measuring "+p, chromedp.Evaluate[map[string]any](`(() => {
  const vw = document.documentElement.clientWidth;
  let worst = null, right = vw;
  for (const el of document.querySelectorAll("body *")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    // inside a box that scrolls on its own, sticking out is what it is for
    let p = el.parentElement, inScroller = false;
    for (; p && p !== document.body; p = p.parentElement) {
      const ox = getComputedStyle(p).overflowX;
      if (ox === "auto" || ox === "scroll" || ox === "hidden") { inScroller = true; break; }
    }
    if (!inScroller && r.right > right + 1) { right = r.right; worst = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && typeof el.className === "string" ? "." + el.className.split(" ").join(".") : "") + " (" + JSON.stringify(el.textContent.trim().slice(0, 40)) + ")"; }
  }
  return {page: document.documentElement.scrollWidth, screen: vw, right: right, worst: worst || ""};
})()`))
		if over["worst"] != "" || over["page"].(float64) > over["screen"].(float64) {
			t.Errorf("%s at 390 px: the page is %v px wide; %v reaches %v px", p, over["page"], over["worst"], over["right"])
		}
	}
	b.do("opening the run", chromedp.Navigate(srv.URL+"/runs/"+id), chromedp.WaitReady("#charts"))
	png := get(b, "taking a screenshot", chromedp.FullScreenshot(100))
	shot := filepath.Join(outDir(t), "run-narrow.png")
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot of a run at 390 px (%d bytes): %s", len(png), shot)
}

// finishedRun starts a comparison through the API and waits for it to end,
// returning its id.
func finishedRun(t *testing.T, srv *server, key string, runs, seed int) string {
	t.Helper()
	body := strings.NewReader(`{"runs": ` + strconv.Itoa(runs) + `, "seed": ` + strconv.Itoa(seed) + `}`)
	resp, err := http.Post(srv.URL+"/api/v1/scenarios/"+key+"/compare", "application/json", body)
	if err != nil {
		t.Fatal(err)
	}
	var run struct {
		ID     int64  `json:"id"`
		Status string `json:"status"`
	}
	err = json.NewDecoder(resp.Body).Decode(&run)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusAccepted && resp.StatusCode != http.StatusCreated {
		t.Fatalf("starting a comparison: %d %v", resp.StatusCode, err)
	}
	id := strconv.Itoa(int(run.ID))
	deadline := time.Now().Add(stepTimeout)
	for time.Now().Before(deadline) {
		var got struct {
			Status string `json:"status"`
		}
		if err := json.Unmarshal([]byte(httpGet(t, srv.URL+"/api/v1/runs/"+id)), &got); err != nil {
			t.Fatal(err)
		}
		if got.Status == "done" {
			return id
		}
		if got.Status != "queued" && got.Status != "running" {
			t.Fatalf("run %s ended %s", id, got.Status)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("run %s did not finish within %s", id, stepTimeout)
	return ""
}
