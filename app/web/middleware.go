package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"parley/app/campaigns"
	"parley/app/campaigns/dnc"
	"parley/app/security"
)

// ContentSecurityPolicy is sent on every response: no inline script or
// style, nothing from other origins, no framing.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

const maxBody = 1 << 20

type ctxKey int

const requestIDKey ctxKey = 0

// RequestID returns the correlation id of the request ctx belongs to.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// requestID gives every request a server-generated correlation id. A
// client-sent X-Request-ID is not trusted as the id.
func (s *Server) requestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		b := make([]byte, 8)
		rand.Read(b)
		id := hex.EncodeToString(b)
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		req := c.Request()
		c.SetRequest(req.WithContext(context.WithValue(req.Context(), requestIDKey, id)))
		return next(c)
	}
}

// ipExtractor decides who the client is: the TCP peer, unless the peer is
// a configured reverse proxy, whose X-Forwarded-For is then believed.
// Echo's default would read X-Forwarded-For from anyone, letting any
// client pick its own IP to slip past the allowlist and the rate limits.
func (s *Server) ipExtractor() echo.IPExtractor {
	if len(s.o.Config.TrustedProxies) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range security.IPNets(s.o.Config.TrustedProxies) {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// checkClientIP refuses clients outside the trusted-IP policy (loopback is
// always allowed) and records who the client is for sessions and audit.
func (s *Server) checkClientIP(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ip := c.RealIP()
		req := c.Request()
		c.SetRequest(security.WithMeta(req, ip, RequestID(req.Context())))
		if !s.ips.Allowed(ip) {
			s.o.Security.AuditNoisy(s.meta(c), security.Record{Action: security.ActIPDenied, Target: req.URL.Path})
			return echo.NewHTTPError(http.StatusForbidden, "Your address is not allowed to reach this Parley.")
		}
		return next(c)
	}
}

func (s *Server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Permissions-Policy", "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()")
		h.Set("Cache-Control", "no-store")
		if s.o.Config.TLS() {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		return next(c)
	}
}

// checkHost refuses requests whose Host header is not a name Parley
// answers to: a DNS-rebinding page reaches 127.0.0.1 under its own name.
func (s *Server) checkHost(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		host := c.Request().Host
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		host = strings.ToLower(strings.Trim(host, "[]"))
		if !s.hosts[host] {
			s.o.Security.AuditNoisy(s.meta(c), security.Record{Action: security.ActHostDenied, Target: truncate(c.Request().Host, 100)})
			return echo.NewHTTPError(http.StatusForbidden, "Parley does not answer to this host name.")
		}
		return next(c)
	}
}

// checkOrigin refuses state-changing requests that a browser marks as
// coming from another site or origin. Other localhost ports count as the
// same site, so SameSite cookies alone would not stop them.
func (s *Server) checkOrigin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		switch req.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		// Fetch metadata is authoritative when present. Origin is only
		// consulted without it: with Referrer-Policy: no-referrer, browsers
		// send "Origin: null" even on same-origin form posts.
		if site := req.Header.Get("Sec-Fetch-Site"); site != "" {
			if site != "same-origin" && site != "none" {
				return s.crossSite(c, "Sec-Fetch-Site: "+site)
			}
		} else if origin := req.Header.Get("Origin"); origin != "" && origin != s.origin(req) {
			return s.crossSite(c, "Origin: "+origin)
		}
		return next(c)
	}
}

func (s *Server) crossSite(c echo.Context, why string) error {
	s.o.Security.AuditNoisy(s.meta(c), security.Record{Action: security.ActCSRF, Target: c.Request().URL.Path, Details: map[string]string{"why": truncate(why, 120)}})
	return echo.NewHTTPError(http.StatusForbidden, "This request came from another site and was refused.")
}

func (s *Server) meta(c echo.Context) security.Meta { return security.MetaFrom(c.Request()) }

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// origin is this server's own origin as the browser sees it.
func (s *Server) origin(r *http.Request) string {
	if s.o.Config.TLS() {
		return "https://" + r.Host
	}
	return "http://" + r.Host
}

// uploadRoutes take whole CSV files, up to the size their service accepts;
// every other route 1 MiB at most.
var uploadRoutes = map[string]int64{
	"/leads/import": campaigns.MaxUpload, "/api/v1/imports": campaigns.MaxUpload,
	"/dnc/import": dnc.MaxFileBytes, "/api/v1/dnc/import": dnc.MaxFileBytes,
}

func (s *Server) limitBody(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		limit := int64(maxBody)
		file, upload := uploadRoutes[c.Path()]
		if upload {
			limit = file + 1<<20 // the file plus the form around it
		}
		if req.ContentLength > limit {
			if upload {
				return echo.NewHTTPError(http.StatusRequestEntityTooLarge, fmt.Sprintf("The file is larger than %d MB; split it into smaller files.", file>>20))
			}
			return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "The request is too large.")
		}
		req.Body = http.MaxBytesReader(c.Response(), req.Body, limit)
		return next(c)
	}
}

func (s *Server) recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
			}
		}()
		return next(c)
	}
}

func (s *Server) accessLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		req := c.Request()
		level := s.log.Info
		if strings.HasPrefix(req.URL.Path, "/assets/") || req.URL.Path == "/healthz" {
			level = s.log.Debug
		}
		level("http request", "method", req.Method, "path", req.URL.Path, "status", c.Response().Status,
			"duration", time.Since(start), "peer", c.RealIP(), "request_id", RequestID(req.Context()))
		return nil
	}
}
