// Package names makes the Kubernetes names and database identifiers of
// what Score workloads and resources become: stable (the same input always
// gives the same name) and unique (a hash keeps truncated or sanitised
// names apart).
package names

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/platformcluster/function-platform-cluster/fn/compose"
)

// hashLen is how many hex digits of a hash end a shortened name, as
// compose.Hashed writes them.
const hashLen = 8

// Kubernetes name limits that matter here.
const (
	// MaxLabel is the limit of a DNS-1123 label: namespaces, Services,
	// ConfigMaps and pod volume names are kept to it.
	MaxLabel = 63
	// MaxStatefulSet leaves room for the controller-revision-hash label,
	// "<name>-<10 chars>", which must itself fit in 63 characters.
	MaxStatefulSet = 52
)

// Hash is a stable, short digest used to keep truncated or sanitised
// names unique.
func Hash(s string, n int) string {
	sum := sha256.Sum256([]byte(s))
	h := hex.EncodeToString(sum[:])
	if n > len(h) {
		n = len(h)
	}
	return h[:n]
}

// Stable joins parts with "-" into a DNS-1123 label of at most max
// characters. When the parts are already a valid label it returns them
// unchanged; otherwise it sanitises and truncates them and appends a hash of
// the original, so two different inputs never meet on the same name and the
// same input always gets the same one.
func Stable(max int, parts ...string) string {
	joined := strings.Join(parts, "-")
	clean := sanitizeLabel(joined)
	if clean == joined && len(clean) <= max && clean != "" {
		return clean
	}
	if clean == "" {
		return "x" + Hash(joined, hashLen)
	}
	// clean starts with no dash, so only its cut end needs trimming.
	return compose.Hashed(clean[:min(max-hashLen-1, len(clean))], "-", joined)
}

// Service is Stable for objects whose names must be DNS-1035 labels
// (Services): they may not start with a digit, which a Score workload name
// may.
func Service(max int, parts ...string) string {
	n := Stable(max, parts...)
	if n[0] >= '0' && n[0] <= '9' {
		return Stable(max, append([]string{"svc"}, parts...)...)
	}
	return n
}

// sanitizeLabel lowercases s and replaces anything that may not appear in a
// DNS-1123 label with "-", trimming dashes at both ends.
func sanitizeLabel(s string) string {
	return strings.Trim(string(lowerAlnum(s, '-')), "-")
}

// lowerAlnum lowercases the ASCII letters of s and replaces every byte that
// is neither a letter nor a digit with sep.
func lowerAlnum(s string, sep byte) []byte {
	b := make([]byte, 0, len(s)+1)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b = append(b, c)
		case c >= 'A' && c <= 'Z':
			b = append(b, c+('a'-'A'))
		default:
			b = append(b, sep)
		}
	}
	return b
}

// Identifier turns a Score name into a database Identifier (database or user
// name): lowercase letters, digits and underscores, starting with a letter,
// at most max characters.
func Identifier(s string, max int) string {
	b := lowerAlnum(s, '_')
	if len(b) == 0 || b[0] < 'a' || b[0] > 'z' {
		b = append([]byte("db_"), b...)
	}
	if len(b) <= max {
		return string(b)
	}
	suffix := Hash(s, 8)
	return string(b[:max-len(suffix)-1]) + "_" + suffix
}
