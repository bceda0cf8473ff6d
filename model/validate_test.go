package model

import (
	"strings"
	"testing"
)

// TestCheckSettingIsSetsRule: what a source accepts for a setting is
// exactly what --set accepts, except --set's "none" spelling.
func TestCheckSettingIsSetsRule(t *testing.T) {
	for _, key := range []string{KeyExternalTrafficPolicy, KeyInternalTrafficPolicy, KeySessionAffinity, KeyTrafficDistribution, KeySessionAffinityTimeoutSeconds} {
		for _, v := range []string{"Cluster", "Local", "Sideways", "None", "ClientIP", "PreferClose", "none", "", "0", "1", "10800", "86401", "-5", "local"} {
			var o Overrides
			setOK := o.Set(key, v) == nil
			valid, ok := CheckSetting(key, v)
			want := setOK && !(key == KeyTrafficDistribution && v == "none")
			if ok != want {
				t.Errorf("CheckSetting(%s, %q) = %v, --set says %v", key, v, ok, setOK)
			}
			if !ok && (valid == "" || strings.Contains(valid, "none")) {
				t.Errorf("CheckSetting(%s, %q) names valid values %q", key, v, valid)
			}
		}
	}
}

func TestCheckPortAndType(t *testing.T) {
	for _, tt := range []struct {
		n      int32
		zeroOK bool
		want   bool
	}{{80, false, true}, {65535, false, true}, {0, false, false}, {70000, false, false}, {-1, true, false}, {0, true, true}, {65536, true, false}} {
		if got := CheckPort(tt.n, tt.zeroOK); got != tt.want {
			t.Errorf("CheckPort(%d, %v) = %v", tt.n, tt.zeroOK, got)
		}
	}
	if _, ok := CheckServiceType("Teleport"); ok {
		t.Error("type Teleport accepted")
	}
	if _, ok := CheckServiceType("LoadBalancer"); !ok {
		t.Error("type LoadBalancer refused")
	}
}

func TestNormalizeWarnsAboutIgnoredFields(t *testing.T) {
	s := &Snapshot{Services: []Service{
		{Namespace: "shop", Name: "web", Ignored: []IgnoredField{{Field: "spec.externalTrafficPolicy", Value: "Sideways", Valid: "Cluster, Local", ReadAs: "unset"}}},
		{Namespace: "shop", Name: "ok"},
	}}
	s.Normalize()
	if len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0], "Service shop/web") || !strings.Contains(s.Warnings[0], `spec.externalTrafficPolicy "Sideways"`) {
		t.Errorf("warnings = %q", s.Warnings)
	}
}
