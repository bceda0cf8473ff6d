package k8s

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ConflictError is a server-side apply conflict: fields ktraffic would
// change that other field managers hold.
type ConflictError struct {
	// Fields maps a field path (".spec.externalTrafficPolicy") to the
	// managers holding it.
	Fields map[string][]string
}

func (e *ConflictError) Error() string {
	paths := make([]string, 0, len(e.Fields))
	for p := range e.Fields {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	parts := make([]string, 0, len(paths))
	var managers []string
	for _, p := range paths {
		parts = append(parts, strings.TrimPrefix(p, ".")+" is managed by "+quoteAll(e.Fields[p]))
		managers = append(managers, e.Fields[p]...)
	}
	return fmt.Sprintf("conflict: %s; ktraffic takes nothing over unless you pass --force-conflicts, and if you do, the next apply by %s may set it back: change it there too",
		strings.Join(parts, ", "), quoteAll(dedupe(managers)))
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, " and ")
}

func dedupe(s []string) []string {
	sort.Strings(s)
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// explainAPIError turns the API errors an apply meets into one line an
// operator can act on. Whatever the server said is made printable here:
// its messages are data, and they are shown.
func explainAPIError(err error) error {
	var status apierrors.APIStatus
	if !errors.As(err, &status) {
		return newClusterError(err, "%s", err.Error())
	}
	st := status.Status()
	switch {
	case apierrors.IsConflict(err):
		if c := conflictFromStatus(st); c != nil {
			return c
		}
		return newClusterError(err, "conflict: %s", st.Message)
	case apierrors.IsForbidden(err):
		return newClusterError(err, "forbidden: %s (ask your cluster admin for get and patch on services in this namespace)", st.Message)
	case apierrors.IsInvalid(err):
		var causes []string
		if st.Details != nil {
			for _, c := range st.Details.Causes {
				causes = append(causes, strings.TrimSpace(c.Field+": "+c.Message))
			}
		}
		if len(causes) == 0 {
			return newClusterError(err, "the API server refuses the change: %s", st.Message)
		}
		return newClusterError(err, "the API server refuses the change: %s", strings.Join(causes, "; "))
	case apierrors.IsNotFound(err):
		return newClusterError(err, "not found: %s (deleted since the snapshot was taken?)", st.Message)
	}
	return newClusterError(err, "%s", err.Error())
}

// conflictFromStatus reads the managers out of FieldManagerConflict
// causes, whose messages read `conflict with "kubectl" using v1`.
func conflictFromStatus(st metav1.Status) *ConflictError {
	if st.Details == nil {
		return nil
	}
	c := &ConflictError{Fields: map[string][]string{}}
	for _, cause := range st.Details.Causes {
		if cause.Type != metav1.CauseTypeFieldManagerConflict {
			continue
		}
		manager := cause.Message
		if _, rest, ok := strings.Cut(cause.Message, `"`); ok {
			if name, _, ok := strings.Cut(rest, `"`); ok {
				manager = name
			}
		}
		field := singleLine(cause.Field)
		c.Fields[field] = append(c.Fields[field], singleLine(manager))
	}
	if len(c.Fields) == 0 {
		return nil
	}
	return c
}
