package template

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"maps"
	"strings"
	"sync"
	gotemplate "text/template"

	"github.com/Masterminds/sprig/v3"
)

// sprigFuncs is sprig's function map, built once.
var sprigFuncs = sync.OnceValue(func() gotemplate.FuncMap { return sprig.TxtFuncMap() })

const (
	alphaChars    = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	numericChars  = "0123456789"
	alphaNumChars = alphaChars + numericChars
)

// funcs are sprig's functions with those that draw randomness made stable,
// those that read the clock or make key material made to fail, and
// score-k8s' encodeSecretRef.
func (run *templateRun) funcs() gotemplate.FuncMap {
	f := make(gotemplate.FuncMap, len(sprigFuncs())+16)
	maps.Copy(f, sprigFuncs())
	draw := func(chars string) func(int) string {
		return func(n int) string {
			b := make([]byte, max(n, 0))
			for i := range b {
				b[i] = chars[run.rnd.IntN(len(chars))]
			}
			s := string(b)
			run.conv.randoms[s] = true
			return s
		}
	}
	f["randAlpha"] = draw(alphaChars)
	f["randAlphaNum"] = draw(alphaNumChars)
	f["randNumeric"] = draw(numericChars)
	var ascii strings.Builder
	for c := byte(32); c < 127; c++ {
		ascii.WriteByte(c)
	}
	f["randAscii"] = draw(ascii.String())
	f["randBytes"] = func(n int) (string, error) {
		b := make([]byte, max(n, 0))
		for i := range b {
			b[i] = byte(run.rnd.IntN(256))
		}
		s := base64.StdEncoding.EncodeToString(b)
		run.conv.randoms[s] = true
		return s, nil
	}
	f["randInt"] = func(lo, hi int) int {
		if hi <= lo {
			return lo
		}
		return lo + run.rnd.IntN(hi-lo)
	}
	f["uuidv4"] = func() string {
		var b [16]byte
		for i := range b {
			b[i] = byte(run.rnd.IntN(256))
		}
		s := hex.EncodeToString(b[:])
		s = s[:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:]
		run.conv.randoms[s] = true
		return s
	}
	refuse := func(name, why string) {
		f[name] = func(...any) (string, error) { return "", fmt.Errorf("%s is not available here: %s", name, why) }
	}
	for _, name := range []string{"now", "shuffle"} {
		refuse(name, "the output must be the same on every reconcile")
	}
	for _, name := range []string{"genPrivateKey", "genCA", "genCAWithKey", "genSelfSignedCert", "genSelfSignedCertWithKey", "genSignedCert", "genSignedCertWithKey", "derivePassword", "encryptAES", "decryptAES", "bcrypt", "htpasswd"} {
		refuse(name, "it would write key material or a password hash into a manifest in plain text; generate credentials with a Secret whose values come from randAlphaNum")
	}
	f["encodeSecretRef"] = func(secret, key string) string { return secretMarkerPrefix + secret + "_" + key + secretMarkerSuffix }
	return f
}

// score-k8s' encoding of a reference to a Secret key inside an output.
const (
	secretMarkerPrefix = "🔐💬"
	secretMarkerSuffix = "💬🔐"
)
