package pages

import (
	"fmt"
	"sort"
	"strings"

	"parley/app/model"
)

// HealthView is an account's health page: its snapshots as charts.
type HealthView struct {
	Account AccountRef
	// Period is "day" or "hour"; Snapshots are oldest first.
	Period    string
	Snapshots []model.HealthSnapshot
	// Level and Rule are the account's current health (empty before the
	// first snapshot).
	Level string
	Rule  string
}

// Chart geometry, in the SVG's own units; CSS scales it to the width.
const (
	chartW      = 960
	chartLeft   = 44
	chartRight  = 12
	chartTop    = 10
	chartBottom = 26
	plotW       = chartW - chartLeft - chartRight
)

// Chart is a server-rendered SVG chart: everything is computed here, the
// template only draws it. Colours come from classes (the CSP forbids
// inline styles).
type Chart struct {
	Label   string
	H       int
	Grid    []GridLine
	XLabels []XLabel
	Bars    []Bar
	Lines   []Line
}

// GridLine is a horizontal line with its value.
type GridLine struct {
	Y     string
	Label string
}

// XLabel is a label under the plot.
type XLabel struct {
	X     string
	Label string
}

// Bar is a rectangle with a hover text.
type Bar struct {
	X, Y, W, H string
	Class      string
	Title      string
}

// Line is a polyline with a dot per point.
type Line struct {
	Class  string
	Points string
	Dots   []Dot
}

// Dot is one point of a line with its hover text.
type Dot struct {
	X, Y  string
	Title string
}

func (v HealthView) slots() int {
	if v.Period == "hour" {
		return max(len(v.Snapshots), 48)
	}
	return max(len(v.Snapshots), 30)
}

// slotX is the left edge and width of slot i of n (snapshots are
// right-aligned: the newest is at the right edge).
func slotX(i, n, count int) (float64, float64) {
	w := float64(plotW) / float64(n)
	return chartLeft + float64(n-count+i)*w, w
}

func (v HealthView) when(s model.HealthSnapshot) string {
	if v.Period == "hour" {
		return s.Start.UTC().Format("2 Jan 15:04 UTC")
	}
	return s.Start.Format("Mon 2 Jan")
}

func (v HealthView) xLabels() []XLabel {
	n, count := v.slots(), len(v.Snapshots)
	every := max(1, (count+9)/10)
	if v.Period == "hour" {
		every = 6
	}
	var out []XLabel
	for i, s := range v.Snapshots {
		if (count-1-i)%every != 0 {
			continue
		}
		x, w := slotX(i, n, count)
		label := s.Start.Format("2 Jan")
		if v.Period == "hour" {
			label = s.Start.UTC().Format("15:04")
		}
		out = append(out, XLabel{X: f1(x + w/2), Label: label})
	}
	return out
}

// ActivityChart draws the jobs attempted and failed in each period.
func (v HealthView) ActivityChart() Chart {
	const h = 200
	plotH := float64(h - chartTop - chartBottom)
	c := Chart{H: h, XLabels: v.xLabels(), Label: "Jobs attempted and failed per " + v.Period}
	top := 0
	for _, s := range v.Snapshots {
		top = max(top, sum(s.Attempted))
	}
	top = niceCeil(top)
	for _, g := range []int{0, top / 2, top} {
		c.Grid = append(c.Grid, GridLine{Y: f1(chartTop + plotH - plotH*float64(g)/float64(top)), Label: fmt.Sprint(g)})
	}
	n, count := v.slots(), len(v.Snapshots)
	for i, s := range v.Snapshots {
		x, w := slotX(i, n, count)
		tried, failed := sum(s.Attempted), sum(s.Failed)
		title := fmt.Sprintf("%s: %d attempted, %d failed%s", v.when(s), tried, failed, kinds(s.Attempted))
		bw := max(w*0.36, 1)
		for j, b := range []struct {
			n     int
			class string
		}{{tried, "attempted"}, {failed, "failed"}} {
			bh := plotH * float64(b.n) / float64(top)
			c.Bars = append(c.Bars, Bar{X: f1(x + w*0.12 + float64(j)*bw), Y: f1(chartTop + plotH - bh), W: f1(bw), H: f1(bh), Class: b.class, Title: title})
		}
	}
	return c
}

// RatesChart draws acceptance, reply and error rates (0–100 %).
func (v HealthView) RatesChart() Chart {
	const h = 200
	plotH := float64(h - chartTop - chartBottom)
	c := Chart{H: h, XLabels: v.xLabels(), Label: "Acceptance, reply and error rates per " + v.Period}
	for _, g := range []int{0, 50, 100} {
		c.Grid = append(c.Grid, GridLine{Y: f1(chartTop + plotH - plotH*float64(g)/100), Label: fmt.Sprint(g, "%")})
	}
	n, count := v.slots(), len(v.Snapshots)
	for _, r := range []struct {
		class, name string
		rate        func(model.HealthSnapshot) float64
	}{
		{"acceptance", "acceptance", func(s model.HealthSnapshot) float64 { return s.AcceptanceRate }},
		{"reply", "replies", func(s model.HealthSnapshot) float64 { return s.ReplyRate }},
		{"errors", "errors", func(s model.HealthSnapshot) float64 { return s.ErrorRate }},
	} {
		l := Line{Class: r.class}
		var pts []string
		for i, s := range v.Snapshots {
			x, w := slotX(i, n, count)
			val := min(max(r.rate(s), 0), 1)
			px, py := f1(x+w/2), f1(chartTop+plotH-plotH*val)
			pts = append(pts, px+","+py)
			l.Dots = append(l.Dots, Dot{X: px, Y: py, Title: fmt.Sprintf("%s: %s %.0f%%", v.when(s), r.name, val*100)})
		}
		l.Points = strings.Join(pts, " ")
		c.Lines = append(c.Lines, l)
	}
	return c
}

// LevelStrip is one cell per period coloured by its level, with the rule
// that set it on hover.
func (v HealthView) LevelStrip() Chart {
	c := Chart{H: 30, Label: "Health level per " + v.Period}
	n, count := v.slots(), len(v.Snapshots)
	for i, s := range v.Snapshots {
		x, w := slotX(i, n, count)
		title := v.when(s) + ": " + s.Level
		if s.Rule != "" {
			title += " — " + s.Rule
		}
		c.Bars = append(c.Bars, Bar{X: f1(x + 1), Y: "4", W: f1(max(w-2, 1)), H: "22", Class: "level-" + strings.ToLower(s.Level), Title: title})
	}
	return c
}

// LevelCounts says how many periods had each level.
func (v HealthView) LevelCounts() string {
	counts := map[string]int{}
	for _, s := range v.Snapshots {
		counts[s.Level]++
	}
	var parts []string
	for _, l := range []string{model.HealthGreen, model.HealthYellow, model.HealthRed} {
		if counts[l] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[l], l))
		}
	}
	return strings.Join(parts, " · ")
}

// Newest is the snapshots newest first, for the table.
func (v HealthView) Newest() []model.HealthSnapshot {
	out := make([]model.HealthSnapshot, len(v.Snapshots))
	for i, s := range v.Snapshots {
		out[len(out)-1-i] = s
	}
	return out
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// kinds lists the job kinds of a count map: " (send_invite 3, visit_profile 5)".
func kinds(m map[string]int) string {
	var ks []string
	for k, n := range m {
		if n > 0 {
			ks = append(ks, fmt.Sprintf("%s %d", k, n))
		}
	}
	if len(ks) == 0 {
		return ""
	}
	sort.Strings(ks)
	return " (" + strings.Join(ks, ", ") + ")"
}

// niceCeil rounds a chart's top up to 4, 10, 20, 50, 100, 200, ...
func niceCeil(n int) int {
	if n <= 4 {
		return 4
	}
	for step := 10; ; step *= 10 {
		for _, m := range []int{1, 2, 5} {
			if n <= step*m {
				return step * m
			}
		}
	}
}

func f1(x float64) string { return fmt.Sprintf("%.1f", x) }

func pct(x float64) string { return fmt.Sprintf("%.0f%%", x*100) }

func healthPeriodURL(id uint64, period string) string {
	return fmt.Sprintf("/accounts/%d/health?period=%s", id, period)
}
