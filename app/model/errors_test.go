package model

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestErrorCodesAndPublicMessages(t *testing.T) {
	cause := errors.New("open /secret/path: permission denied")
	coded := Wrap(CodeUnavailable, cause, "the backup failed")
	wrapped := fmt.Errorf("layer: %w", coded)
	if ErrorCode(wrapped) != CodeUnavailable {
		t.Fatalf("code = %s", ErrorCode(wrapped))
	}
	if !errors.Is(wrapped, cause) {
		t.Fatal("cause not reachable with errors.Is")
	}
	if PublicMessage(wrapped) != "the backup failed" {
		t.Fatalf("public = %q", PublicMessage(wrapped))
	}
	if !strings.Contains(coded.Error(), "permission denied") {
		t.Fatal("Error() should carry the cause for logs")
	}
	plain := errors.New("internal detail")
	if ErrorCode(plain) != CodeInternal || strings.Contains(PublicMessage(plain), "internal detail") {
		t.Fatalf("unclassified: %s %q", ErrorCode(plain), PublicMessage(plain))
	}
	internal := Wrap(CodeInternal, plain, "secret message")
	if strings.Contains(PublicMessage(internal), "secret") {
		t.Fatal("internal message shown to users")
	}
	if e := Errorf(CodeInvalid, "bad %d", 3); e.Error() != "bad 3" || ErrorCode(e) != CodeInvalid {
		t.Fatalf("Errorf = %v", e)
	}
}
