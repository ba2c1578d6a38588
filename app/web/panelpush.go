package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"parley/views/pages"
)

// panelDelay gathers the events of one burst (a job's claim, outcome and
// lead change) into one new runtime panel.
const panelDelay = 300 * time.Millisecond

// panelRefreshBeats: every third heartbeat (a minute) the panel is sent
// anyway, so "next action in 3 min" stays true on a quiet dashboard.
const panelRefreshBeats = 3

// panelPush sends the dashboard's stream a freshly rendered runtime panel
// (event "runtime", swapped in by htmx) after the events that change it.
// The server pushes rather than the page polling: a poll is a request, and
// requests keep a session from timing out while nobody is at the screen.
// A nil panelPush (API streams, no runtime) does nothing.
type panelPush struct {
	s     *Server
	csrf  string
	due   <-chan time.Time
	beats int
}

// runtimeEvent reports whether an event changes what the runtime panel
// shows: a job, an account, an incident, a pause, a campaign or the
// runtime settings.
func runtimeEvent(typ string) bool {
	for _, p := range []string{"job.", "account.", "incident.", "control.", "campaign.", "settings.runtime"} {
		if strings.HasPrefix(typ, p) {
			return true
		}
	}
	return false
}

// soon schedules a panel unless one is already due.
func (p *panelPush) soon() {
	if p != nil && p.due == nil {
		p.due = time.After(panelDelay)
	}
}

func (p *panelPush) event(typ string) {
	if runtimeEvent(typ) {
		p.soon()
	}
}

func (p *panelPush) beat() {
	if p == nil {
		return
	}
	if p.beats++; p.beats%panelRefreshBeats == 0 {
		p.soon()
	}
}

// timer fires when a panel is due (never for a nil panelPush).
func (p *panelPush) timer() <-chan time.Time {
	if p == nil {
		return nil
	}
	return p.due
}

// write renders the panel and sends it as one SSE message, a data line per
// line of HTML (the client joins them with newlines again).
func (p *panelPush) write(ctx context.Context, w io.Writer) error {
	p.due = nil
	v, err := p.s.runtimePanel(p.csrf)
	if err != nil {
		p.s.log.Error("event stream: runtime panel", "error", err)
		return nil // the stream goes on; the next change tries again
	}
	var buf bytes.Buffer
	if err := pages.RuntimeSection(v).Render(ctx, &buf); err != nil {
		return err
	}
	var out strings.Builder
	out.WriteString("event: runtime\n")
	for line := range strings.SplitSeq(strings.TrimRight(buf.String(), "\n"), "\n") {
		out.WriteString("data: " + line + "\n")
	}
	out.WriteString("\n")
	_, err = fmt.Fprint(w, out.String())
	return err
}
