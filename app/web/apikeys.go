package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"parley/app/model"
	"parley/views/pages"
)

func (s *Server) apiKeysPage(c echo.Context) error {
	return s.renderAPIKeys(c, http.StatusOK, pages.APIKeysView{})
}

func (s *Server) renderAPIKeys(c echo.Context, status int, v pages.APIKeysView) error {
	keys, err := s.o.Security.APIKeys()
	if err != nil {
		return err
	}
	v.Keys, v.BasicAuth, v.BaseURL = keys, s.o.Config.APIBasicAuth, s.origin(c.Request())
	return s.render(c, status, pages.APIKeys(s.layout(c, "API keys", "api-keys"), v))
}

// createAPIKey shows the new key once, in the response to its creation.
func (s *Server) createAPIKey(c echo.Context) error {
	a := authOf(c)
	secret, key, err := s.o.Security.CreateAPIKey(c.FormValue("name"), c.FormValue("scope"), a.User, s.meta(c))
	if err != nil {
		if status := s.statusOf(err); status < 500 {
			return s.renderAPIKeys(c, status, pages.APIKeysView{Error: model.PublicMessage(err)})
		}
		return err
	}
	return s.renderAPIKeys(c, http.StatusOK, pages.APIKeysView{NewKey: secret, NewKeyName: key.Name})
}

func (s *Server) revokeAPIKey(c echo.Context) error {
	id, err := strconv.ParseUint(c.Param("id"), 10, 64)
	if err != nil {
		return model.Errorf(model.CodeInvalid, "That is not an API key number.")
	}
	if err := s.o.Security.RevokeAPIKey(id, authOf(c).User, s.meta(c)); err != nil {
		if status := s.statusOf(err); status < 500 {
			return s.renderAPIKeys(c, status, pages.APIKeysView{Error: model.PublicMessage(err)})
		}
		return err
	}
	return s.renderAPIKeys(c, http.StatusOK, pages.APIKeysView{Flash: &pages.Flash{Kind: "ok", Text: fmt.Sprintf("Key %d is revoked; scripts using it now get 401.", id)}})
}

func itoa(n int) string { return strconv.Itoa(n) }
