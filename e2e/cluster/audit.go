package cluster

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	auditv1 "k8s.io/apiserver/pkg/apis/audit/v1"
)

// AuditEvents reads the audit log: every request the API server has
// answered so far, one event each (long-running watches also log when
// their response started). The log is written before each response is
// sent, so a command that has returned is in it completely.
func (c *Cluster) AuditEvents() ([]auditv1.Event, error) {
	f, err := os.Open(c.AuditLog)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []auditv1.Event
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var e auditv1.Event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			return nil, fmt.Errorf("%s: %w", c.AuditLog, err)
		}
		out = append(out, e)
	}
	return out, sc.Err()
}

// AuditMark is a position in the audit log, to read only what came after.
type AuditMark int

// Mark returns the current end of the audit log.
func (c *Cluster) Mark() (AuditMark, error) {
	ev, err := c.AuditEvents()
	return AuditMark(len(ev)), err
}

// EventsSince returns the requests after mark made by user (the
// authenticated user, whoever they impersonated), one event each: a watch
// logs when its response starts and again when it ends, and the later
// stage is kept.
func (c *Cluster) EventsSince(mark AuditMark, user string) ([]auditv1.Event, error) {
	ev, err := c.AuditEvents()
	if err != nil {
		return nil, err
	}
	var out []auditv1.Event
	seen := map[string]int{}
	for _, e := range ev[min(int(mark), len(ev)):] {
		if e.User.Username != user {
			continue
		}
		if i, ok := seen[string(e.AuditID)]; ok {
			out[i] = e
			continue
		}
		seen[string(e.AuditID)] = len(out)
		out = append(out, e)
	}
	return out, nil
}

// IsWrite reports whether an event is a request that could change
// something: any verb but get, list and watch.
func IsWrite(e auditv1.Event) bool {
	switch e.Verb {
	case "get", "list", "watch":
		return false
	}
	return true
}

// IsAccessReview reports whether e asks the authorizer a question
// (SelfSubjectAccessReview and friends): a POST that changes nothing.
func IsAccessReview(e auditv1.Event) bool {
	return e.ObjectRef != nil && e.ObjectRef.APIGroup == "authorization.k8s.io" && e.Verb == "create"
}

// IsDryRun reports whether e was sent with dryRun=All: the API server
// ran it through validation and admission and persisted nothing.
func IsDryRun(e auditv1.Event) bool {
	return strings.Contains(e.RequestURI, "dryRun=All")
}

// Describe is one line for test failures.
func Describe(e auditv1.Event) string {
	code := int32(0)
	if e.ResponseStatus != nil {
		code = e.ResponseStatus.Code
	}
	as := ""
	if e.ImpersonatedUser != nil {
		as = " as " + e.ImpersonatedUser.Username
	}
	return fmt.Sprintf("%s%s %s %s → %d", e.User.Username, as, strings.ToUpper(e.Verb), e.RequestURI, code)
}
