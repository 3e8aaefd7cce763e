package build

import (
	"errors"
	"fmt"
)

// ErrInvalidInput matches, with [errors.Is], every error caused by the
// caller's input rather than by the build: an unknown platform, a malformed
// tag or SOURCE_DATE_EPOCH, a missing build date, a bad name or package.
// Adapters map it to the invalid-input exit code.
var ErrInvalidInput = errors.New("invalid input")

// inputError keeps the message of the error it wraps and matches ErrInvalidInput.
type inputError struct{ err error }

func (e *inputError) Error() string        { return e.err.Error() }
func (e *inputError) Unwrap() error        { return e.err }
func (e *inputError) Is(target error) bool { return target == ErrInvalidInput }

// invalidf formats an input error; %w verbs wrap as with fmt.Errorf.
func invalidf(format string, args ...any) error {
	return &inputError{err: fmt.Errorf(format, args...)}
}
