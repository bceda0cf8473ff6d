package model

import "testing"

func TestCountedAndAgree(t *testing.T) {
	tests := []struct {
		n          int
		counted    string
		agreesWith string
	}{
		{0, "0 nodes", "have"},
		{1, "1 node", "has"},
		{2, "2 nodes", "have"},
	}
	for _, tt := range tests {
		if got := Counted(tt.n, "node", "nodes"); got != tt.counted {
			t.Errorf("Counted(%d) = %q, want %q", tt.n, got, tt.counted)
		}
		if got := Agree(tt.n, "has", "have"); got != tt.agreesWith {
			t.Errorf("Agree(%d) = %q, want %q", tt.n, got, tt.agreesWith)
		}
	}
}
