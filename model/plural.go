package model

import "strconv"

// Counted says "1 node" or "3 nodes": messages are read by people, who
// stumble over "1 nodes" and "node(s)".
func Counted(n int, singular, plural string) string {
	if n == 1 {
		return "1 " + singular
	}
	return strconv.Itoa(n) + " " + plural
}

// Agree picks the verb form that agrees with a count: Agree(n, "has", "have").
func Agree(n int, singular, plural string) string {
	if n == 1 {
		return singular
	}
	return plural
}
