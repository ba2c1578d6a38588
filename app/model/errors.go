// Package model holds Parley's domain types, identifiers, error codes and the
// small interfaces shared across packages. It imports nothing of Parley's own.
package model

import (
	"errors"
	"fmt"
	"time"
)

// Code classifies an error so that every edge (HTTP, CLI, control channel)
// can map it to the right status without inspecting error strings.
type Code string

// Error codes. Internal is the zero-value meaning: anything unclassified is
// treated as internal and its text is never shown to a user.
const (
	CodeInvalid      Code = "invalid"
	CodeNotFound     Code = "not_found"
	CodeConflict     Code = "conflict"
	CodeUnauthorized Code = "unauthorized"
	CodeForbidden    Code = "forbidden"
	CodeUnavailable  Code = "unavailable"
	CodeTooMany      Code = "too_many_requests"
	CodeInternal     Code = "internal"
)

// Error is an error with a code and a message that is safe to show to the
// person who caused it. Err, when set, is the underlying cause for logs.
type Error struct {
	Code    Code
	Message string
	Err     error
	// RetryAfter tells the client when to try again (CodeTooMany).
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	if e.Err == nil {
		return e.Message
	}
	if e.Message == "" {
		return e.Err.Error()
	}
	return e.Message + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds a coded error whose message is safe to show to users.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap attaches a code and a user-facing message to an underlying error.
func Wrap(code Code, err error, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Err: err}
}

// ErrorCode returns the code of the first coded error in err's chain, or
// CodeInternal when there is none.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) && e.Code != "" {
		return e.Code
	}
	return CodeInternal
}

// PublicMessage returns the message that may be shown to a user: the coded
// message for classified errors, a generic sentence for internal ones.
func PublicMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != CodeInternal && e.Code != "" && e.Message != "" {
		return e.Message
	}
	return "Something went wrong on our side. The details are in the log; try again."
}

// TooMany is a rate-limit or lockout refusal with the time to wait.
func TooMany(retryAfter time.Duration, format string, args ...any) *Error {
	return &Error{Code: CodeTooMany, Message: fmt.Sprintf(format, args...), RetryAfter: retryAfter}
}

// RetryAfter returns the wait carried by a TooMany error (0 otherwise).
func RetryAfter(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}
