package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"

	"github.com/labstack/echo/v4"

	"parley/app/model"
)

// decodeJSON reads exactly one JSON object into v. Unknown fields, trailing
// data, a wrong content type and bodies over the limit are refused with a
// message that says which.
func decodeJSON(c echo.Context, v any) error {
	r := c.Request()
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return model.Errorf(model.CodeInvalid, "Send the body as JSON with Content-Type: application/json.")
	}
	return decodeJSONBody(r.Body, v)
}

func decodeJSONBody(body io.Reader, v any) error {
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return model.Errorf(model.CodeInvalid, "The body must hold exactly one JSON object.")
	}
	return nil
}

func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "The request is too large.")
	case errors.Is(err, io.EOF):
		return model.Errorf(model.CodeInvalid, "The body is empty; send a JSON object.")
	case errors.As(err, &syn):
		return model.Errorf(model.CodeInvalid, "The body is not valid JSON (at byte %d).", syn.Offset)
	case errors.As(err, &typ):
		return model.Errorf(model.CodeInvalid, "The field %q must be a %s.", typ.Field, typ.Type)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return model.Errorf(model.CodeInvalid, "The JSON body ends too early.")
	}
	if msg := err.Error(); len(msg) > 15 && msg[:15] == "json: unknown f" {
		return model.Errorf(model.CodeInvalid, "The body has a field Parley does not know: %s.", msg[len("json: unknown field "):])
	}
	return model.Errorf(model.CodeInvalid, "The body could not be read as JSON: %s", truncate(fmt.Sprint(err), 100))
}
