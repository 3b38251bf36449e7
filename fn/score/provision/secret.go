package provision

// GeneratedSecret is a Secret whose values the caller must generate on the
// target cluster. The Secret's manifest is part of the output and carries no
// value for these keys.
type GeneratedSecret struct {
	// Namespace and Name locate the Secret manifest.
	Namespace, Name string
	// Keys are the sorted keys whose values must be generated.
	Keys []string
	// Resource is the Score resource uid ("postgres.default#demo-app.db")
	// the values belong to. A secretKeyRef cannot cross namespaces, so a
	// shared resource's Secret is copied into every namespace that uses it:
	// all GeneratedSecrets with the same Resource must get the same values
	// for the keys they have in common.
	Resource string
	// Length is how many characters each generated value has; 0 means 32.
	// Some consumers take keys of one exact length (Harbor's are 16).
	Length int `json:",omitempty"`
	// Labels and Annotations are put on the Secret when it is created, so
	// that a Helm chart can adopt a Secret it would otherwise create itself.
	Labels, Annotations map[string]string `json:",omitempty"`
	// Htpasswd, when set, also puts a bcrypt htpasswd line for one of the
	// generated values into the Secret (Harbor's registry authenticates
	// with one).
	Htpasswd *Htpasswd `json:",omitempty"`
	// Seeds name, by key, a key of another Secret in the same namespace
	// ("name/key") whose value the key takes when that Secret holds it:
	// an installation that predates the generator keeps its value.
	Seeds map[string]string `json:",omitempty"`
}

// Htpasswd asks for key Key to hold "User:<bcrypt of PasswordKey's value>".
type Htpasswd struct {
	User, PasswordKey, Key string
}
