package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"parley/app/model"
	"parley/storage"
	"parley/views/pages"
)

// Stream limits: a heartbeat keeps proxies from closing an idle stream; a
// maximum lifetime makes clients reconnect (and re-authenticate) now and
// then.
const (
	streamHeartbeat   = 20 * time.Second
	streamMaxLifetime = time.Hour
)

// eventStream serves server-sent events from the event log: HTML rows for
// the dashboard's live activity (/events) or JSON (/api/v1/events). It
// resumes after Last-Event-ID, ends when the session ends (logout,
// revocation, expiry), at shutdown and after streamMaxLifetime.
func (s *Server) eventStream(c echo.Context) error {
	a := authOf(c)
	r := c.Request()
	after := uint64(0)
	if id := r.Header.Get("Last-Event-ID"); id != "" {
		n, err := strconv.ParseUint(id, 10, 64)
		if err != nil {
			return model.Errorf(model.CodeInvalid, "Last-Event-ID must be an event number")
		}
		after = n
	} else {
		s.o.Store.View(func(tx *storage.Tx) error { after = tx.EventCount(); return nil })
	}
	sub, err := s.o.Hub.Subscribe(after)
	if err != nil {
		return err
	}
	defer sub.Close()
	ctx, cancel := context.WithTimeout(r.Context(), streamMaxLifetime)
	defer cancel()
	if a.LoginID != "" {
		defer s.o.Security.Streams.Add(a.LoginID, cancel)()
	}
	html := !strings.HasPrefix(r.URL.Path, "/api/")

	w := c.Response()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 3000\n\n")
	w.Flush()
	beat := time.NewTicker(streamHeartbeat)
	defer beat.Stop()
	var panel *panelPush
	if html && s.o.Runtime != nil {
		panel = &panelPush{s: s, csrf: a.CSRF}
		if r.Header.Get("Last-Event-ID") != "" {
			panel.soon() // reconnected: the page's panel may be stale
		}
	}
	for {
		select {
		case <-ctx.Done():
			if r.Context().Err() == nil && errors.Is(ctx.Err(), context.Canceled) {
				// The session ended (sign-out, revocation, expiry): tell the
				// page, which closes the stream and goes to the sign-in page,
				// instead of letting it retry.
				fmt.Fprint(w, "event: signed-out\ndata: signed out\n\n")
				w.Flush()
			}
			return nil
		case <-s.closing:
			return nil
		case <-beat.C:
			fmt.Fprint(w, ": ping\n\n")
			panel.beat()
		case <-panel.timer():
			if err := panel.write(ctx, w); err != nil {
				return nil
			}
		case e, ok := <-sub.C:
			if !ok {
				return nil // dropped as too slow: the client reconnects
			}
			if err := s.writeEvent(ctx, w, e, html); err != nil {
				return nil
			}
			panel.event(e.Type)
		}
		w.Flush()
	}
}

func (s *Server) writeEvent(ctx context.Context, w *echo.Response, e model.Event, html bool) error {
	var data []byte
	name := "parley"
	if html {
		var buf bytes.Buffer
		if err := pages.ActivityRow(e).Render(ctx, &buf); err != nil {
			return err
		}
		data, name = bytes.ReplaceAll(buf.Bytes(), []byte("\n"), nil), "activity"
	} else {
		data, _ = json.Marshal(e)
	}
	_, err := fmt.Fprintf(w, "id: %d\nevent: %s\ndata: %s\n\n", e.Seq, name, data)
	return err
}
