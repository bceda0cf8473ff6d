package model

import (
	"fmt"
	"strings"
)

// Values the API server would reject can still reach ktraffic: a dump is
// any file, and a proxy or an old server can serve anything. Sources check
// what they read with the rules below (for the settings --set takes, the
// very rules --set applies), drop what fails, and record it in
// Service.Ignored, so the prediction never rests on a value no cluster
// can hold and the user is told which one was left out.

// serviceTypes are the Service types the API server accepts.
var serviceTypes = []ServiceType{TypeClusterIP, TypeNodePort, TypeLoadBalancer, TypeExternalName}

// IgnoredField is a value a source read and left out because the API
// server would reject it.
type IgnoredField struct {
	// Field is the path in the object, "spec.ports[0].port".
	Field string
	// Value is what the input held, as text.
	Value string
	// Valid says what the API server accepts ("Cluster, Local", "1..65535").
	Valid string
	// ReadAs is what the field is taken to be instead ("unset", "ClusterIP",
	// "left out").
	ReadAs string
}

func (f IgnoredField) String() string {
	return fmt.Sprintf("%s %q is not valid (valid: %s), read as %s", f.Field, f.Value, f.Valid, f.ReadAs)
}

// CheckSetting checks a Service's traffic setting as read from its source,
// with the rule --set applies to the same key (key is an Override key,
// value the field's text). It returns the valid values when value fails.
// "none", --set's way to remove trafficDistribution, is no field value.
func CheckSetting(key, value string) (valid string, ok bool) {
	valid = strings.Join(OverrideValues(key), ", ")
	if key == KeyTrafficDistribution {
		valid = strings.TrimSuffix(valid, ", none")
		if value == "none" {
			return valid, false
		}
	}
	var o Overrides
	return valid, o.Set(key, value) == nil
}

// CheckServiceType reports whether t is a type the API server accepts.
func CheckServiceType(t string) (valid string, ok bool) {
	names := make([]string, len(serviceTypes))
	for i, v := range serviceTypes {
		if ServiceType(t) == v {
			return "", true
		}
		names[i] = string(v)
	}
	return strings.Join(names, ", "), false
}

// Port ranges: a port is 1..65535; a node port or health-check node port
// may also be 0, which means none is allocated.
const (
	ValidPorts     = "1..65535"
	ValidNodePorts = "0..65535"
)

// CheckPort reports whether n is a valid port, or a valid node port when
// zeroOK.
func CheckPort(n int32, zeroOK bool) bool {
	return n <= 65535 && (n > 0 || zeroOK && n == 0)
}

// IgnoredWarnings turns the services' ignored fields into snapshot
// warnings, one per Service.
func IgnoredWarnings(services []Service) []string {
	var out []string
	for i := range services {
		s := &services[i]
		if len(s.Ignored) == 0 {
			continue
		}
		parts := make([]string, len(s.Ignored))
		for j, f := range s.Ignored {
			parts[j] = f.String()
		}
		out = append(out, fmt.Sprintf("Service %s: ignored what the API server would reject: %s", s.Key(), strings.Join(parts, "; ")))
	}
	return out
}
